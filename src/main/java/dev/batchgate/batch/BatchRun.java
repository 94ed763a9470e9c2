package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.ratelimit.RateLimiter;
import dev.batchgate.target.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one running batch: counters by item status, the phase it is in (checks, a stage,
 * the rollback) with that phase's own stop signal and in-flight bound, the batch's stop reason
 * (cancel, deadline, fail-fast…), per-stage and rollback tallies, and the progress listeners.
 * Finished batches live only in the job store.
 */
public final class BatchRun {

    /** Failed items logged one by one per batch; beyond that only their number, at the batch's end. */
    static final int LOGGED_FAILURES = 100;
    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

    private final String id;
    private final BatchSpec spec;
    private final AtomicInteger failures = new AtomicInteger();
    private final Target target;
    private final int total;
    private final Instant createdAt;
    /** Items by status; guarded by itself, so that an item moving between two is never seen in neither. */
    private final int[] counts = new int[ItemStatus.values().length];
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final List<Consumer<ProgressEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<SummarySection> facadeSection = new AtomicReference<>();
    private final int breakerMinFinished;
    private final PhasePlan plan;
    private final StageTallies stages;
    private final String resumePhase;
    private final AtomicLong plannedWork = new AtomicLong();
    private final AtomicLong doneWork = new AtomicLong();
    private final AtomicInteger finishSeqs;
    /** Events whose place in the finish order comes after one not published yet; guarded by itself. */
    private final TreeMap<Integer, ProgressEvent> waiting = new TreeMap<>();
    private int publishedSeq;
    private volatile PhasePlan.Phase phase;
    private volatile PhaseControl control;
    private volatile RollbackTally rollback;
    private volatile StopReason stopReason;
    private volatile boolean shuttingDown;
    private volatile BooleanSupplier claimsHeld = () -> true;
    private volatile BatchStatus status = BatchStatus.PENDING;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;

    /**
     * Progress after one item finished a phase; {@code item} is null for the final event. {@code finishSeq}
     * is the item's place in the batch's finish order, 0 for a result that is not stored (a passed check).
     */
    public record ProgressEvent(BatchRun run, ItemResult item, int finishSeq) {
    }

    /**
     * Where a batch read back from the job store stands: its item counts by status and stage, its phase and
     * stop reason, the last place in its finish order a stored result holds, and the stage tallies a chain's
     * summary held when it entered its rollback (null when it has not).
     */
    record Resume(List<StageTallies.Count> counts, String phase, StopReason reason, int lastFinishSeq,
            List<StageTallies.Count> summarizedStages) {
        static final Resume NEW = new Resume(List.of(), null, null, 0, null);
    }

    /** The rollback section of the summary: items whose changes were undone, or could not be. */
    static final class RollbackTally {
        private final String cause;
        private final AtomicIntegerArray counts = new AtomicIntegerArray(3);

        RollbackTally(String cause) {
            this.cause = cause;
        }

        void record(boolean undone) {
            counts.incrementAndGet(0);
            counts.incrementAndGet(undone ? 1 : 2);
        }

        ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("attempted", counts.get(0));
            node.put("succeeded", counts.get(1));
            node.put("failed", counts.get(2));
            node.put("cause", cause);
            return node;
        }
    }

    BatchRun(String id, BatchSpec spec, Target target, int total, Instant createdAt, Instant startedAt, Resume resume,
            int breakerMinFinished) {
        this.breakerMinFinished = breakerMinFinished;
        this.id = id;
        this.spec = spec;
        this.target = target;
        this.total = total;
        this.createdAt = createdAt;
        this.startedAt = startedAt;
        this.plan = PhasePlan.of(spec, target.config());
        this.resumePhase = resume.phase();
        this.finishSeqs = new AtomicInteger(resume.lastFinishSeq());
        this.publishedSeq = resume.lastFinishSeq();
        this.control = new PhaseControl(this::effectiveConcurrency);
        List<String> labels = plan.stages().stream().map(s -> String.join("+", s.operations())).toList();
        this.stages = "rollback".equals(resume.phase()) && resume.summarizedStages() != null
                ? StageTallies.summarized(labels, resume.summarizedStages()) : StageTallies.fromStore(labels, resume.counts());
        if ("rollback".equals(resume.phase()) && resume.reason() != null) {
            this.stopReason = resume.reason();
        }
        int perItem = plan.phasesPerItem();
        int checksDone = plan.checksFirst() && resume.phase() != null && !resume.phase().equals("checks") ? 1 : 0;
        int finished = 0;
        long work = 0;
        for (StageTallies.Count c : resume.counts()) {
            if (c.status().isFinal()) {
                counts[c.status().ordinal()] += c.count();
                finished += c.count();
                work += (long) perItem * c.count();
            } else {
                work += (long) (checksDone + c.stage()) * c.count();
            }
        }
        counts[ItemStatus.PENDING.ordinal()] = total - finished;
        plannedWork.set((long) perItem * total);
        doneWork.set(work);
    }

    public String id() {
        return id;
    }

    public BatchSpec spec() {
        return spec;
    }

    public Target target() {
        return target;
    }

    public int total() {
        return total;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public BatchStatus status() {
        return status;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** The phases this batch runs through. */
    public PhasePlan plan() {
        return plan;
    }

    /** The phase running now; null before the first. */
    public PhasePlan.Phase phase() {
        return phase;
    }

    /** The phase a resumed batch was in when it stopped, as the job store kept it. */
    String resumePhase() {
        return resumePhase;
    }

    StageTallies stages() {
        return stages;
    }

    /** The section a facade adds to this batch's summary, or null while it has none. */
    public <S extends SummarySection> S section(Class<S> type) {
        SummarySection section = facadeSection.get();
        return type.isInstance(section) ? type.cast(section) : null;
    }

    /** Replaces the facade's section by {@code update} of it (given null the first time); {@code update} may run more than once. */
    public <S extends SummarySection> void updateSection(Class<S> type, UnaryOperator<S> update) {
        facadeSection.updateAndGet(section -> update.apply(type.isInstance(section) ? type.cast(section) : null));
    }

    /**
     * The sections this run adds to its summary, as JSON for the summary and the job store: a facade's, the
     * live {@code stages} (chains) and {@code rollback} (transactions that rolled back).
     */
    public ObjectNode sections() {
        ObjectNode sections = Json.object();
        SummarySection added = facadeSection.get();
        if (added != null) {
            sections.set(added.field(), added.toJson());
        }
        if (plan.isChain()) {
            sections.set("stages", stages.toJson());
        }
        RollbackTally tally = rollback;
        if (tally != null) {
            sections.set("rollback", tally.toJson());
        }
        return sections;
    }

    /** {@code batchgate.breaker.min-finished}: how many items must finish before maxFailurePercent applies. */
    public int breakerMinFinished() {
        return breakerMinFinished;
    }

    public int count(ItemStatus status) {
        synchronized (counts) {
            return counts[status.ordinal()];
        }
    }

    /** Every count at one moment (by {@link ItemStatus#ordinal()}): they add up to {@link #total()}. */
    public int[] counts() {
        synchronized (counts) {
            return counts.clone();
        }
    }

    public int finishedCount() {
        int[] now = counts();
        return total - now[ItemStatus.PENDING.ordinal()] - now[ItemStatus.RUNNING.ordinal()];
    }

    private void move(ItemStatus from, ItemStatus to, int n) {
        synchronized (counts) {
            counts[from.ordinal()] -= n;
            counts[to.ordinal()] += n;
        }
    }

    /** Work done and planned, in item passes (an item's checks, each stage, its rollback): what progress and ETA are made of. */
    public long[] work() {
        return new long[] {doneWork.get(), plannedWork.get()};
    }

    /** The batch's own limit, never above the target's current one. */
    public int effectiveConcurrency() {
        int targetLimit = target.config().concurrency();
        return spec.concurrency() == null ? targetLimit : Math.min(spec.concurrency(), targetLimit);
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    /** Completes when the flow has let go of this run (finished, or paused for a shutdown) and returned. */
    public CompletableFuture<Void> exited() {
        return exited;
    }

    /** Called by the launcher once the batch route has returned for this run. */
    public void flowReturned() {
        exited.complete(null);
    }

    public boolean isStopping() {
        return stopReason != null || shuttingDown;
    }

    /** Stopped for a shutdown: the batch stays resumable in the store, whatever phase it is in. */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Stops the batch: nothing new starts, calls in flight finish. The first reason wins. A rollback
     * under way is not stopped (the stop is what started it); only a shutdown pauses it.
     */
    public synchronized boolean stop(StopReason reason) {
        if (reason == StopReason.SHUTDOWN) {
            shuttingDown = true;
            control.stop();
            return true;
        }
        if (stopReason != null) {
            return false;
        }
        stopReason = reason;
        if (phase == null || phase.kind() != PhasePlan.Kind.ROLLBACK) {
            control.stop();
        }
        return true;
    }

    /** The reason the summary shows: a transaction that rolled back says so whatever stopped it. */
    public StopReason reportedReason() {
        if (rollback != null) {
            return StopReason.TRANSACTION_ROLLED_BACK;
        }
        return stopReason == StopReason.CANCELLED ? null : stopReason;
    }

    /** How the batch ends: completed when nothing stopped it, cancelled when someone asked, else failed. */
    BatchStatus finalStatus() {
        if (stopReason == null) {
            return BatchStatus.COMPLETED;
        }
        return stopReason == StopReason.CANCELLED ? BatchStatus.CANCELLED : BatchStatus.FAILED;
    }

    public void addListener(Consumer<ProgressEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<ProgressEvent> listener) {
        listeners.remove(listener);
    }

    void markStarted(Instant at) {
        if (startedAt == null) {
            startedAt = at;
        }
        status = BatchStatus.RUNNING;
    }

    void markFinished(BatchStatus finalStatus, Instant at) {
        status = finalStatus;
        finishedAt = at;
        doneWork.set(plannedWork.get());
        deliver(new ProgressEvent(this, null, 0));
        done.complete(null);
    }

    /** Enters {@code next} with a fresh stop signal; a phase the batch's stop applies to starts stopped when the batch is. */
    synchronized void beginPhase(PhasePlan.Phase next) {
        PhaseControl fresh = new PhaseControl(this::effectiveConcurrency);
        boolean rollingBack = next.kind() == PhasePlan.Kind.ROLLBACK;
        if (shuttingDown || (!rollingBack && stopReason != null)) {
            fresh.stop();
        }
        if (rollingBack) {
            rollback = new RollbackTally(rollbackCause());
        }
        control = fresh;
        phase = next;
    }

    /** Why a transaction rolls back: {@code check_failed}, {@code item_failed}, {@code deadline}, {@code cancelled}… */
    private String rollbackCause() {
        if (stopReason != StopReason.TRANSACTION_ROLLED_BACK && stopReason != null) {
            return stopReason.wire();
        }
        return phase != null && phase.kind() == PhasePlan.Kind.CHECKS ? "check_failed" : "item_failed";
    }

    /** The rollback's scan found {@code toUndo} items to roll back and others a run before this one already did. */
    void rollbackPlanned(int toUndo, int alreadyUndone, int alreadyFailed) {
        for (int i = 0; i < alreadyUndone; i++) {
            rollback.record(true);
        }
        for (int i = 0; i < alreadyFailed; i++) {
            rollback.record(false);
        }
        plannedWork.addAndGet(toUndo + alreadyUndone + alreadyFailed);
        doneWork.addAndGet(alreadyUndone + alreadyFailed);
    }

    /** Called by {@link ItemSlots#admit} before the split takes another item; false when the phase is stopping. */
    boolean awaitRoom() {
        return control.awaitRoom();
    }

    /** Called by {@link ItemSlots#admit} for each item the split takes. */
    void enterItem() {
        control.enter();
    }

    /** A call slot for an item handed out: completes when the item may start (see {@link InFlightGate}). */
    CompletableFuture<Void> callSlot() {
        return control.callSlot();
    }

    /** An item handed out starts running (it may wait for a call slot before it does). */
    void itemStarted(ItemStatus from) {
        move(from, ItemStatus.RUNNING, 1);
    }

    /** Counts an item the current phase is done with ({@code item-fold}); its place stays taken until {@link #itemReleased}. */
    void itemFinished(ItemResult result) {
        PhasePlan.Phase current = phase;
        ItemStatus after = current == null ? result.status() : current.statusAfter(result.status());
        move(ItemStatus.RUNNING, after, 1);
        if (after == ItemStatus.FAILED || after == ItemStatus.ROLLBACK_FAILED) {
            logFailure(after, result);
        }
        long work = 1;
        if (current != null) {
            switch (current.kind()) {
                case CHECKS -> work += after.isFinal() ? plan.stages().size() : 0;
                case RUN -> {
                    stages.add(current.stage(), result.status(), 1);
                    work += after.isFinal() ? plan.stages().size() - 1 - current.stage() : 0;
                }
                case ROLLBACK -> rollback.record(result.status() != ItemStatus.ROLLBACK_FAILED);
            }
        }
        doneWork.addAndGet(work);
    }

    private void logFailure(ItemStatus status, ItemResult result) {
        if (failures.getAndIncrement() < LOGGED_FAILURES) {
            LOG.warn("batch {} item {} {}: operation={} httpStatus={} attempts={} error={}", id, result.id().asText(),
                    status.wire(), spec.operationLabel(), result.httpStatus(), result.attempts(), result.error());
        }
    }

    /** Failed items of this run that {@link #LOGGED_FAILURES} kept out of the log. */
    int failuresNotLogged() {
        return Math.max(0, failures.get() - LOGGED_FAILURES);
    }

    /** Frees the item's place and tells the listeners ({@code item-release}); after the stop rules ran, so no item starts past a stop. */
    void itemReleased(ItemResult result, int finishSeq) {
        PhasePlan.Phase current = phase;
        ItemStatus after = current == null ? result.status() : current.statusAfter(result.status());
        control.leave();
        publish(new ProgressEvent(this, after == result.status() ? result : result.withStatus(after, result.error()), finishSeq));
    }

    /** The next place in the finish order, for a result about to be stored. */
    int nextFinishSeq() {
        return finishSeqs.incrementAndGet();
    }

    /** A place in the finish order whose result was never stored: the events after it need not wait for it. */
    void finishSeqUnused(int finishSeq) {
        publish(new ProgressEvent(this, null, finishSeq));
    }

    /**
     * The last place in the finish order whose event the listeners have had, with every place before it:
     * a listener added now sees every later one, in order.
     */
    public int publishedFinishSeq() {
        synchronized (waiting) {
            return publishedSeq;
        }
    }

    /**
     * Items never handed out when the batch stopped end {@code cancelled}: each in the stage it was
     * waiting for ({@code pendingByStage}), the work it had left counted as done.
     */
    void cancelPending(Map<Integer, Integer> pendingByStage) {
        int checksDone = plan.checksFirst() && phase != null && phase.kind() != PhasePlan.Kind.CHECKS ? 1 : 0;
        pendingByStage.forEach((stage, n) -> {
            move(ItemStatus.PENDING, ItemStatus.CANCELLED, n);
            stages.add(stage, ItemStatus.CANCELLED, n);
            doneWork.addAndGet((long) (plan.phasesPerItem() - checksDone - stage) * n);
        });
    }

    /** Leave to start one call on {@code limiter}: completes with the permit, or null when the current phase stops first. */
    CompletableFuture<RateLimiter.Permit> acquireAsync(RateLimiter limiter) {
        if (!claimsHeld.getAsBoolean()) {
            stop(StopReason.SHUTDOWN);
            return CompletableFuture.completedFuture(null);
        }
        return control.acquireAsync(limiter, id);
    }

    /** What each call asks first: whether this node still surely runs the batch (cluster mode); else the run pauses. */
    void guardCalls(BooleanSupplier claimsHeld) {
        this.claimsHeld = claimsHeld;
    }

    /** Sleeps unless the current phase stops first; true when the full time passed. */
    public boolean pause(Duration duration) {
        return control.pause(duration);
    }

    /**
     * Tells the listeners in finish order. Places are taken when a result is queued for the store, a moment
     * before the item is folded, so two items can arrive here swapped; the later one waits for the earlier.
     */
    private void publish(ProgressEvent event) {
        synchronized (waiting) {
            // items are released on many threads at once: the listeners still hear of one at a time
            if (event.finishSeq() == 0) {
                deliver(event);
                return;
            }
            if (event.finishSeq() != publishedSeq + 1) {
                waiting.put(event.finishSeq(), event);
                return;
            }
            publishedSeq++;
            deliver(event);
            while (!waiting.isEmpty() && waiting.firstKey() == publishedSeq + 1) {
                publishedSeq++;
                deliver(waiting.pollFirstEntry().getValue());
            }
        }
    }

    private void deliver(ProgressEvent event) {
        if (event.item() == null && event.finishSeq() != 0) {
            return; // an unused place
        }
        for (Consumer<ProgressEvent> listener : listeners) {
            listener.accept(event);
        }
    }
}
