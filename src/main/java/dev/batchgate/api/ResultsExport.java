package dev.batchgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.http.PagedBody;
import dev.batchgate.service.BatchService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Streams a batch's results as NDJSON or CSV, page by page from the store, with back-pressure (see {@link PagedBody}). */
final class ResultsExport implements PagedBody.Pages {

    private static final int PAGE_SIZE = 1000;

    private final BatchService batches;
    private final String id;
    private final ItemStatus status;
    private final boolean csv;
    private int after = -1;
    private boolean started;
    private boolean listed;

    private ResultsExport(BatchService batches, String id, ItemStatus status, boolean csv) {
        this.batches = batches;
        this.id = id;
        this.status = status;
        this.csv = csv;
    }

    static void stream(Vertx vertx, BatchService batches, RoutingContext ctx, String id, ItemStatus status, boolean csv) {
        PagedBody.stream(vertx, ctx, csv ? "text/csv" : "application/x-ndjson", new ResultsExport(batches, id, status, csv));
    }

    @Override
    public Buffer next() {
        if (listed) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        // unknown, or deleted part-way (retention): never end the list as if it were complete
        List<BatchService.StoredResult> page = batches.resultsAfter(id, status, after, PAGE_SIZE)
                .orElseThrow(() -> BatchesApi.unknownBatch(id));
        if (csv && !started) {
            text.append("id,status,httpStatus,attempts,durationMs,error\n");
        }
        started = true;
        for (BatchService.StoredResult item : page) {
            JsonNode r = item.document();
            text.append(csv ? csvLine(r) : r.toString()).append('\n');
        }
        if (!page.isEmpty()) {
            after = page.get(page.size() - 1).index();
        }
        listed = page.size() < PAGE_SIZE;
        return text.isEmpty() ? null : Buffer.buffer(text.toString());
    }

    static String csvLine(JsonNode r) {
        return String.join(",", csv(r.path("id").asText()), csv(r.path("status").asText()),
                r.hasNonNull("httpStatus") ? r.get("httpStatus").asText() : "",
                r.path("attempts").asText(""), r.path("durationMs").asText(""),
                r.hasNonNull("error") ? csv(r.get("error").asText()) : "");
    }

    private static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
