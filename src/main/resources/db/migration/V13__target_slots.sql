-- Cluster mode: a target's concurrency held for the whole cluster. Each node calling a target holds some
-- of its slots here (held: what it may have in flight, or its calls still in flight if that is more;
-- wanted: its calls in flight and waiting). The rows of live nodes never hold more than the concurrency;
-- a row whose node is gone from cluster_nodes counts no more. A single node never writes here.
CREATE TABLE target_slots (
    target VARCHAR(200) NOT NULL,
    node_id VARCHAR(200) NOT NULL,
    held INT NOT NULL,
    wanted INT NOT NULL,
    PRIMARY KEY (target, node_id)
);
