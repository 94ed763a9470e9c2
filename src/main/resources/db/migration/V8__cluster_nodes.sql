-- The nodes of a cluster (batchgate.cluster.enabled): each node's row is written at its start and at
-- every heartbeat, with the database's clock; a row not refreshed for batchgate.cluster.dead-after is a
-- dead node. A single node never writes here.
CREATE TABLE cluster_nodes (
    node_id VARCHAR(200) PRIMARY KEY,
    address VARCHAR(500) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    in_flight INT NOT NULL
);
