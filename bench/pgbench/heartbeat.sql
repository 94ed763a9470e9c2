-- ClusterNode.beat (every batchgate.cluster.heartbeat, 2 s): JdbcClusterStore.heartbeat, then removeDead.
-- Each client is a node of its own ('1'..'16'). :deadms is 60,000 here, not the default 10 s, so that the rows
-- of the nodes a run with fewer clients does not beat are not removed during it (the statement is the same).
\set node :client_id + 1
\set inflight random(0, 64)
UPDATE cluster_nodes SET last_seen = clock_timestamp(), in_flight = :inflight WHERE node_id = :node;
DELETE FROM cluster_nodes WHERE NOT (last_seen >= clock_timestamp() - :deadms * INTERVAL '1 millisecond') RETURNING node_id;
