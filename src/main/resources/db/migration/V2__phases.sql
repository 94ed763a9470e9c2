-- Multi-phase batches (issue 4): the phase a batch is in (checks, run, rollback) and the stage of a
-- chain each item is at, so that a restart resumes each batch where it was.
ALTER TABLE batches ADD COLUMN phase VARCHAR(20);
ALTER TABLE items ADD COLUMN stage INT DEFAULT 0 NOT NULL;
