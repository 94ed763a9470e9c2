package dev.batchgate.store;

import java.util.Optional;

/** The last firing of each schedule, so that it survives a restart, and who takes each firing. */
public interface ScheduleStore {

    Optional<ScheduleFiring> last(String name);

    /**
     * Takes the firing of schedule {@code name} due at {@code firingAt} (epoch ms) for this node; false
     * when a node sharing the store already took it, or a later one. One statement on a row per schedule,
     * so of all the nodes whose timers fire for one firing, exactly one starts its batch.
     */
    boolean claim(String name, long firingAt);

    /** Replaces the schedule's last firing ({@code message} is kept to its first 1,000 characters). */
    void save(String name, ScheduleFiring firing);
}
