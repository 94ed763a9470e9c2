package dev.batchgate.facade.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemediationJobTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"pending, pending", "running, running", "completed, completed", "failed, failed", "cancelled, failed"})
    void should_map_batch_statuses_to_the_seed_statuses_when_the_job_is_shown(String batchStatus, String seedStatus) {
        assertThat(RemediationJob.seedStatus(batchStatus)).isEqualTo(seedStatus);
    }

    @ParameterizedTest(name = "{0} of {1} processed -> {2}")
    @CsvSource({"0, 3, 0.0", "1, 3, 33.3", "2, 3, 66.6", "3, 3, 100.0", "1999, 2000, 99.9", "2000, 2000, 100.0"})
    void should_round_progress_down_to_a_tenth_when_devices_are_processed(int finished, int total, double progress) {
        assertThat(new RemediationJob("b-1", "running", total, 0, finished).progress()).isEqualTo(progress);
    }
}
