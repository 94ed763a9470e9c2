package dev.batchgate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.TargetCalls;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.target.ResolvedRequest;
import dev.batchgate.target.Secrets;
import dev.batchgate.target.TargetConfig;
import java.util.ArrayList;
import java.util.List;

/** A dry run: every request the batch would make, resolved, with secret header values masked; nothing is called. */
final class DryRun {

    private DryRun() {
    }

    static ObjectNode describe(BatchService batches, BatchRequestParser.Parsed parsed) {
        TargetConfig target = batches.target(parsed.spec().target()).orElseThrow().config();
        List<String> operations = new ArrayList<>(parsed.spec().operations());
        parsed.spec().stages().forEach(s -> operations.add(s.operation()));
        ObjectNode doc = Json.object();
        doc.put("dryRun", true);
        doc.put("target", target.name());
        doc.put("total", parsed.items().size());
        ArrayNode requests = doc.putArray("requests");
        for (BatchItem item : parsed.items()) {
            for (String operation : operations) {
                ResolvedRequest r = TargetCalls.resolve("dry-run", target, target.operation(operation), item, false);
                ObjectNode n = requests.addObject();
                n.set("id", item.id());
                n.put("operation", operation);
                if (r.endpointUri() != null) {
                    n.put("endpoint", r.endpointUri());
                } else {
                    n.put("method", r.method());
                    n.put("url", r.url());
                }
                n.set("headers", Json.MAPPER.valueToTree(Secrets.maskHeaders(r.headers())));
                if (r.body() != null) {
                    n.set("body", Json.readLenient(r.body()));
                }
            }
        }
        return doc;
    }
}
