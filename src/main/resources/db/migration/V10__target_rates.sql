-- Cluster mode: each target's next allowed start on the database's clock, shared by every node (GCRA). A
-- node reserves a few starts at a time by moving next_start on; a 429 sets paused_until for all nodes. A
-- single node keeps its rate in memory and never writes here.
CREATE TABLE target_rates (
    target VARCHAR(200) PRIMARY KEY,
    next_start TIMESTAMP WITH TIME ZONE NOT NULL,
    paused_until TIMESTAMP WITH TIME ZONE
);
