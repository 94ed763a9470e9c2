package dev.batchgate.store;

import java.util.Optional;

/** The last firing of each schedule, so that it survives a restart. */
public interface ScheduleStore {

    Optional<ScheduleFiring> last(String name);

    /** Replaces the schedule's last firing ({@code message} is kept to its first 1,000 characters). */
    void save(String name, ScheduleFiring firing);
}
