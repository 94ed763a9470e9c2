package dev.batchgate.trigger.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleConfigParserTest {

    private static Map<String, String> schedule(String... keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("batchgate.schedules.nightly.target", "instances");
        properties.put("batchgate.schedules.nightly.operation", "restart");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put("batchgate.schedules.nightly." + keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void should_run_in_utc_when_a_cron_schedule_names_no_time_zone() {
        ScheduleConfig config = ScheduleConfigParser.parse(schedule("cron", "0 0 3 * * ?", "items", "i-1, i-2,,i-3"))
                .get("nightly");

        assertThat(config.timezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(config.items()).containsExactly("i-1", "i-2", "i-3");
        assertThat(config.when()).isEqualTo("cron 0 0 3 * * ? (Z)");
    }

    @Test
    void should_not_take_the_switch_for_a_schedule_when_schedules_are_enabled() {
        Map<String, String> properties = schedule("every", "1m", "items", "a");
        properties.put("batchgate.schedules.enabled", "true");

        assertThat(ScheduleConfigParser.parse(properties)).containsOnlyKeys("nightly");
    }

    @Test
    void should_read_the_interval_when_a_schedule_is_given_every() {
        ScheduleConfig config = ScheduleConfigParser.parse(schedule("every", "15m", "items-file", "ids.txt")).get("nightly");

        assertThat(config.every()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.itemsFile()).hasToString("ids.txt");
    }

    @Test
    void should_refuse_to_start_when_a_schedule_is_misconfigured() {
        assertThatThrownBy(() -> ScheduleConfigParser.parse(schedule("cron", "0 0 3 * * ?", "every", "1m", "items", "a")))
                .hasMessage("batchgate.schedules.nightly: give either .cron (Quartz syntax, e.g. 0 0 3 * * ?) or .every (e.g. 15m)");
        assertThatThrownBy(() -> ScheduleConfigParser.parse(schedule("cron", "0 0 3 * *", "items", "a")))
                .hasMessageStartingWith("batchgate.schedules.nightly.cron: '0 0 3 * *' is not a Quartz cron expression");
        assertThatThrownBy(() -> ScheduleConfigParser.parse(schedule("cron", "0 0 3 * * ?", "timezone", "Mars/Base", "items", "a")))
                .hasMessage("batchgate.schedules.nightly.timezone: unknown time zone 'Mars/Base'");
        assertThatThrownBy(() -> ScheduleConfigParser.parse(schedule("every", "1m")))
                .hasMessage("batchgate.schedules.nightly: give either .items (a comma list of ids) or .items-file");
        assertThatThrownBy(() -> ScheduleConfigParser.parse(schedule("every", "1m", "items", "a", "item", "b")))
                .hasMessageStartingWith("batchgate.schedules.nightly.item: unknown setting");
        assertThatThrownBy(() -> ScheduleConfigParser.parse(schedule("every", "100ms", "items", "a")))
                .hasMessage("batchgate.schedules.nightly.every: at least 1s");
    }
}
