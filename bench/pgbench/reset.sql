-- Before every run: the seeded state again (every node live, the batches with their owners, every item
-- pending), so that one run's writes do not change what the next one measures.
INSERT INTO cluster_nodes (node_id, address, started_at, last_seen, in_flight)
SELECT n::text, 'http://10.0.0.' || n || ':8080', clock_timestamp(), clock_timestamp(), 64
FROM generate_series(1, 16) n
ON CONFLICT (node_id) DO UPDATE SET last_seen = EXCLUDED.last_seen;
UPDATE batches SET owner_node = ((num - 1) % 3 + 1)::text
WHERE owner_node IS DISTINCT FROM ((num - 1) % 3 + 1)::text;
UPDATE cluster_leases SET node_id = '1';
UPDATE items SET status = 'pending', result = NULL, finish_seq = NULL WHERE status <> 'pending';
VACUUM ANALYZE cluster_nodes, batches, items, target_rates, target_slots, cluster_leases;
