-- Times are epoch milliseconds (BIGINT) so that H2 and PostgreSQL read them alike.
CREATE TABLE batches (
    id              VARCHAR(40)  PRIMARY KEY,
    target          VARCHAR(200) NOT NULL,
    operation       VARCHAR(1000) NOT NULL,
    spec            TEXT         NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    reason          VARCHAR(40),
    total           INT          NOT NULL,
    succeeded       INT          NOT NULL DEFAULT 0,
    failed          INT          NOT NULL DEFAULT 0,
    skipped         INT          NOT NULL DEFAULT 0,
    cancelled       INT          NOT NULL DEFAULT 0,
    rolled_back     INT          NOT NULL DEFAULT 0,
    rollback_failed INT          NOT NULL DEFAULT 0,
    trigger_name    VARCHAR(300) NOT NULL,
    retry_of        VARCHAR(40),
    created_at      BIGINT       NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    extra           TEXT
);
CREATE INDEX batches_created ON batches (created_at);
CREATE INDEX batches_status ON batches (status);

CREATE TABLE items (
    batch_id VARCHAR(40)   NOT NULL,
    idx      INT           NOT NULL,
    item_key VARCHAR(2000) NOT NULL,
    id_json  VARCHAR(2100) NOT NULL,
    params   TEXT,
    status   VARCHAR(20)   NOT NULL,
    result   TEXT,
    PRIMARY KEY (batch_id, idx)
);
CREATE UNIQUE INDEX items_key ON items (batch_id, item_key);
CREATE INDEX items_status ON items (batch_id, status, idx);

CREATE TABLE idempotency_keys (
    idem_key     VARCHAR(300) PRIMARY KEY,
    request_hash VARCHAR(64)  NOT NULL,
    batch_id     VARCHAR(40)  NOT NULL,
    status_code  INT          NOT NULL,
    created_at   BIGINT       NOT NULL
);
