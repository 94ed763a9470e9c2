package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.RequestTemplate;
import dev.batchgate.target.Target;
import dev.batchgate.target.TargetRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns a batch request document into a {@link BatchSpec} and its items, or a
 * {@link BadRequestException} naming every field (and item index) at fault.
 */
public final class BatchRequestParser {

    private static final Set<String> FIELDS = Set.of("target", "operation", "steps", "items", "mode", "concurrency",
            "params", "failFast", "maxFailurePercent", "transaction", "dryRun", "deadline", "metadata");
    private static final int MAX_DETAILS = 20;

    private final TargetRegistry targets;
    private final int maxItems;

    public record Parsed(BatchSpec spec, List<BatchItem> items) {
    }

    public BatchRequestParser(TargetRegistry targets, int maxItems) {
        this.targets = targets;
        this.maxItems = maxItems;
    }

    public Parsed parse(JsonNode body, String trigger) {
        if (body == null || !body.isObject()) {
            throw BadRequestException.invalid("the request body must be a JSON object");
        }
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                errors.add(new BadRequestException.FieldError(field, null, "unknown field '" + field + "'"));
            }
        }
        Target target = target(body.get("target"), errors);
        List<String> operations = new ArrayList<>();
        List<BatchSpec.Stage> stages = new ArrayList<>();
        operations(body, target, operations, stages, errors);
        ObjectNode params = object(body, "params", errors);
        BatchSpec.Mode mode = RequestFields.mode(body.get("mode"), errors);
        Integer concurrency = RequestFields.positiveInt(body, "concurrency", errors);
        Double maxFailurePercent = percent(body.get("maxFailurePercent"), errors);
        Duration deadline = RequestFields.deadline(body.get("deadline"), errors);
        boolean transaction = bool(body, "transaction", errors);
        BatchSpec spec = BatchSpec.builder(target == null ? textOrNull(body.get("target")) : target.name())
                .operations(operations).stages(stages).mode(mode).concurrency(concurrency).params(params)
                .failFast(bool(body, "failFast", errors) || transaction).maxFailurePercent(maxFailurePercent)
                .transaction(transaction).dryRun(bool(body, "dryRun", errors)).deadline(deadline).trigger(trigger)
                .metadata(object(body, "metadata", errors)).build();
        if (transaction && target != null) {
            rollbacksFor(target, body, operations, stages, errors);
        }
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        List<BatchItem> items = items(body.get("items"), params, errors);
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        checkTemplates(target, spec, items, errors);
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        return new Parsed(spec, items);
    }

    /** A transaction is refused before anything runs when one of its operations (a composite step, a chain step) has no rollback. */
    private static void rollbacksFor(Target target, JsonNode body, List<String> operations, List<BatchSpec.Stage> stages,
            List<BadRequestException.FieldError> errors) {
        List<String> names = new ArrayList<>(operations);
        stages.forEach(s -> names.add(s.operation()));
        for (int i = 0; i < names.size(); i++) {
            OperationConfig op = target.config().operation(names.get(i));
            if (op != null && op.rollback() == null) {
                String field = !stages.isEmpty() ? "steps[" + i + "].operation"
                        : body.path("operation").isArray() ? "operation[" + i + "]" : "operation";
                errors.add(new BadRequestException.FieldError(field, null, "operation '" + op.name() + "' has no rollback, so it cannot "
                        + "run in a transaction (set batchgate.targets." + target.name() + ".operations." + op.name() + ".rollback)"));
            }
        }
    }

    /**
     * Every operation's placeholders must be fillable for every item (its checks, awaits and, in a
     * transaction, rollbacks too): a missing param is a 400 now, not a failed call later.
     */
    public static void checkTemplates(Target target, BatchSpec spec, List<BatchItem> items,
            List<BadRequestException.FieldError> errors) {
        List<String> names = new ArrayList<>(spec.operations());
        spec.stages().forEach(s -> names.add(s.operation()));
        if (spec.transaction()) {
            new ArrayList<>(names).forEach(name -> {
                String rollback = target.config().operation(name).rollback();
                if (rollback != null) {
                    names.add(rollback);
                }
            });
        }
        for (BatchItem item : items) {
            for (String name : names) {
                OperationConfig op = target.config().operation(name);
                try {
                    RequestTemplate.check(op.path(), item.id(), item.params());
                    RequestTemplate.check(op.bodyTemplate(), item.id(), item.params());
                    RequestTemplate.check(op.check() == null ? null : op.check().path(), item.id(), item.params());
                    RequestTemplate.check(op.await() == null ? null : op.await().path(), item.id(), item.params());
                } catch (RequestTemplate.MissingParamException e) {
                    errors.add(new BadRequestException.FieldError("items[" + item.index() + "].params." + e.param(),
                            item.index(), "missing param '" + e.param() + "' needed by operation '" + name + "'"));
                    break;
                }
            }
            if (errors.size() >= MAX_DETAILS) {
                return;
            }
        }
    }

    private Target target(JsonNode node, List<BadRequestException.FieldError> errors) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            errors.add(new BadRequestException.FieldError("target", null, "target is required (a target name)"));
            return null;
        }
        return RequestFields.target(targets::find, node.asText(), "target", null);
    }

    private static void operations(JsonNode body, Target target, List<String> operations, List<BatchSpec.Stage> stages,
            List<BadRequestException.FieldError> errors) {
        JsonNode operation = body.get("operation");
        JsonNode steps = body.get("steps");
        if (operation != null && steps != null) {
            errors.add(new BadRequestException.FieldError("steps", null, "give either 'operation' or 'steps', not both"));
            return;
        }
        if (steps != null) {
            if (!steps.isArray() || steps.isEmpty()) {
                errors.add(
                        new BadRequestException.FieldError("steps", null, "steps must be a non-empty list of {operation, stopOnFailure}"));
                return;
            }
            for (int i = 0; i < steps.size(); i++) {
                JsonNode step = steps.get(i);
                JsonNode op = step.get("operation");
                if (!step.isObject() || op == null || !op.isTextual()) {
                    errors.add(new BadRequestException.FieldError("steps[" + i + "].operation", null, "each step needs an 'operation'"));
                    continue;
                }
                JsonNode stop = step.get("stopOnFailure");
                if (stop != null && !stop.isBoolean()) {
                    errors.add(new BadRequestException.FieldError("steps[" + i + "].stopOnFailure", null, "must be true or false"));
                }
                knownOperation(target, op.asText(), "steps[" + i + "].operation");
                stages.add(new BatchSpec.Stage(op.asText(), stop != null && stop.asBoolean()));
            }
            return;
        }
        if (operation == null) {
            errors.add(new BadRequestException.FieldError("operation", null, "operation is required (a name or a list of names)"));
        } else if (operation.isTextual()) {
            knownOperation(target, operation.asText(), "operation");
            operations.add(operation.asText());
        } else if (operation.isArray() && !operation.isEmpty()) {
            for (int i = 0; i < operation.size(); i++) {
                JsonNode op = operation.get(i);
                if (!op.isTextual()) {
                    errors.add(new BadRequestException.FieldError("operation[" + i + "]", null, "must be an operation name"));
                    continue;
                }
                knownOperation(target, op.asText(), "operation[" + i + "]");
                operations.add(op.asText());
            }
        } else {
            errors.add(new BadRequestException.FieldError("operation", null, "must be an operation name or a non-empty list of names"));
        }
    }

    private static void knownOperation(Target target, String name, String field) {
        if (target != null) {
            RequestFields.operation(target, name, field, null);
        }
    }

    private List<BatchItem> items(JsonNode node, ObjectNode defaults, List<BadRequestException.FieldError> errors) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.add(new BadRequestException.FieldError("items", null, "items must be a non-empty list"));
            return List.of();
        }
        RequestFields.itemCount(node.size(), maxItems, "items", "items");
        List<BatchItem> items = new ArrayList<>(node.size());
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        for (int i = 0; i < node.size() && errors.size() < MAX_DETAILS; i++) {
            BatchItem item = RequestFields.item(RequestFields.ItemPath.ITEMS, i, node.get(i), defaults, errors);
            if (item != null) {
                seen.add(item, "items[" + i + "].id", "id", null, errors);
            }
            items.add(item);
        }
        return items;
    }

    private static ObjectNode object(JsonNode body, String field, List<BadRequestException.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new BadRequestException.FieldError(field, null, field + " must be an object"));
            return null;
        }
        return (ObjectNode) node;
    }

    private static boolean bool(JsonNode body, String field, List<BadRequestException.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            errors.add(new BadRequestException.FieldError(field, null, field + " must be true or false"));
            return false;
        }
        return node.asBoolean();
    }

    private static Double percent(JsonNode node, List<BadRequestException.FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 100) {
            errors.add(new BadRequestException.FieldError("maxFailurePercent", null, "maxFailurePercent must be a number from 0 to 100"));
            return null;
        }
        return node.asDouble();
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** The spec as stored with the batch (items are stored separately). */
    public static String specJson(BatchSpec spec) {
        return Json.write(spec);
    }

    /** Reads a stored spec back. */
    public static BatchSpec readSpec(String json) {
        try {
            return Json.MAPPER.readValue(json, BatchSpec.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored batch spec is unreadable", e);
        }
    }

}
