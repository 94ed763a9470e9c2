-- JdbcSharedRate.reserve: a node reserves up to RateLimiter.MAX_RESERVED (20) starts of a target at once.
-- :targets = how many target rows the clients spread over (1: every node on one row, the worst case);
-- :span = n × interval in microseconds (20 starts at rpm 60,000: 20 × 61 s / 60,000 = 20,333 µs).
\set target random(1, :targets)
INSERT INTO target_rates AS r (target, next_start) VALUES (:target, clock_timestamp() + :span * INTERVAL '1 microsecond') ON CONFLICT (target) DO UPDATE SET next_start = GREATEST(r.next_start, clock_timestamp(), r.paused_until) + :span * INTERVAL '1 microsecond' RETURNING (EXTRACT(EPOCH FROM (r.next_start - clock_timestamp())) * 1000000)::bigint;
