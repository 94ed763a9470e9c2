package dev.batchgate.trigger.schedule;

import dev.batchgate.config.ConfigValues;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/** Builds {@link ScheduleConfig}s from the flat {@code batchgate.schedules.*} properties; a mistake stops the start. */
public final class ScheduleConfigParser {

    public static final String PREFIX = "batchgate.schedules.";
    /** The switch for all schedules, not a schedule of its own. */
    public static final String ENABLED = PREFIX + "enabled";
    private static final Set<String> KEYS = Set.of("cron", "every", "timezone", "target", "operation", "items", "items-file");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private ScheduleConfigParser() {
    }

    /** @param properties every resolved property whose key starts with {@link #PREFIX} */
    public static Map<String, ScheduleConfig> parse(Map<String, String> properties) {
        Map<String, Map<String, String>> bySchedule = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.equals(ENABLED)) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException(key + ": expected " + PREFIX + "<name>.<setting>");
            }
            bySchedule.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>()).put(rest.substring(dot + 1), value.trim());
        });
        Map<String, ScheduleConfig> schedules = new LinkedHashMap<>();
        bySchedule.forEach((name, keys) -> schedules.put(name, schedule(name, keys)));
        return schedules;
    }

    private static ScheduleConfig schedule(String name, Map<String, String> keys) {
        String at = PREFIX + name;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(at + ": a schedule name is letters, digits, '-' and '_'");
        }
        keys.keySet().forEach(k -> {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(at + "." + k + ": unknown setting (known: " + String.join(", ", KEYS) + ")");
            }
        });
        String cron = blankToNull(keys.get("cron"));
        String every = blankToNull(keys.get("every"));
        if ((cron == null) == (every == null)) {
            throw new IllegalArgumentException(at + ": give either .cron (Quartz syntax, e.g. 0 0 3 * * ?) or .every (e.g. 15m)");
        }
        if (cron != null && !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException(at + ".cron: '" + cron + "' is not a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week, e.g. 0 0 3 * * ?)");
        }
        Duration interval = null;
        if (every != null) {
            try {
                interval = ConfigValues.duration(every);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".every: " + e.getMessage());
            }
            if (interval.toMillis() < 1000) {
                throw new IllegalArgumentException(at + ".every: at least 1s");
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        String timezone = blankToNull(keys.get("timezone"));
        if (timezone != null) {
            if (cron == null) {
                throw new IllegalArgumentException(at + ".timezone: only a .cron schedule has a time zone");
            }
            try {
                zone = ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(at + ".timezone: unknown time zone '" + timezone + "'");
            }
        }
        String target = required(keys, "target", at);
        String operation = required(keys, "operation", at);
        String items = blankToNull(keys.get("items"));
        String itemsFile = blankToNull(keys.get("items-file"));
        if ((items == null) == (itemsFile == null)) {
            throw new IllegalArgumentException(at + ": give either .items (a comma list of ids) or .items-file");
        }
        List<String> ids = items == null ? null
                : Arrays.stream(items.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (ids != null && ids.isEmpty()) {
            throw new IllegalArgumentException(at + ".items: no ids in '" + items + "'");
        }
        return new ScheduleConfig(name, cron, interval, zone, target, operation, ids, itemsFile == null ? null : Path.of(itemsFile));
    }

    private static String required(Map<String, String> keys, String key, String at) {
        String value = blankToNull(keys.get(key));
        if (value == null) {
            throw new IllegalArgumentException(at + "." + key + " is required");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
