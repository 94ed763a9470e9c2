package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.batch.PhasePlan.Kind;
import dev.batchgate.batch.PhasePlan.Next;
import dev.batchgate.batch.PhasePlan.Phase;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetConfigParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhasePlanTest {

    static final TargetConfig TARGET = TargetConfigParser.parse(Map.of(
            "batchgate.targets.t.url", "http://localhost",
            "batchgate.targets.t.operations.start", "POST /i/{id}/start",
            "batchgate.targets.t.operations.start.rollback", "stop",
            "batchgate.targets.t.operations.start.check", "GET /i/{id}",
            "batchgate.targets.t.operations.start.check-expect", "$.state == 'stopped'",
            "batchgate.targets.t.operations.stop", "POST /i/{id}/stop",
            "batchgate.targets.t.operations.stop.rollback", "start")).get("t");

    static BatchSpec spec(List<String> operations, List<BatchSpec.Stage> stages, boolean transaction) {
        return BatchSpec.builder("t").operations(operations).stages(stages).failFast(transaction).transaction(transaction)
                .trigger("test").build();
    }

    @Test
    void should_run_one_phase_when_the_batch_is_plain() {
        PhasePlan plan = PhasePlan.of(spec(List.of("start"), List.of(), false), TARGET);

        Next first = plan.first(null);

        assertThat(first.phase()).isEqualTo(new Phase(Kind.RUN, 0, true));
        assertThat(plan.next(first.phase(), false, 3)).isEqualTo(new Next(null, null));
        assertThat(plan.checksFirst()).isFalse();
        assertThat(plan.phasesPerItem()).isEqualTo(1);
    }

    @Test
    void should_check_every_item_first_when_a_transaction_has_checks() {
        PhasePlan plan = PhasePlan.of(spec(List.of("stop", "start"), List.of(), true), TARGET);

        Phase checks = plan.first(null).phase();

        assertThat(checks.kind()).isEqualTo(Kind.CHECKS);
        assertThat(plan.checkedOperations()).containsExactly("start");
        assertThat(plan.next(checks, false, 0).phase()).isEqualTo(new Phase(Kind.RUN, 0, true));
        assertThat(plan.phasesPerItem()).isEqualTo(2);
    }

    @Test
    void should_roll_back_when_a_transaction_stopped_in_any_phase() {
        PhasePlan plan = PhasePlan.of(spec(List.of("start"), List.of(), true), TARGET);
        Phase checks = plan.first(null).phase();
        Phase run = plan.next(checks, false, 0).phase();

        assertThat(plan.next(checks, true, 0).phase().kind()).isEqualTo(Kind.ROLLBACK);
        assertThat(plan.next(run, true, 1).phase().kind()).isEqualTo(Kind.ROLLBACK);
        assertThat(plan.next(new Phase(Kind.ROLLBACK, 0, true), true, 0).phase()).isNull();
        assertThat(plan.next(run, false, 0).phase()).isNull();
    }

    @Test
    void should_end_the_chain_with_a_reason_when_a_stop_on_failure_stage_had_failures() {
        PhasePlan plan = PhasePlan.of(spec(List.of(), List.of(new BatchSpec.Stage("stop", true),
                new BatchSpec.Stage("start", false), new BatchSpec.Stage("stop", false)), false), TARGET);
        Phase first = plan.first(null).phase();

        assertThat(plan.next(first, false, 0).phase()).isEqualTo(new Phase(Kind.RUN, 1, false));
        assertThat(plan.next(first, false, 2)).isEqualTo(new Next(null, StopReason.STOP_ON_FAILURE));
        assertThat(plan.next(new Phase(Kind.RUN, 1, false), false, 2).phase()).isEqualTo(new Phase(Kind.RUN, 2, true));
    }

    @Test
    void should_resume_in_the_stored_phase_when_a_batch_restarts() {
        PhasePlan plan = PhasePlan.of(spec(List.of("start"), List.of(), true), TARGET);

        assertThat(plan.first("checks").phase().kind()).isEqualTo(Kind.CHECKS);
        assertThat(plan.first("run").phase().kind()).isEqualTo(Kind.RUN);
        assertThat(plan.first("rollback").phase().kind()).isEqualTo(Kind.ROLLBACK);
    }

    @Test
    void should_keep_an_item_pending_when_it_passed_its_check_or_a_stage_with_more_after_it() {
        Phase checks = new Phase(Kind.CHECKS, 0, false);
        Phase middle = new Phase(Kind.RUN, 0, false);
        Phase last = new Phase(Kind.RUN, 1, true);

        assertThat(checks.statusAfter(ItemStatus.SUCCEEDED)).isEqualTo(ItemStatus.PENDING);
        assertThat(checks.storesResult(ItemStatus.SUCCEEDED)).isFalse();
        assertThat(checks.statusAfter(ItemStatus.SKIPPED)).isEqualTo(ItemStatus.SKIPPED);
        assertThat(middle.statusAfter(ItemStatus.SUCCEEDED)).isEqualTo(ItemStatus.PENDING);
        assertThat(middle.stageAfter(ItemStatus.SUCCEEDED)).isEqualTo(1);
        assertThat(middle.stageAfter(ItemStatus.FAILED)).isZero();
        assertThat(last.statusAfter(ItemStatus.SUCCEEDED)).isEqualTo(ItemStatus.SUCCEEDED);
    }
}
