package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.ItemRunner;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.json.Json;
import dev.batchgate.mcp.McpTool;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import dev.batchgate.target.Target;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Coolify batch tools, served over MCP and REST alike: each of the five tools runs
 * one batch on the Coolify target (its items done by {@link CoolifySteps}) and answers the tools'
 * document once the batch ends, or at {@code batchgate.mcp.max-wait} with what is done so far;
 * {@code get_batch}, {@code cancel_batch} and {@code retry_failed} follow up on any batch. Calls never
 * block the calling thread (a Vert.x event loop, or the stdio reader).
 */
public final class CoolifyTools {

    public static final String GET_BATCH = "get_batch";
    public static final String CANCEL_BATCH = "cancel_batch";
    public static final String RETRY_FAILED = "retry_failed";

    /** A tool as clients see it in {@code tools/list}. */
    public record ToolDefinition(String name, String description, ObjectNode inputSchema) {
    }

    private final Vertx vertx;
    private final BatchService batches;
    private final CoolifySettings settings;
    private final EnvValueVault vault = new EnvValueVault();
    private final Map<String, ToolDefinition> definitions = new LinkedHashMap<>();

    public CoolifyTools(Vertx vertx, BatchService batches, ItemRunner runner, CoolifySettings settings) {
        this.vertx = vertx;
        this.batches = batches;
        this.settings = settings;
        new CoolifySteps(runner, vault, settings.pollInterval(), settings.waitTimeout()).registerOn(settings.target());
        for (CoolifyTool tool : CoolifyTool.values()) {
            define(new ToolDefinition(tool.toolName(), tool.description(), tool.inputSchema()));
        }
        define(new ToolDefinition(GET_BATCH, "The state of a batch started by any batchgate tool or API: for a Coolify "
                + "tool's batch the same document the tool answers, with unfinished items as pending.",
                batchIdSchema(false)));
        define(new ToolDefinition(CANCEL_BATCH, "Cancel a running batch: calls in flight finish, nothing new starts, and "
                + "the items not done end failed as cancelled. Answers the batch's document.", batchIdSchema(false)));
        define(new ToolDefinition(RETRY_FAILED, "Run the failed and cancelled items of a finished batch again, as a new "
                + "batch linked to it; answers like the tool that started it. A batch_update_env_vars batch needs its "
                + "env_vars again, as their values are never stored.", batchIdSchema(true)));
    }

    public List<ToolDefinition> definitions() {
        return List.copyOf(definitions.values());
    }

    public Optional<ToolDefinition> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** The tools for {@link dev.batchgate.mcp.McpServer}; their batches are triggered by {@code mcp}. */
    public List<McpTool> mcpTools() {
        return definitions.values().stream().<McpTool>map(definition -> new CoolifyMcpTool(definition, this)).toList();
    }

    /**
     * Runs tool {@code name} with arguments already checked against its schema (defaults filled in).
     * Fails with a {@link BadRequestException} for a request it refuses.
     */
    public CompletableFuture<ObjectNode> call(String name, ObjectNode arguments, String trigger) {
        String batchId = arguments.path("batch_id").asText();
        return switch (name) {
            case GET_BATCH -> blocking(() -> document(batchId));
            case CANCEL_BATCH -> blocking(() -> cancel(batchId)).thenCompose(run -> answer(batchId, run));
            case RETRY_FAILED -> blocking(() -> retry(batchId, arguments.get("env_vars")))
                    .thenCompose(run -> answer(run.id(), run));
            default -> {
                CoolifyTool tool = CoolifyTool.named(name)
                        .orElseThrow(() -> BadRequestException.notFound("unknown tool '" + name + "'"));
                yield blocking(() -> submit(tool, arguments, trigger)).thenCompose(run -> answer(run.id(), run));
            }
        };
    }

    /** The batch's document once it has finished, or after {@code max-wait} with its unfinished items pending. */
    private CompletableFuture<ObjectNode> answer(String batchId, LiveBatch run) {
        CompletableFuture<Void> settled = run == null ? CompletableFuture.completedFuture(null)
                : run.done().completeOnTimeout(null, settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        return settled.thenCompose(ignored -> blocking(() -> document(batchId)));
    }

    private LiveBatch submit(CoolifyTool tool, ObjectNode arguments, String trigger) {
        Target target = coolifyTarget();
        List<BatchItem> items = items(tool.idsArgument(), arguments.get(tool.idsArgument()));
        ObjectNode params = Json.object();
        Integer concurrency = null;
        String valuesReference = null;
        switch (tool) {
            case RESTART_APPLICATIONS -> {
                params.put(CoolifySteps.WAIT_FOR_COMPLETION, arguments.path("wait_for_completion").asBoolean());
                concurrency = arguments.path("parallel").asBoolean() ? null : 1;
            }
            case STOP_APPLICATIONS, STOP_SERVICES -> params.put(CoolifySteps.FORCE, arguments.path("force").asBoolean());
            case START_SERVICES -> {
            }
            case UPDATE_ENV_VARS -> {
                Map<String, String> values = envVars(arguments.get("env_vars"), "env_vars");
                valuesReference = vault.keep(values);
                params.set(CoolifySteps.ENV_VAR_NAMES, Json.MAPPER.valueToTree(values.keySet()));
                params.put(CoolifySteps.ENV_VALUES_REF, valuesReference);
                params.put(CoolifySteps.RESTART_AFTER_UPDATE, arguments.path("restart_after_update").asBoolean());
            }
        }
        for (String operation : CoolifySteps.operationsOf(tool)) {
            RequestFields.configuredOperation(target, operation,
                    "batchgate.targets." + target.name() + ".operations." + operation);
        }
        BatchSpec spec = BatchSpec.builder(target.name(), tool.toolName()).concurrency(concurrency).params(params)
                .trigger(trigger).build();
        try {
            LiveBatch run = batches.submit(spec, items);
            forgetValuesWhenDone(run, valuesReference);
            return run;
        } catch (RuntimeException notSubmitted) {
            if (valuesReference != null) {
                vault.forget(valuesReference);
            }
            throw notSubmitted;
        }
    }

    private Target coolifyTarget() {
        return RequestFields.configuredTarget(batches::target, "Coolify", settings.target(),
                "batchgate.targets." + settings.target() + ".url");
    }

    /** One item per uuid, in order; the engine's id rules apply and a uuid given twice is refused. */
    private List<BatchItem> items(String argument, JsonNode uuids) {
        RequestFields.itemCount(uuids.size(), batches.maxItems(), () -> argument + ": " + uuids.size()
                + " uuids, more than the limit of " + batches.maxItems() + " (batchgate.max-items)");
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        List<BatchItem> items = new ArrayList<>(uuids.size());
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        for (int index = 0; index < uuids.size(); index++) {
            String field = argument + "[" + index + "]";
            BatchItem item = RequestFields.id(index, uuids.get(index), field, "id", errors);
            if (item != null) {
                seen.add(item, field, "uuid", null, errors);
            }
            items.add(item);
        }
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        return items;
    }

    private static Map<String, String> envVars(JsonNode envVars, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        envVars.properties().forEach(entry -> {
            if (entry.getKey().isBlank()) {
                throw BadRequestException.of(List.of(new BadRequestException.FieldError(field, null,
                        "a variable name must not be blank")));
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        });
        return values;
    }

    /** The values are dropped when the last batch using them ends; a retry keeps them for its own run. */
    private void forgetValuesWhenDone(LiveBatch run, String valuesReference) {
        if (valuesReference == null) {
            return;
        }
        run.done().whenComplete((done, failure) -> {
            boolean stillUsed = batches.liveBatches().stream().anyMatch(other -> !other.id().equals(run.id()) && !other.done().isDone()
                    && valuesReference.equals(valuesReference(other.spec())));
            if (!stillUsed) {
                vault.forget(valuesReference);
            }
        });
    }

    private LiveBatch cancel(String batchId) {
        Optional<LiveBatch> live = batches.live(batchId);
        boolean cancelled = batches.cancel(batchId).orElseThrow(() -> unknownBatch(batchId));
        if (!cancelled) {
            throw BadRequestException.conflict("batch " + batchId + " has already finished; there is nothing to cancel");
        }
        return live.orElse(null);
    }

    private LiveBatch retry(String batchId, JsonNode envVars) {
        BatchService.BatchView batch = batches.find(batchId).orElseThrow(() -> unknownBatch(batchId));
        BatchSpec spec = batch.spec();
        String valuesReference = valuesReference(spec);
        if (valuesReference == null) {
            if (envVars != null) {
                throw BadRequestException.of(List.of(new BadRequestException.FieldError("env_vars", null,
                        "only a batch_update_env_vars batch takes env_vars; batch " + batchId + " ran " + spec.operationLabel())));
            }
            return batches.retry(batchId, List.of(ItemStatus.FAILED, ItemStatus.CANCELLED), null);
        }
        if (!batch.status().isFinished()) {
            throw BadRequestException
                    .conflict("batch " + batchId + " is still " + batch.status().wire() + "; retry it once it has finished");
        }
        if (envVars != null) {
            Map<String, String> values = envVars(envVars, "env_vars");
            Set<String> expected = new TreeSet<>(envVarNames(spec));
            if (!expected.equals(new TreeSet<>(values.keySet()))) {
                throw BadRequestException.of(List.of(new BadRequestException.FieldError("env_vars", null,
                        "must set the same variables as batch " + batchId + ": " + String.join(", ", expected))));
            }
            vault.keep(valuesReference, values);
        } else if (!vault.holds(valuesReference)) {
            throw BadRequestException.of(List.of(new BadRequestException.FieldError("env_vars", null,
                    "batch " + batchId + " set env vars, whose values are never stored: give env_vars again to retry it")));
        }
        try {
            LiveBatch run = batches.retry(batchId, List.of(ItemStatus.FAILED, ItemStatus.CANCELLED), null);
            forgetValuesWhenDone(run, valuesReference);
            return run;
        } catch (RuntimeException notRetried) {
            vault.forget(valuesReference);
            throw notRetried;
        }
    }

    /** A Coolify tool's batch answers the tool's document; any other batch its summary with results. */
    private ObjectNode document(String batchId) {
        BatchSpec spec = batches.find(batchId).orElseThrow(() -> unknownBatch(batchId)).spec();
        Optional<CoolifyTool> tool = spec.operations().size() == 1 && spec.stages().isEmpty()
                ? CoolifyTool.named(spec.operations().get(0)) : Optional.empty();
        if (tool.isEmpty()) {
            return batches.summary(batchId, true).orElseThrow(() -> unknownBatch(batchId));
        }
        ArrayNode results = batches.results(batchId);
        List<JsonNode> items = new ArrayList<>(results.size());
        results.forEach(items::add);
        return ToolDocument.of(batchId, tool.get() == CoolifyTool.UPDATE_ENV_VARS ? envVarNames(spec) : null, items);
    }

    private static String valuesReference(BatchSpec spec) {
        return spec.params() == null ? null : spec.params().path(CoolifySteps.ENV_VALUES_REF).asText(null);
    }

    private static List<String> envVarNames(BatchSpec spec) {
        List<String> names = new ArrayList<>();
        spec.params().path(CoolifySteps.ENV_VAR_NAMES).forEach(name -> names.add(name.asText()));
        return names;
    }

    private static BadRequestException unknownBatch(String batchId) {
        return BadRequestException.notFound("unknown batch '" + batchId + "'");
    }

    private <T> CompletableFuture<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false).toCompletionStage().toCompletableFuture();
    }

    private static ObjectNode batchIdSchema(boolean withEnvVars) {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("batch_id").put("type", "string").put("minLength", 1)
                .put("description", "The batch_id a tool answered, or any batch id of /v1/batches");
        if (withEnvVars) {
            properties.set("env_vars", Json.read("""
                    {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1,
                     "description": "For a batch_update_env_vars batch: the same variables with their values"}"""));
        }
        schema.putArray("required").add("batch_id");
        schema.put("additionalProperties", false);
        return schema;
    }

    private void define(ToolDefinition definition) {
        definitions.put(definition.name(), definition);
    }
}
