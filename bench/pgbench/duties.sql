-- One second of one node's coordination, all of it (BatchgateConfiguration: node.startDuties, every second):
-- TargetRegistry.applySharedTunings, TargetRegistry.rebalanceSlots (one target, which all nodes call: the
-- tick's rebalance; slots.sql has the ones in between), InboxReader.check (the inbox lease:
-- batchgate.inbox.enabled is true by default), BatchEngine.resumeUnfinished (the claim),
-- BatchEngine.applyCancelRequests; and every other second ClusterNode.beat (heartbeat 2 s). Each client is a
-- node of its own; :here = every running batch (a node's own are among them, and no other live node's batch
-- is claimable), so nothing is claimed. :inbox 0 leaves the lease out (batchgate.inbox.enabled=false).
\set node :client_id + 1
\set inflight random(0, 64)
\set beat random(0, 1)
\set held random(1, 8)
\set wanted random(1, 64)
SELECT target, rpm, concurrency FROM target_tunings ORDER BY target;
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('target_slots:' || :target));
SELECT s.node_id, s.held, s.wanted FROM target_slots s JOIN cluster_nodes n ON n.node_id = s.node_id WHERE s.target = :target AND s.node_id <> :node ORDER BY s.node_id;
INSERT INTO target_slots (target, node_id, held, wanted) VALUES (:target, :node, :held, :wanted) ON CONFLICT (target, node_id) DO UPDATE SET held = EXCLUDED.held, wanted = EXCLUDED.wanted;
COMMIT;
\if :inbox
INSERT INTO cluster_leases (name, node_id) SELECT :lease, node_id FROM cluster_nodes WHERE node_id = :node ON CONFLICT (name) DO UPDATE SET node_id = EXCLUDED.node_id WHERE cluster_leases.node_id = EXCLUDED.node_id OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node_id = cluster_leases.node_id) RETURNING node_id;
\endif
WITH unowned AS (SELECT b.id, b.owner_node FROM batches b WHERE b.status IN ('pending', 'running') AND NOT EXISTS (SELECT 1 FROM file_drops d WHERE d.batch_id = b.id AND d.state = :reading) AND NOT (b.trigger_name LIKE 'file:%' AND b.total = 0 AND NOT EXISTS (SELECT 1 FROM file_drops d WHERE d.batch_id = b.id)) AND (b.owner_node IS NULL OR (b.owner_node = :node AND NOT b.id = ANY (:here)) OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node_id = b.owner_node)) ORDER BY b.created_at LIMIT 100 FOR UPDATE OF b SKIP LOCKED) UPDATE batches t SET owner_node = :node, claim_token = gen_random_uuid()::text FROM unowned WHERE t.id = unowned.id RETURNING t.*, unowned.owner_node AS previous_owner;
SELECT id FROM batches WHERE owner_node = :node AND cancel_requested = TRUE AND status IN ('pending', 'running');
\if :beat
UPDATE cluster_nodes SET last_seen = clock_timestamp(), in_flight = :inflight WHERE node_id = :node;
DELETE FROM cluster_nodes WHERE NOT (last_seen >= clock_timestamp() - :deadms * INTERVAL '1 millisecond') RETURNING node_id;
\endif
