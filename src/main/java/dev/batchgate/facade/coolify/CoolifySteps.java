package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.batchgate.batch.Attempts;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.ItemResult;
import dev.batchgate.batch.ItemRunner;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.batch.TargetCalls;
import dev.batchgate.json.Json;
import dev.batchgate.target.ResolvedRequest;
import dev.batchgate.target.TargetConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What each Coolify tool does for one uuid, as item procedures of the batch engine.
 *
 * <p>Why procedures in Java rather than a route per step or new engine features: an item is a short
 * conversation with Coolify (read, then stop or skip; set variables, then restart; restart, then poll
 * the deployment) whose next call depends on the last answer. Every call goes through
 * {@link ItemRunner#call}, so all of them, deployment polls included, share the target's one rate
 * limiter with every other batch on it, get its retries and stop when the batch is cancelled; no
 * permit is held between calls, and whatever happens ends only this item. The calls themselves stay
 * configuration: the target's operations ({@code restart-application}, {@code get-deployment}…).
 */
final class CoolifySteps {

    static final String STOP_APPLICATION = "stop-application";
    static final String RESTART_APPLICATION = "restart-application";
    static final String GET_APPLICATION = "get-application";
    static final String START_SERVICE = "start-service";
    static final String STOP_SERVICE = "stop-service";
    static final String GET_SERVICE = "get-service";
    static final String UPDATE_ENVS = "update-envs";
    static final String GET_DEPLOYMENT = "get-deployment";

    /** Batch params: the tools' options, the env var names and the reference to their values (never the values). */
    static final String WAIT_FOR_COMPLETION = "wait_for_completion";
    static final String FORCE = "force";
    static final String RESTART_AFTER_UPDATE = "restart_after_update";
    static final String ENV_VAR_NAMES = "env_var_names";
    static final String ENV_VALUES_REF = "env_values_ref";

    private static final Set<String> DEPLOYMENT_FAILED = Set.of("failed", "cancelled-by-user");

    private final EnvValueVault vault;
    private final ItemRunner runner;
    private final Duration pollInterval;
    private final Duration waitTimeout;

    CoolifySteps(ItemRunner runner, EnvValueVault vault, Duration pollInterval, Duration waitTimeout) {
        this.runner = runner;
        this.vault = vault;
        this.pollInterval = pollInterval;
        this.waitTimeout = waitTimeout;
    }

    /** The operations of the Coolify target that {@code tool} calls. */
    static List<String> operationsOf(CoolifyTool tool) {
        return switch (tool) {
            case RESTART_APPLICATIONS -> List.of(RESTART_APPLICATION, GET_DEPLOYMENT);
            case STOP_APPLICATIONS -> List.of(GET_APPLICATION, STOP_APPLICATION);
            case START_SERVICES -> List.of(START_SERVICE);
            case STOP_SERVICES -> List.of(GET_SERVICE, STOP_SERVICE);
            case UPDATE_ENV_VARS -> List.of(UPDATE_ENVS, RESTART_APPLICATION);
        };
    }

    void registerOn(String target) {
        runner.registerProcedure(target, CoolifyTool.RESTART_APPLICATIONS.toolName(), this::restartApplication);
        runner.registerProcedure(target, CoolifyTool.STOP_APPLICATIONS.toolName(),
                (run, item) -> stop(run, item, GET_APPLICATION, STOP_APPLICATION));
        runner.registerProcedure(target, CoolifyTool.START_SERVICES.toolName(), this::startService);
        runner.registerProcedure(target, CoolifyTool.STOP_SERVICES.toolName(),
                (run, item) -> stop(run, item, GET_SERVICE, STOP_SERVICE));
        runner.registerProcedure(target, CoolifyTool.UPDATE_ENV_VARS.toolName(), this::updateEnvVars);
    }

    private ItemResult restartApplication(BatchRun run, BatchItem item) {
        ItemCalls calls = new ItemCalls(run, item);
        Attempts restart = calls.call(RESTART_APPLICATION, item);
        if (restart.status() != ItemStatus.SUCCEEDED) {
            return calls.ended(restart, null);
        }
        String deployment = calls.noteDeployment(restart);
        if (!option(run, WAIT_FOR_COMPLETION)) {
            return calls.finish(ItemStatus.SUCCEEDED, null);
        }
        if (deployment == null) {
            return calls.finish(ItemStatus.FAILED, "restart queued, but Coolify's answer has no deployment_uuid to wait for");
        }
        return awaitDeployment(calls, deployment);
    }

    private static ItemResult cancelledWhileWaiting(ItemCalls calls, String deploymentUuid) {
        return calls.finish(ItemStatus.CANCELLED, "cancelled while waiting for deployment " + deploymentUuid);
    }

    /** Polls the deployment until it is finished, failed or cancelled, or the wait timeout passes. */
    private ItemResult awaitDeployment(ItemCalls calls, String deploymentUuid) {
        BatchItem deployment = new BatchItem(calls.item.index(), TextNode.valueOf(deploymentUuid), null);
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        String status = "queued";
        while (System.nanoTime() < deadline) {
            if (!calls.run.pause(pollInterval)) {
                return cancelledWhileWaiting(calls, deploymentUuid);
            }
            Attempts poll = calls.call(GET_DEPLOYMENT, deployment);
            if (poll.status() == ItemStatus.CANCELLED) {
                // cancelled while the poll waited for its turn on the target
                return cancelledWhileWaiting(calls, deploymentUuid);
            }
            if (poll.status() != ItemStatus.SUCCEEDED) {
                return calls.ended(poll, "restart queued, but reading deployment " + deploymentUuid + " failed");
            }
            status = field(poll, "status");
            if (status.equals("finished")) {
                return calls.finish(ItemStatus.SUCCEEDED, null);
            }
            if (DEPLOYMENT_FAILED.contains(status)) {
                return calls.finish(ItemStatus.FAILED, "deployment " + deploymentUuid + " " + status);
            }
        }
        return calls.finish(ItemStatus.FAILED, "deployment " + deploymentUuid + " still " + status + " after "
                + waitTimeout.toSeconds() + "s");
    }

    /** Unless forced, reads the resource first: one already stopped ({@code exited…}) is skipped, not stopped again. */
    private ItemResult stop(BatchRun run, BatchItem item, String readOperation, String stopOperation) {
        ItemCalls calls = new ItemCalls(run, item);
        if (!option(run, FORCE)) {
            Attempts read = calls.call(readOperation, item);
            if (read.status() != ItemStatus.SUCCEEDED) {
                return calls.ended(read, null);
            }
            if (field(read, "status").startsWith("exited")) {
                calls.fields.put("skipped", true);
                return calls.finish(ItemStatus.SKIPPED, null);
            }
        }
        Attempts stop = calls.call(stopOperation, item);
        return stop.status() == ItemStatus.SUCCEEDED ? calls.finish(ItemStatus.SUCCEEDED, null) : calls.ended(stop, null);
    }

    private ItemResult startService(BatchRun run, BatchItem item) {
        ItemCalls calls = new ItemCalls(run, item);
        Attempts start = calls.call(START_SERVICE, item);
        return start.status() == ItemStatus.SUCCEEDED ? calls.finish(ItemStatus.SUCCEEDED, null) : calls.ended(start, null);
    }

    /**
     * One bulk update per application, then a restart when asked. Variables set but not restarted is
     * a failure: the application does not run with them yet.
     */
    private ItemResult updateEnvVars(BatchRun run, BatchItem item) {
        ItemCalls calls = new ItemCalls(run, item);
        calls.fields.put("vars_updated", 0);
        Map<String, String> values = vault.values(params(run).path(ENV_VALUES_REF).asText(null)).orElse(null);
        if (values == null) {
            return calls.finish(ItemStatus.FAILED, "the env var values are gone: batchgate keeps them in memory only while "
                    + "their batch runs and never stores them, so a batch resumed after a restart cannot set them; "
                    + "call batch_update_env_vars again for this application");
        }
        calls.redacting(values);
        Attempts update = calls.call(bulkUpdate(run, item, values));
        if (update.status() != ItemStatus.SUCCEEDED) {
            return calls.ended(update, null);
        }
        calls.fields.put("vars_updated", values.size());
        calls.fields.put("restarted", false);
        if (!option(run, RESTART_AFTER_UPDATE)) {
            return calls.finish(ItemStatus.SUCCEEDED, null);
        }
        Attempts restart = calls.call(RESTART_APPLICATION, item);
        if (restart.status() != ItemStatus.SUCCEEDED) {
            return calls.ended(restart, "variables set, but the restart failed");
        }
        calls.fields.put("restarted", true);
        calls.noteDeployment(restart);
        return calls.finish(ItemStatus.SUCCEEDED, null);
    }

    /** {@code PATCH …/envs/bulk} with {@code {"data": [{"key", "value"}]}}: built here, so the values never enter item params. */
    private static ResolvedRequest bulkUpdate(BatchRun run, BatchItem item, Map<String, String> values) {
        TargetConfig target = run.target().config();
        ResolvedRequest request = TargetCalls.resolve(run.id(), target, target.operation(UPDATE_ENVS),
                new BatchItem(item.index(), item.id(), null), false);
        ObjectNode body = Json.object();
        values.forEach((key, value) -> body.withArray("data").addObject().put("key", key).put("value", value));
        return new ResolvedRequest(request.method(), request.url(), request.endpointUri(), request.headers(), Json.write(body));
    }

    private static ObjectNode params(BatchRun run) {
        return run.spec().params() == null ? Json.object() : run.spec().params();
    }

    private static boolean option(BatchRun run, String name) {
        return params(run).path(name).asBoolean(false);
    }

    private static String field(Attempts call, String name) {
        JsonNode body = call.outcome().body();
        return body == null ? "" : body.path(name).asText("");
    }

    /** The calls made for one item so far, and the fields its result will carry. */
    private final class ItemCalls {

        private final BatchRun run;
        private final BatchItem item;
        private final long startNanos = System.nanoTime();
        private final ObjectNode fields = Json.object();
        private Map<String, String> secrets = Map.of();
        private int attempts;
        private Integer httpStatus;

        ItemCalls(BatchRun run, BatchItem item) {
            this.run = run;
            this.item = item;
        }

        /** Values to mask in every error of this item, whatever Coolify's message echoes. */
        void redacting(Map<String, String> values) {
            secrets = values;
        }

        Attempts call(String operation, BatchItem subject) {
            return counted(runner.call(run, subject, operation, false));
        }

        Attempts call(ResolvedRequest request) {
            return counted(runner.call(run, request));
        }

        private Attempts counted(Attempts call) {
            attempts += call.attempts();
            if (call.outcome() != null && call.outcome().httpStatus() != null) {
                httpStatus = call.outcome().httpStatus();
            }
            return call;
        }

        String noteDeployment(Attempts restart) {
            String deployment = field(restart, "deployment_uuid");
            if (deployment.isEmpty()) {
                return null;
            }
            fields.put("deployment_uuid", deployment);
            return deployment;
        }

        /** The item ends with the call that did not succeed: failed, or cancelled when the batch stopped. */
        ItemResult ended(Attempts call, String context) {
            String error = call.error();
            if (context != null) {
                error = error == null ? context : context + ": " + error;
            }
            return finish(call.status() == ItemStatus.CANCELLED ? ItemStatus.CANCELLED : ItemStatus.FAILED, error);
        }

        ItemResult finish(ItemStatus status, String error) {
            return new ItemResult(item.index(), item.id(), status, httpStatus, attempts,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), EnvValueVault.redact(error, secrets),
                    null, ItemResult.Details.fields(fields.isEmpty() ? null : fields));
        }
    }
}
