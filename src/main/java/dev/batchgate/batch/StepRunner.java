package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.target.CallOutcome;
import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.RequestTemplate;
import dev.batchgate.target.ResolvedRequest;
import dev.batchgate.target.TargetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What an item does around its calls: an operation's check before it (a validation or a
 * condition), its await after it, the steps of a composite or of a chain stage in order,
 * the checks phase of a transaction, and the rollback of what an item changed, last change first.
 * Every request goes through {@link TargetCalls}: checks, polls and rollbacks count against the
 * target's rate limit and stop with their phase.
 */
final class StepRunner {

    private final TargetCalls calls;

    StepRunner(TargetCalls calls) {
        this.calls = calls;
    }

    /** One operation done on one item: checked, called, awaited; or undone, when {@code rollbackOf} is set. */
    record Step(String operation, String rollbackOf, ItemStatus status, Integer httpStatus, int attempts, long durationMs,
            String error, JsonNode response, AwaitTiming await) {

        boolean ended() {
            return status == ItemStatus.FAILED || status == ItemStatus.CANCELLED;
        }

        /** What the item keeps of the step: all but its answer. */
        StepRecord record() {
            return new StepRecord(operation, rollbackOf, status, httpStatus, attempts, durationMs, error, await);
        }
    }

    private enum Verdict { PASS, SKIP, FAIL, CANCELLED }

    /** A check's verdict; {@code httpStatus} only when the check's own call failed (a 404, say), not when its answer disappointed. */
    private record Check(Verdict verdict, Integer httpStatus, String message, JsonNode response) {
    }

    private record Settle(ItemStatus status, String error, JsonNode response) {
    }

    /**
     * Runs {@code operations} on an item in order, stopping at the first that fails; a step whose
     * check says skip is left out and the next runs. A chain stage continues the item's earlier
     * {@code steps} ({@code previous}); a plain single operation reports flat, without steps.
     */
    ItemResult stage(BatchRun run, BatchItem item, List<String> operations, ItemResult previous) {
        long start = System.nanoTime();
        boolean checkEach = !run.spec().transaction();
        List<Step> done = new ArrayList<>();
        for (String operation : operations) {
            Step step = perform(run, item, operation, checkEach);
            done.add(step);
            if (step.ended()) {
                break;
            }
        }
        if (operations.size() == 1 && !run.plan().isChain()) {
            return flat(item, done.get(0));
        }
        List<StepRecord> steps = new ArrayList<>();
        int attempts = 0;
        long durationMs = elapsedMs(start);
        if (previous != null) {
            if (previous.details().steps() != null) {
                steps.addAll(previous.details().steps());
            }
            attempts += previous.attempts();
            durationMs += previous.durationMs();
        }
        Step decisive = null;
        Step lastCalled = null;
        for (Step step : done) {
            steps.add(step.record());
            attempts += step.attempts();
            if (step.status() != ItemStatus.SKIPPED) {
                lastCalled = step;
            }
            if (decisive == null && step.ended()) {
                decisive = step;
            }
        }
        ItemStatus status = decisive != null ? decisive.status() : lastCalled != null ? ItemStatus.SUCCEEDED : ItemStatus.SKIPPED;
        Step shown = decisive != null ? decisive : lastCalled != null ? lastCalled : done.get(0);
        return new ItemResult(item.index(), item.id(), status, shown.httpStatus(), attempts, durationMs,
                status == ItemStatus.SUCCEEDED ? null : shown.error(), status == ItemStatus.SUCCEEDED ? shown.response() : null,
                ItemResult.Details.steps(steps));
    }

    /**
     * {@link #stage} for a plain operation (no check, no await) of a single-operation batch, whose call
     * holds no thread while it waits for its permit and its answer.
     */
    CompletableFuture<ItemResult> callOnly(BatchRun run, BatchItem item, OperationConfig op, Executor blocking) {
        long start = System.nanoTime();
        ResolvedRequest request = TargetCalls.resolve(run.id(), run.target().config(), op, item, false);
        return calls.callAsync(run, request, blocking).thenApply(call -> flat(item, called(op, null, call, start)));
    }

    /**
     * A transaction's checks phase for one item: every checked operation of the batch, before anything
     * changes. A passed item comes back {@code succeeded} (it stays pending for the run).
     */
    ItemResult checks(BatchRun run, BatchItem item) {
        long start = System.nanoTime();
        for (String operation : run.plan().checkedOperations()) {
            Check check = check(run, item, run.target().config().operation(operation));
            ItemStatus status = switch (check.verdict()) {
                case PASS -> null;
                case SKIP -> ItemStatus.SKIPPED;
                case FAIL -> ItemStatus.FAILED;
                case CANCELLED -> ItemStatus.CANCELLED;
            };
            if (status != null) {
                return new ItemResult(item.index(), item.id(), status, check.httpStatus(), 0, elapsedMs(start), check.message(),
                        check.response(), ItemResult.Details.checked(operation));
            }
        }
        return new ItemResult(item.index(), item.id(), ItemStatus.SUCCEEDED, null, 0, elapsedMs(start), null, null, null);
    }

    /**
     * Undoes what an item changed with each operation's rollback, last change first, stopping at the
     * first rollback that fails (undoing earlier changes on top of an unknown state could make it
     * worse). A rollback cut by a shutdown leaves the item as it was, to be rolled back on resume.
     */
    ItemResult rollback(BatchRun run, WorkItem work) {
        BatchItem item = work.item();
        ItemResult before = work.previous() != null ? work.previous()
                : new ItemResult(item.index(), item.id(), work.from(), null, 0, 0, null, null, null);
        List<StepRecord> record = new ArrayList<>();
        String error = null;
        for (String operation : work.undo()) {
            Step step = undo(run, item, operation);
            if (step.status() == ItemStatus.CANCELLED) {
                return before.withStatus(work.from(), before.error());
            }
            record.add(step.record());
            if (step.status() != ItemStatus.SUCCEEDED) {
                error = "rollback " + step.operation() + " of " + operation + " failed: " + step.error();
                break;
            }
        }
        ItemStatus status = RollbackPlanner.statusAfter(work.from(), error == null);
        return before.withRollback(status, error != null ? error : before.error(), record);
    }

    private Step perform(BatchRun run, BatchItem item, String operation, boolean checkFirst) {
        long start = System.nanoTime();
        TargetConfig target = run.target().config();
        OperationConfig op = target.operation(operation);
        if (checkFirst && op.check() != null) {
            Check check = check(run, item, op);
            ItemStatus status = switch (check.verdict()) {
                case PASS -> null;
                case SKIP -> ItemStatus.SKIPPED;
                case FAIL -> ItemStatus.FAILED;
                case CANCELLED -> ItemStatus.CANCELLED;
            };
            if (status != null) {
                return new Step(operation, null, status, check.httpStatus(), 0, elapsedMs(start), check.message(),
                        check.response(), null);
            }
        }
        return act(run, item, op, TargetCalls.resolve(run.id(), target, op, item, false), null, start);
    }

    private Step undo(BatchRun run, BatchItem item, String operation) {
        long start = System.nanoTime();
        TargetConfig target = run.target().config();
        OperationConfig undone = target.operation(operation);
        OperationConfig rollback = undone == null || undone.rollback() == null ? null : target.operation(undone.rollback());
        if (rollback == null) {
            return new Step(operation, operation, ItemStatus.FAILED, null, 0, 0,
                    "operation '" + operation + "' has no rollback configured any more", null, null);
        }
        ResolvedRequest request = TargetCalls.resolve(run.id(), target, rollback, item, false);
        if (rollback.isChanging()) {
            // keyed by the operation undone: two steps rolled back by the same operation stay two calls
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            headers.put("Idempotency-Key", TargetCalls.idempotencyKey(run.id(), item, "rollback-" + operation));
            request = new ResolvedRequest(request.method(), request.url(), request.endpointUri(), headers, request.body());
        }
        return act(run, item, rollback, request, operation, start);
    }

    /** The call, then, when the operation has an await, the polls until it settles. */
    private Step act(BatchRun run, BatchItem item, OperationConfig op, ResolvedRequest request, String rollbackOf, long start) {
        Attempts call = calls.call(run, request);
        if (call.status() != ItemStatus.SUCCEEDED || op.await() == null) {
            return called(op, rollbackOf, call, start);
        }
        long actMs = elapsedMs(start);
        Settle settle = await(run, item, op);
        long settleMs = elapsedMs(start);
        return new Step(op.name(), rollbackOf, settle.status(), call.outcome().httpStatus(), call.attempts(), settleMs,
                settle.error(), settle.response() != null ? settle.response() : call.outcome().body(), new AwaitTiming(actMs, settleMs));
    }

    /** A step that ends with its call (no await, or a call that did not succeed). */
    private static Step called(OperationConfig op, String rollbackOf, Attempts call, long start) {
        return new Step(op.name(), rollbackOf, call.status(), call.outcome() == null ? null : call.outcome().httpStatus(),
                call.attempts(), elapsedMs(start), call.error(),
                call.status() == ItemStatus.SUCCEEDED ? call.outcome().body() : null, null);
    }

    /**
     * Polls the operation's await request until its field reaches a success or failure value or the
     * await timeout passes. A poll that cannot be answered right now (5xx, timeout) is simply tried
     * again at the next interval.
     */
    private Settle await(BatchRun run, BatchItem item, OperationConfig op) {
        SettleRule rule = SettleRule.of(op);
        ResolvedRequest poll = read(run.target().config(), op.await(), item);
        long deadline = System.nanoTime() + op.awaitTimeout().toNanos();
        JsonNode last = null;
        while (true) {
            Attempts answer = calls.call(run, poll);
            if (answer.status() == ItemStatus.CANCELLED) {
                return new Settle(ItemStatus.CANCELLED, "cancelled while awaiting " + op.name() + ": " + rule.describe(last), last);
            }
            if (answer.status() == ItemStatus.SUCCEEDED) {
                last = answer.outcome().body();
                switch (rule.judge(last)) {
                    case SETTLED -> {
                        return new Settle(ItemStatus.SUCCEEDED, null, last);
                    }
                    case FAILED -> {
                        return new Settle(ItemStatus.FAILED, "await " + op.name() + " settled as a failure: " + rule.describe(last), last);
                    }
                    case WAITING -> {
                    }
                }
            } else if (answer.outcome().kind() == CallOutcome.Kind.FAILED) {
                return new Settle(ItemStatus.FAILED, "await " + op.name() + " poll failed: " + answer.error(), last);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Settle(ItemStatus.FAILED, "await " + op.name() + " timed out after " + describe(op.awaitTimeout())
                        + ": " + rule.describe(last), last);
            }
            if (!run.pause(Duration.ofNanos(Math.min(remaining, op.awaitInterval().toNanos())))) {
                return new Settle(ItemStatus.CANCELLED, "cancelled while awaiting " + op.name() + ": " + rule.describe(last), last);
            }
        }
    }

    /**
     * Reads the check's answer and judges it. A check that cannot be read (404, retries used up)
     * fails the item in either mode: nothing is known about it.
     */
    private Check check(BatchRun run, BatchItem item, OperationConfig op) {
        Attempts answer = calls.call(run, read(run.target().config(), op.check(), item));
        Integer httpStatus = answer.outcome() == null ? null : answer.outcome().httpStatus();
        if (answer.status() == ItemStatus.CANCELLED) {
            return new Check(Verdict.CANCELLED, httpStatus, answer.error(), null);
        }
        if (answer.status() != ItemStatus.SUCCEEDED) {
            return new Check(Verdict.FAIL, httpStatus, "check " + op.check().method() + " " + op.check().path()
                    + " failed: " + answer.error(), null);
        }
        JsonNode body = answer.outcome().body();
        if (op.checkExpect() == null || op.checkExpect().test(body)) {
            return new Check(Verdict.PASS, null, null, body);
        }
        String failure = op.checkExpect().describeFailure(body);
        return op.checkMode() == OperationConfig.CheckMode.SKIP
                ? new Check(Verdict.SKIP, null, failure.replaceFirst("^check failed", "check not met"), body)
                : new Check(Verdict.FAIL, null, failure, body);
    }

    /** A check or await poll: a read, so no body and no idempotency key. */
    private static ResolvedRequest read(TargetConfig target, OperationConfig.Call call, BatchItem item) {
        return new ResolvedRequest(call.method(), target.url() + RequestTemplate.path(call.path(), item.id(), item.params()),
                null, Map.copyOf(target.headers()), null);
    }

    private static ItemResult flat(BatchItem item, Step step) {
        return new ItemResult(item.index(), item.id(), step.status(), step.httpStatus(), step.attempts(), step.durationMs(),
                step.error(), step.status() == ItemStatus.SUCCEEDED ? step.response() : null,
                ItemResult.Details.awaited(step.await()));
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
