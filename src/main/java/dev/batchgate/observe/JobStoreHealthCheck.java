package dev.batchgate.observe;

import dev.batchgate.store.JobStore;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** {@code /observe/health} is DOWN while the job store does not answer: no batch could be accepted. */
public final class JobStoreHealthCheck extends AbstractHealthCheck {

    private final JobStore store;

    public JobStoreHealthCheck(JobStore store) {
        super("batchgate", "job-store");
        this.store = store;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (store.isReachable()) {
            builder.up();
        } else {
            builder.message("the job store does not answer").down();
        }
    }
}
