-- JdbcSharedSlots.rebalance: a node's share of a target's concurrency (RateLimiter.rebalanceSlots), once a
-- second per target it calls, five times a second while the nodes want more than the concurrency together,
-- and when callers come to wait on its share. One transaction under an advisory lock on the target: the other
-- live nodes' rows, then this node's. Each client is a node of its own ('1'..'16'); :targets = how many
-- targets the clients spread over (1: every node on the same target, as when all run batches of one).
\set node :client_id + 1
\set target random(1, :targets)
\set held random(1, 8)
\set wanted random(1, 64)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('target_slots:' || :target));
SELECT s.node_id, s.held, s.wanted FROM target_slots s JOIN cluster_nodes n ON n.node_id = s.node_id WHERE s.target = :target AND s.node_id <> :node ORDER BY s.node_id;
INSERT INTO target_slots (target, node_id, held, wanted) VALUES (:target, :node, :held, :wanted) ON CONFLICT (target, node_id) DO UPDATE SET held = EXCLUDED.held, wanted = EXCLUDED.wanted;
COMMIT;
