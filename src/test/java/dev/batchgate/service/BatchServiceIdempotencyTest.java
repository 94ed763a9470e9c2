package dev.batchgate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.EngineSettings;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService.IdempotencyKey;
import dev.batchgate.service.BatchService.Submitted;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.target.TargetConfigParser;
import dev.batchgate.target.TargetRegistry;
import dev.batchgate.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency at the door every entry point uses, on the real engine and job store (H2, or PostgreSQL when configured). */
class BatchServiceIdempotencyTest {

    private static final BatchSpec SPEC = BatchSpec.builder("svc", "process").trigger("test").build();
    private static final List<BatchItem> ITEMS = List.of(item(0, "a"), item(1, "b"));

    private final SkippingClock clock = new SkippingClock();
    private TestDatabase database;
    private JobStore store;
    private ResultWriter writer;
    private BatchService batches;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        store = new JdbcJobStore(database.url(), database.user(), database.password());
        writer = new ResultWriter(store);
        TargetRegistry targets = new TargetRegistry(TargetConfigParser.parse(Map.of(
                "batchgate.targets.svc.url", "http://127.0.0.1:1",
                "batchgate.targets.svc.operations.process", "POST /i/{id}")));
        EngineSettings settings = new EngineSettings(100, 1000, Duration.ofSeconds(60), 10, false);
        BatchEngine engine = new BatchEngine(store, targets, settings);
        // the batches stay pending: what is asserted is what the door stores and answers
        engine.setLauncher(run -> {
        });
        batches = new BatchService(engine, store, targets, settings, writer, clock);
    }

    @AfterEach
    void stop() {
        writer.close();
        store.close();
        database.close();
    }

    @Test
    void should_give_back_the_first_batch_when_the_same_key_comes_with_the_same_request() {
        Submitted first = batches.submit(SPEC, ITEMS, new IdempotencyKey("k-1", "hash-a"));
        Submitted again = batches.submit(SPEC, ITEMS, new IdempotencyKey("k-1", "hash-a"));

        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.total()).isEqualTo(2);
        assertThat(batches.list(null, null, 10)).hasSize(1);
    }

    @Test
    void should_refuse_the_key_with_a_conflict_when_it_comes_with_another_request() {
        batches.submit(SPEC, ITEMS, new IdempotencyKey("k-1", "hash-a"));

        assertThatThrownBy(() -> batches.submit(SPEC, ITEMS, new IdempotencyKey("k-1", "hash-b")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.kind()).isEqualTo(BadRequestException.Kind.CONFLICT))
                .hasMessageContaining("already used with a different request body");
        assertThat(batches.list(null, null, 10)).hasSize(1);
    }

    @Test
    void should_give_back_the_winner_when_two_calls_with_the_same_key_race_to_store_it() {
        Submitted winner = batches.submit(SPEC, ITEMS, new IdempotencyKey("k-1", "hash-a"));
        // the loser's look-up does not see the winner's key, as when it ran before the winner committed
        clock.skipOnce(Duration.ofDays(2));

        Submitted loser = batches.submit(SPEC, ITEMS, new IdempotencyKey("k-1", "hash-a"));

        assertThat(clock.skipped()).isTrue();
        assertThat(loser.replayed()).isTrue();
        assertThat(loser.id()).isEqualTo(winner.id());
        assertThat(batches.list(null, null, 10)).hasSize(1);
    }

    @Test
    void should_submit_without_idempotency_when_the_key_is_blank_and_refuse_one_longer_than_255_characters() {
        assertThat(IdempotencyKey.of(" ", () -> "hash-a")).isNull();
        assertThat(IdempotencyKey.of(null, () -> "hash-a")).isNull();
        assertThatThrownBy(() -> IdempotencyKey.of("k".repeat(256), () -> "hash-a"))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.kind()).isEqualTo(BadRequestException.Kind.INVALID));

        Submitted first = batches.submit(SPEC, ITEMS, IdempotencyKey.of(" ", () -> "hash-a"));
        Submitted second = batches.submit(SPEC, ITEMS, IdempotencyKey.of(" ", () -> "hash-a"));

        assertThat(second.id()).isNotEqualTo(first.id());
    }

    private static BatchItem item(int index, String id) {
        return new BatchItem(index, Json.MAPPER.getNodeFactory().textNode(id), null);
    }

    /** The system clock, but its next reading once {@link #skipOnce} ahead. */
    private static final class SkippingClock extends Clock {
        private final AtomicReference<Duration> skip = new AtomicReference<>();
        private volatile boolean skipped;

        void skipOnce(Duration ahead) {
            skip.set(ahead);
        }

        boolean skipped() {
            return skipped;
        }

        @Override
        public Instant instant() {
            Duration ahead = skip.getAndSet(null);
            if (ahead == null) {
                return Instant.now();
            }
            skipped = true;
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
