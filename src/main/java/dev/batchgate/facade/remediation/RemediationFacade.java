package dev.batchgate.facade.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.PagedBody;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The network config remediation job API: {@code POST /api/v1/batch/remediation} creates an asynchronous
 * batch on the built-in target {@code remediation}, one item per device; {@code GET /api/v1/batch/jobs/{job_id}}
 * and {@code .../results} show it with the job API's field names and statuses. A job is any batch on that target,
 * so it is also visible (and cancellable, retryable) under {@code /v1/batches}.
 */
public final class RemediationFacade {

    private final Vertx vertx;
    private final BatchService batches;

    public RemediationFacade(Vertx vertx, BatchService batches) {
        this.vertx = vertx;
        this.batches = batches;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/api/v1/batch/remediation", this::create);
        HttpApi.on(router, HttpMethod.GET, "/api/v1/batch/jobs/:job_id", this::status);
        HttpApi.on(router, HttpMethod.GET, "/api/v1/batch/jobs/:job_id/results", this::results);
    }

    private void create(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            List<BatchItem> items = RemediationRequest.parse(RequestBodies.json(ctx, true), batches.maxItems());
            BatchSpec spec = BatchSpec.builder(RemediationTarget.NAME, RemediationTarget.OPERATION)
                    .trigger(RemediationTarget.TRIGGER).build();
            LiveBatch run = batches.submit(spec, items);
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
     * Every processed device inline, in request order, streamed from the job store page by page; the summary
     * is counted from the same rows, so it always agrees with the list.
     */
    private void results(RoutingContext ctx) {
        PagedBody.stream(vertx, ctx, "application/json", new ResultPages(ctx.pathParam("job_id")));
    }

    /** The results document in pages: its head with the first devices, more devices, then the summary. */
    private final class ResultPages implements PagedBody.Pages {
        private static final int PAGE_SIZE = 1000;

        private final String jobId;
        private RemediationJob job;
        private int after = -1;
        private int completed;
        private int failed;
        private boolean listed;
        private boolean ended;

        ResultPages(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public Buffer next() {
            if (ended) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            if (job == null) {
                job = job(jobId);
                text.append("{\"job_id\":").append(Json.write(job.jobId())).append(",\"status\":").append(Json.write(job.status()))
                        .append(",\"results\":[");
            }
            if (!listed) {
                List<BatchService.StoredResult> page = batches.resultsAfter(jobId, null, after, PAGE_SIZE)
                        .orElseThrow(() -> BadRequestException.notFound("job '" + jobId + "' was deleted while its results were read"));
                for (BatchService.StoredResult item : page) {
                    ItemStatus status = item.status();
                    if (status.isFinal()) {
                        text.append(completed + failed == 0 ? "" : ",").append(device(status, item.document()));
                        if (status == ItemStatus.SUCCEEDED) {
                            completed++;
                        } else {
                            failed++;
                        }
                    }
                }
                if (!page.isEmpty()) {
                    after = page.get(page.size() - 1).index();
                }
                listed = page.size() < PAGE_SIZE;
            }
            if (listed) {
                ObjectNode summary = Json.object();
                summary.put("total_devices", job.totalDevices());
                summary.put("completed_devices", completed);
                summary.put("failed_devices", failed);
                summary.put("status", job.status());
                text.append("],\"summary\":").append(summary).append('}');
                ended = true;
            }
            return Buffer.buffer(text.toString());
        }
    }

    /** One device as the job API shows it: {@code success} with the commands, or {@code failed} with the error. */
    private static ObjectNode device(ItemStatus status, JsonNode result) {
        ObjectNode device = Json.object();
        device.put("device_id", result.path("id").asText());
        if (status == ItemStatus.SUCCEEDED) {
            JsonNode commands = result.path("response");
            device.put("status", "success");
            device.put("remediation", commands.path("remediation").asText());
            device.put("rollback", commands.path("rollback").asText());
        } else {
            device.put("status", "failed");
            device.put("error", result.hasNonNull("error") ? result.get("error").asText() : notProcessed(status));
        }
        return device;
    }

    private static String notProcessed(ItemStatus status) {
        return status == ItemStatus.CANCELLED ? "not processed: the job was cancelled or stopped first"
                : "not processed (" + status.wire() + ")";
    }

    private RemediationJob job(String jobId) {
        ObjectNode summary = batches.summary(jobId, false)
                .filter(s -> RemediationTarget.NAME.equals(s.path("target").asText()))
                .orElseThrow(() -> BadRequestException.notFound("unknown job '" + jobId + "'"));
        int total = summary.path("total").asInt();
        int unfinished = summary.path("pending").asInt() + summary.path("running").asInt();
        return new RemediationJob(jobId, RemediationJob.seedStatus(summary.path("status").asText()), total,
                summary.path("succeeded").asInt(), total - unfinished);
    }
}
