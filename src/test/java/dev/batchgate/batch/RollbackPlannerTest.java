package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.batch.RollbackPlanner.Kind;
import dev.batchgate.store.ResultColumn;
import org.junit.jupiter.api.Test;

/** Decisions on results as the job store holds them, so rows stored before an upgrade are read the same. */
class RollbackPlannerTest {

    private static ItemResult stored(String column) {
        return ResultColumn.read(0, column);
    }

    @Test
    void should_undo_the_operation_when_a_single_operation_item_succeeded() {
        var decision = RollbackPlanner.decide(ItemStatus.SUCCEEDED, stored("{\"status\":\"succeeded\"}"), "start");

        assertThat(decision.kind()).isEqualTo(Kind.UNDO);
        assertThat(decision.undo()).containsExactly("start");
    }

    @Test
    void should_undo_completed_steps_last_first_when_a_composite_stopped_halfway() {
        var result = stored("""
                {"status":"failed","steps":[
                  {"operation":"prepare","status":"succeeded"},
                  {"operation":"check-only","status":"skipped"},
                  {"operation":"deploy","status":"succeeded"},
                  {"operation":"verify","status":"failed"}]}""");

        var decision = RollbackPlanner.decide(ItemStatus.FAILED, result, null);

        assertThat(decision.undo()).containsExactly("deploy", "prepare");
    }

    @Test
    void should_undo_an_awaited_call_when_only_its_settle_failed() {
        var result = stored("{\"status\":\"failed\",\"actMs\":40,\"settleMs\":500,\"error\":\"await start timed out\"}");

        assertThat(RollbackPlanner.decide(ItemStatus.FAILED, result, "start").undo()).containsExactly("start");
        assertThat(RollbackPlanner.decide(ItemStatus.CANCELLED, result, "start").kind()).isEqualTo(Kind.UNDO);
    }

    @Test
    void should_undo_nothing_when_the_call_never_went_through() {
        assertThat(RollbackPlanner.decide(ItemStatus.FAILED, stored("{\"status\":\"failed\",\"httpStatus\":500}"), "start").kind())
                .isEqualTo(Kind.NOTHING);
        assertThat(RollbackPlanner.decide(ItemStatus.CANCELLED, null, "start").kind()).isEqualTo(Kind.NOTHING);
        assertThat(RollbackPlanner.decide(ItemStatus.SKIPPED, stored("{\"status\":\"skipped\"}"), "start").kind())
                .isEqualTo(Kind.NOTHING);
    }

    @Test
    void should_not_call_again_when_an_item_was_rolled_back_before_a_restart() {
        var undoneFailure = stored("{\"status\":\"failed\",\"steps\":[{\"operation\":\"a\",\"status\":\"succeeded\"}],"
                + "\"rollback\":[{\"operation\":\"undo-a\",\"status\":\"succeeded\"}]}");

        assertThat(RollbackPlanner.decide(ItemStatus.ROLLED_BACK, null, "start").kind()).isEqualTo(Kind.ALREADY_UNDONE);
        assertThat(RollbackPlanner.decide(ItemStatus.ROLLBACK_FAILED, null, "start").kind()).isEqualTo(Kind.ALREADY_FAILED);
        assertThat(RollbackPlanner.decide(ItemStatus.FAILED, undoneFailure, null).kind()).isEqualTo(Kind.ALREADY_UNDONE);
    }

    @Test
    void should_keep_the_failed_item_failed_when_its_own_changes_were_undone() {
        assertThat(RollbackPlanner.statusAfter(ItemStatus.SUCCEEDED, true)).isEqualTo(ItemStatus.ROLLED_BACK);
        assertThat(RollbackPlanner.statusAfter(ItemStatus.CANCELLED, true)).isEqualTo(ItemStatus.ROLLED_BACK);
        assertThat(RollbackPlanner.statusAfter(ItemStatus.FAILED, true)).isEqualTo(ItemStatus.FAILED);
        assertThat(RollbackPlanner.statusAfter(ItemStatus.SUCCEEDED, false)).isEqualTo(ItemStatus.ROLLBACK_FAILED);
    }
}
