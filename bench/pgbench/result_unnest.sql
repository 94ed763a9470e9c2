-- ResultWriter's commit of :rows results as JdbcJobStore.saveResults sends it to PostgreSQL (updateResultsAtOnce):
-- in one transaction the batch's claim (FOR SHARE) and number, then one UPDATE over arrays of the rows' values.
-- :statuses, :results, :stages (NULL: no new stage) and :seqs are array literals of :rows elements made by
-- pgbench.sh. The items' numbers must differ from commit to commit, and a pgbench variable cannot be built as
-- text, so one more statement (SELECT ... \gset, not the node's) makes them: a little of the time measured is
-- that statement's.
\set w :w + 1
\set g :w * :clients + :client_id
\set batch :g % 100 + 1
\set first (:g / 100) % (1000 / :rows) * :rows
\set last :first + :rows - 1
BEGIN;
SELECT claim_token FROM batches WHERE id = :batch FOR SHARE;
SELECT num FROM batches WHERE id = :batch \gset
SELECT '{' || string_agg((:num::bigint * 4294967296 + x)::text, ',') || '}' AS nos FROM generate_series(:first::int, :last::int) x \gset
UPDATE items i SET status = u.status, result = u.result, stage = COALESCE(u.stage, i.stage), finish_seq = u.finish_seq FROM unnest(:statuses::varchar[], :results::text[], :stages::int[], :seqs::int[], :nos::bigint[]) AS u(status, result, stage, finish_seq, item_no) WHERE i.item_no = u.item_no;
COMMIT;
