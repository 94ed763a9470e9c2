-- Cluster mode: the live retunes of the targets (PATCH /v1/targets/{t}), applied by every node within a
-- second and after a restart. NULL: not retuned (the properties' value); rpm 0: no limit. A single node
-- keeps its retunes in memory and never writes here.
CREATE TABLE target_tunings (
    target VARCHAR(200) PRIMARY KEY,
    rpm INT,
    concurrency INT
);
