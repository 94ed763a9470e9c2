-- The ids of items appended to a batch chunk by chunk (a dropped file), unique per batch: an id that an
-- earlier chunk already had violates the key. A batch stored in one go is checked for duplicates before it
-- is stored, so its items need no index of ids: keeping the unique index on items (batch_id, item_key)
-- up to date cost every result a third of its store time (H2 rewrites every index of an updated row).
CREATE TABLE item_keys (
    batch_id VARCHAR(40)   NOT NULL,
    item_key VARCHAR(2000) NOT NULL,
    idx      INT           NOT NULL,
    PRIMARY KEY (batch_id, item_key)
);
-- a file still being read goes on after the upgrade and must still find the ids it stored
INSERT INTO item_keys (batch_id, item_key, idx)
    SELECT i.batch_id, i.item_key, i.idx FROM items i JOIN file_drops d ON d.batch_id = i.batch_id WHERE d.state = 'reading';
DROP INDEX items_key;
ALTER TABLE items DROP COLUMN item_key;
