-- Where an item's latest result stands in its batch's finish order (1, 2, … per batch, one number per
-- result stored): an event stream resumed with Last-Event-ID replays the items finished after that point.
-- No index: only a resumed stream reads it, and every index of items costs each result written.
ALTER TABLE items ADD COLUMN finish_seq INT;
