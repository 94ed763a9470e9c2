package dev.batchgate.facade.remediation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.api.HttpApi;
import dev.batchgate.api.RequestBodies;
import dev.batchgate.api.Responses;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The network config remediation job API: {@code POST /api/v1/batch/remediation} creates an asynchronous
 * batch on the built-in target {@code remediation}, one item per device; {@code GET /api/v1/batch/jobs/{job_id}}
 * and {@code .../results} show it with the job API's field names and statuses. A job is any batch on that target,
 * so it is also visible (and cancellable, retryable) under {@code /v1/batches}.
 */
public final class RemediationFacade {

    private final Vertx vertx;
    private final BatchEngine engine;

    public RemediationFacade(Vertx vertx, BatchEngine engine) {
        this.vertx = vertx;
        this.engine = engine;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/api/v1/batch/remediation", this::create);
        HttpApi.on(router, HttpMethod.GET, "/api/v1/batch/jobs/:job_id", this::status);
        HttpApi.on(router, HttpMethod.GET, "/api/v1/batch/jobs/:job_id/results", this::results);
    }

    private void create(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            List<BatchItem> items = RemediationRequest.parse(RequestBodies.json(ctx, true), engine.settings().maxItems());
            BatchSpec spec = new BatchSpec(RemediationTarget.NAME, List.of(RemediationTarget.OPERATION), List.of(),
                    BatchSpec.Mode.ASYNC, null, null, false, null, false, false, null, RemediationTarget.TRIGGER, null, null);
            BatchRun run = engine.submit(spec, items, null);
            ObjectNode created = Json.object();
            created.put("job_id", run.id());
            created.put("total_devices", run.total());
            return created;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, ar.result());
            } else {
                Responses.failure(ctx, ar.cause());
            }
        });
    }

    private void status(RoutingContext ctx) {
        String jobId = ctx.pathParam("job_id");
        vertx.executeBlocking(() -> job(jobId).toJson(), false).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, ar.result());
            } else {
                Responses.failure(ctx, ar.cause());
            }
        });
    }

    /**
     * Every processed device inline, in request order, streamed from the job store; the summary is counted
     * from the same rows, so it always agrees with the list.
     */
    private void results(RoutingContext ctx) {
        String jobId = ctx.pathParam("job_id");
        HttpServerResponse response = ctx.response();
        vertx.executeBlocking(() -> {
            RemediationJob job = job(jobId);
            response.setStatusCode(200).putHeader("Content-Type", "application/json");
            ChunkedResponseStream out = new ChunkedResponseStream(response);
            try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
                json.writeStartObject();
                json.writeStringField("job_id", job.jobId());
                json.writeStringField("status", job.status());
                json.writeArrayFieldStart("results");
                int[] succeededAndFailed = new int[2];
                engine.store().forEachItem(jobId, null, item -> {
                    ItemStatus status = ItemStatus.fromWire(item.status());
                    if (status.isFinal()) {
                        succeededAndFailed[status == ItemStatus.SUCCEEDED ? 0 : 1]++;
                        writeResult(json, status, BatchEngine.resultJson(item));
                    }
                });
                json.writeEndArray();
                json.writeObjectFieldStart("summary");
                json.writeNumberField("total_devices", job.totalDevices());
                json.writeNumberField("completed_devices", succeededAndFailed[0]);
                json.writeNumberField("failed_devices", succeededAndFailed[1]);
                json.writeStringField("status", job.status());
                json.writeEndObject();
                json.writeEndObject();
            }
            out.end();
            return null;
        }, false).onFailure(e -> {
            if (response.headWritten()) {
                response.reset();
            } else {
                Responses.failure(ctx, e);
            }
        });
    }

    /** One device as the job API shows it: {@code success} with the commands, or {@code failed} with the error. */
    private static void writeResult(JsonGenerator json, ItemStatus status, JsonNode result) {
        try {
            json.writeStartObject();
            json.writeStringField("device_id", result.path("id").asText());
            if (status == ItemStatus.SUCCEEDED) {
                JsonNode commands = result.path("response");
                json.writeStringField("status", "success");
                json.writeStringField("remediation", commands.path("remediation").asText());
                json.writeStringField("rollback", commands.path("rollback").asText());
            } else {
                json.writeStringField("status", "failed");
                json.writeStringField("error", result.hasNonNull("error") ? result.get("error").asText() : notProcessed(status));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String notProcessed(ItemStatus status) {
        return status == ItemStatus.CANCELLED ? "not processed: the job was cancelled or stopped first"
                : "not processed (" + status.wire() + ")";
    }

    private RemediationJob job(String jobId) {
        ObjectNode summary = engine.summary(jobId, false)
                .filter(s -> RemediationTarget.NAME.equals(s.path("target").asText()))
                .orElseThrow(() -> new BadRequestException(404, "unknown job '" + jobId + "'"));
        int total = summary.path("total").asInt();
        int unfinished = summary.path("pending").asInt() + summary.path("running").asInt();
        return new RemediationJob(jobId, RemediationJob.seedStatus(summary.path("status").asText()), total,
                summary.path("succeeded").asInt(), total - unfinished);
    }
}
