-- Cluster mode (batchgate.cluster.enabled): the node that runs a batch and the claim it runs it under.
-- A node that takes over a dead node's batch writes a new claim token; every write for the batch names
-- the token it holds, so the late writes of a node that lost its claim change nothing. A cancel asked
-- on any node is kept here until the node running the batch applies it. A single node leaves all three
-- unset.
ALTER TABLE batches ADD COLUMN owner_node VARCHAR(200);
ALTER TABLE batches ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE batches ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
