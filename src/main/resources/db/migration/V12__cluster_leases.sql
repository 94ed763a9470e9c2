-- Cluster mode: a duty that one node at a time does for the whole cluster (reading the shared inbox) is
-- leased to it here. The lease is the node's while its row in cluster_nodes lives; once that row is
-- removed (the node left, or was found dead), any live node may take it. A single node never writes here.
CREATE TABLE cluster_leases (
    name VARCHAR(100) PRIMARY KEY,
    node_id VARCHAR(200) NOT NULL
);
