-- The state of a busy three-node cluster, for bench/pgbench.sh. Ids are numbers (as text) because pgbench
-- variables are numbers: batch '7' has num 7, its items are item_no 7 * 2^32 + 0 .. 999 (migration V6).
--   cluster_nodes: 16 live nodes '1'..'16' (one per pgbench client at -c 16, so that every client beats its
--                  own row, as every node does); nodes 1-3 run the batches.
--   batches:       100 running batches '1'..'100' of 1,000 pending items each, owned by nodes 1, 2, 3 in
--                  turn (node 1: 1, 4, .., 100), and 1,000 finished ones ('f1'..) without items.
--   target_rates 10 rows '1'..'10', target_slots every node's row of targets '1'..'10', target_tunings 3,
--   cluster_leases the inbox (node 1), file_drops 10.
INSERT INTO cluster_nodes (node_id, address, started_at, last_seen, in_flight)
SELECT n::text, 'http://10.0.0.' || n || ':8080', clock_timestamp(), clock_timestamp(), 64
FROM generate_series(1, 16) n;

INSERT INTO batches (id, num, target, operation, spec, status, total, succeeded, trigger_name, created_at, started_at,
                     finished_at, owner_node, claim_token)
SELECT i::text, i, 'bench', 'call',
       '{"target":"bench","operation":"call","mode":"async","concurrency":null,"rpm":null,"retry":{"maxAttempts":3,'
           || '"backoffMs":500},"failFast":false,"metadata":{"ticket":"OPS-' || i || '","team":"network"}}',
       'running', 1000, 0, 'api', 1767225600000 + i * 1000, 1767225600000 + i * 1000 + 20, NULL,
       ((i - 1) % 3 + 1)::text, gen_random_uuid()::text
FROM generate_series(1, 100) i;

INSERT INTO batches (id, num, target, operation, spec, status, total, succeeded, trigger_name, created_at, started_at,
                     finished_at, owner_node, claim_token)
SELECT 'f' || i, 100 + i, 'bench', 'call', '{"target":"bench","operation":"call","mode":"async"}', 'completed', 1000,
       1000, 'api', 1767139200000 + i * 60000, 1767139200000 + i * 60000 + 20, 1767139200000 + i * 60000 + 9000,
       ((i - 1) % 3 + 1)::text, gen_random_uuid()::text
FROM generate_series(1, 1000) i;

INSERT INTO items (item_no, id_json, params, status, result, stage, finish_seq)
SELECT b * 4294967296 + x, '"i-' || x || '"', NULL, 'pending', NULL, 0, NULL
FROM generate_series(1, 100) b, generate_series(0, 999) x;

INSERT INTO target_rates (target, next_start) SELECT t::text, clock_timestamp() FROM generate_series(1, 10) t;
INSERT INTO target_slots (target, node_id, held, wanted)
SELECT t::text, n::text, 4, 64 FROM generate_series(1, 10) t, generate_series(1, 16) n;
INSERT INTO target_tunings (target, rpm, concurrency) VALUES ('bench', 6000, NULL), ('crm', NULL, 16), ('llm:gpt', 120, 4);
INSERT INTO cluster_leases (name, node_id) VALUES ('inbox', '1');
INSERT INTO file_drops (batch_id, source_name, work_path, state, created_at)
SELECT 'f' || i, 'devices-' || i || '.csv', '/data/inbox/.processing/devices-' || i || '.csv', 'written', 1767139200000 + i * 60000
FROM generate_series(1, 10) i;

SELECT setval(pg_get_serial_sequence('batches', 'num'), 1100);
VACUUM ANALYZE cluster_nodes, batches, items, target_rates, target_slots, target_tunings, cluster_leases, file_drops;
