package dev.batchgate.facade.remediation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;

/**
 * A remediation job as the job API's clients see it. {@code failed_devices} counts every processed device that
 * did not succeed (a device cancelled with its job included), so that completed + failed devices is what
 * {@code progress} measures.
 *
 * @param finishedDevices devices processed, whatever their outcome
 */
record RemediationJob(String jobId, String status, int totalDevices, int completedDevices, int finishedDevices) {

    /**
     * The job API knows pending, running, completed and failed (its clients poll until completed or failed), so a
     * cancelled job shows as failed.
     */
    static String seedStatus(String batchStatus) {
        return switch (batchStatus) {
            case "pending", "running", "completed" -> batchStatus;
            default -> "failed";
        };
    }

    int failedDevices() {
        return finishedDevices - completedDevices;
    }

    /** (completed + failed) / total × 100, rounded down to 0.1 so that 100.0 means every device is done. */
    double progress() {
        return totalDevices == 0 ? 0.0 : Math.floor(finishedDevices * 1000.0 / totalDevices) / 10.0;
    }

    ObjectNode toJson() {
        ObjectNode doc = Json.object();
        doc.put("job_id", jobId);
        doc.put("status", status);
        doc.put("progress", progress());
        doc.put("total_devices", totalDevices);
        doc.put("completed_devices", completedDevices);
        doc.put("failed_devices", failedDevices());
        return doc;
    }
}
