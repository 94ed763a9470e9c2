package dev.batchgate.trigger.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * One {@code batchgate.schedules.<name>}: when it fires ({@code cron} in Quartz syntax in
 * {@code timezone}, or {@code every}), and the batch each firing starts ({@code items}, or the items
 * of {@code itemsFile} read again at each firing).
 */
public record ScheduleConfig(String name, String cron, Duration every, ZoneId timezone, String target, String operation,
        List<String> items, Path itemsFile) {

    /** {@code cron 0 0 3 * * ? (UTC)} or {@code every PT15M}: how the schedule is described in lists. */
    public String when() {
        return cron != null ? "cron " + cron + " (" + timezone.getId() + ")" : "every " + every;
    }
}
