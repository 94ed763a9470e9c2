-- File drops: the batch a dropped file became, and where that file is. While the file is
-- being read (state 'reading') the batch stays pending with extra.filling; the items stored so far
-- (batches.total) are how far the reading got, so a restart goes on from there. 'queued': every item
-- is stored and the batch runs; 'written': its outbox files are written.
CREATE TABLE file_drops (
    batch_id    VARCHAR(40)   PRIMARY KEY,
    source_name VARCHAR(1000) NOT NULL,
    work_path   VARCHAR(1000) NOT NULL,
    state       VARCHAR(20)   NOT NULL,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX file_drops_state ON file_drops (state);

-- Schedules: the last firing of each schedule and how many there were, kept across restarts.
CREATE TABLE schedule_firings (
    name     VARCHAR(200)  PRIMARY KEY,
    fired_at BIGINT        NOT NULL,
    outcome  VARCHAR(20)   NOT NULL,
    batch_id VARCHAR(40),
    message  VARCHAR(1000),
    started  INT           NOT NULL,
    skipped  INT           NOT NULL,
    failed   INT           NOT NULL
);
