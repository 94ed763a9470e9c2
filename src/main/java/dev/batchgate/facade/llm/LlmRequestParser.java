package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BadRequestException.FieldError;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Reads {@code POST /v1/llm/batches}: {@code {operation, items: [{id, prompt | messages}], temperature,
 * maxTokens, concurrency?, mode?, metadata?, deadline?}} into a batch of the built-in {@code llm}
 * target, or a 400 naming every field and item index at fault. Each item's params hold its prompt
 * or messages; the batch params hold temperature and maxTokens.
 */
public final class LlmRequestParser {

    public static final String TRIGGER = "facade:llm";
    private static final Set<String> FIELDS = Set.of("operation", "items", "temperature", "maxTokens", "concurrency", "mode",
            "metadata", "deadline");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final int MAX_DETAILS = 20;

    private final String target;
    private final int maxItems;
    private final IntSupplier autoConcurrency;

    /** @param autoConcurrency the concurrency of a batch whose request gives none */
    public LlmRequestParser(String target, int maxItems, IntSupplier autoConcurrency) {
        this.target = target;
        this.maxItems = maxItems;
        this.autoConcurrency = autoConcurrency;
    }

    public BatchRequestParser.Parsed parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw BadRequestException.invalid("the body must be a JSON object like {\"operation\": \"GENERATE_SCRIPT\", "
                    + "\"items\": [{\"id\": 1, \"prompt\": \"...\"}]}");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, null, "unknown field '" + field + "'"));
            }
        }
        JsonNode operation = body.get("operation");
        if (operation == null || !operation.isTextual() || operation.asText().isBlank()) {
            errors.add(new FieldError("operation", null, "operation is required: a name for the usage log, such as GENERATE_SCRIPT"));
        } else if (operation.asText().length() > 200) {
            errors.add(new FieldError("operation", null, "operation is longer than 200 characters"));
        }
        ObjectNode params = Json.object();
        JsonNode temperature = body.get("temperature");
        if (temperature != null && !temperature.isNull()) {
            if (!temperature.isNumber() || temperature.asDouble() < 0 || temperature.asDouble() > 2) {
                errors.add(new FieldError("temperature", null, "temperature must be a number from 0 to 2"));
            } else {
                params.set("temperature", temperature);
            }
        }
        Integer maxTokens = RequestFields.positiveInt(body, "maxTokens", errors);
        if (maxTokens != null) {
            params.put("maxTokens", maxTokens);
        }
        Integer concurrency = RequestFields.positiveInt(body, "concurrency", errors);
        BatchSpec.Mode mode = RequestFields.mode(body.get("mode"), errors);
        ObjectNode metadata = metadata(body.get("metadata"), errors);
        Duration deadline = RequestFields.deadline(body.get("deadline"), errors);
        List<BatchItem> items = items(body.get("items"), errors);
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors.size() > MAX_DETAILS ? errors.subList(0, MAX_DETAILS) : errors);
        }
        BatchSpec spec = BatchSpec.builder(target, operation.asText()).mode(mode)
                .concurrency(concurrency != null ? concurrency : autoConcurrency.getAsInt()).params(params.isEmpty() ? null : params)
                .deadline(deadline).trigger(TRIGGER).metadata(metadata).build();
        return new BatchRequestParser.Parsed(spec, items);
    }

    private List<BatchItem> items(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.add(new FieldError("items", null, "items must be a non-empty list of {id, prompt} or {id, messages}"));
            return List.of();
        }
        RequestFields.itemCount(node.size(), maxItems, "items", "items");
        List<BatchItem> items = new ArrayList<>(node.size());
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        for (int i = 0; i < node.size() && errors.size() < MAX_DETAILS; i++) {
            BatchItem item = item(i, node.get(i), errors);
            if (item != null) {
                seen.add(item, "items[" + i + "].id", "id", null, errors);
            }
            items.add(item);
        }
        return items;
    }

    private static BatchItem item(int index, JsonNode node, List<FieldError> errors) {
        String field = "items[" + index + "]";
        if (!node.isObject()) {
            errors.add(new FieldError(field, index, "an item is an object {id, prompt} or {id, messages}"));
            return null;
        }
        int before = errors.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!Set.of("id", "prompt", "messages").contains(name)) {
                errors.add(new FieldError(field + "." + name, index,
                        "unknown field '" + name + "' (an item is {id, prompt} or {id, messages})"));
            }
        }
        JsonNode id = node.get("id") == null ? Json.MAPPER.nullNode() : node.get("id");
        BatchItem idOnly = null;
        if (id.isContainerNode()) {
            errors.add(new FieldError(field + ".id", index, "id must be a string or an integer"));
        } else {
            idOnly = RequestFields.id(index, id, field + ".id", "id", errors);
        }
        JsonNode prompt = node.get("prompt");
        JsonNode messages = node.get("messages");
        ObjectNode params = Json.object();
        if (prompt != null && messages != null) {
            errors.add(new FieldError(field, index, "give either 'prompt' or 'messages', not both"));
        } else if (prompt != null) {
            if (!prompt.isTextual() || prompt.asText().isBlank()) {
                errors.add(new FieldError(field + ".prompt", index, "prompt must be a non-empty string"));
            }
            params.set("prompt", prompt);
        } else if (messages != null) {
            checkMessages(field + ".messages", index, messages, errors);
            params.set("messages", messages);
        } else {
            errors.add(new FieldError(field, index, "a 'prompt' or a 'messages' list is required"));
        }
        return errors.size() == before && idOnly != null ? new BatchItem(index, idOnly.id(), params) : null;
    }

    private static void checkMessages(String field, int index, JsonNode messages, List<FieldError> errors) {
        if (!messages.isArray() || messages.isEmpty()) {
            errors.add(new FieldError(field, index, "messages must be a non-empty list of {role, content}"));
            return;
        }
        for (int j = 0; j < messages.size(); j++) {
            JsonNode message = messages.get(j);
            String at = field + "[" + j + "]";
            if (!message.isObject()) {
                errors.add(new FieldError(at, index, "a message is an object {role, content}"));
                continue;
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                errors.add(new FieldError(at + ".role", index, "role must be one of " + ROLES.stream().sorted().toList()));
            }
            JsonNode content = message.get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                errors.add(new FieldError(at + ".content", index, "content must be a string or a list of parts"));
            }
        }
    }

    private static ObjectNode metadata(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("metadata", null, "metadata must be an object, such as {\"projectId\": \"proj_123\"}"));
            return null;
        }
        return (ObjectNode) node;
    }
}
