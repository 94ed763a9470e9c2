-- ResultWriter's commit of :rows results (default 128: max-unwritten-results 256 / 2) in JdbcJobStore.saveResults'
-- one-UPDATE-per-row form (updateResults, H2's; result_unnest.sql is PostgreSQL's): in one transaction the batch's
-- claim (FOR SHARE) and number, then the rows as one JDBC batch (a pipeline: they travel together, not one round
-- trip each). pgbench.sh repeats the lines between "-- repeat" and "-- end repeat" :rows times. All clients
-- together write the batches' windows of :rows items in turn (:clients = the client count), each window once
-- before any is written again. :stage is 0 where the node binds NULL (no new stage): a pgbench variable cannot
-- be NULL.
\set w :w + 1
\set g :w * :clients + :client_id
\set batch :g % 100 + 1
\set seq (:g / 100) % (1000 / :rows) * :rows + 1
BEGIN;
SELECT claim_token FROM batches WHERE id = :batch FOR SHARE;
SELECT num FROM batches WHERE id = :batch \gset
\set no :num * 4294967296 + :seq - 1
\startpipeline
-- repeat
UPDATE items SET status = :status, result = :result, stage = COALESCE(:stage, stage), finish_seq = :seq WHERE item_no = :no;
\set no :no + 1
\set seq :seq + 1
-- end repeat
\endpipeline
COMMIT;
