package dev.batchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.ratelimit.CircuitBreaker;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetConfigParser;
import dev.batchgate.testing.ShippedProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The key tables of the README and docs/configuration.md against application.properties, where every
 * default lives. A default in words ("empty", "generated", "cores × 2") stands for an empty value the
 * code gives its meaning; per-target defaults live in {@link TargetConfig} and are checked against it.
 */
class DocumentedDefaultsTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final String TARGET = TargetConfigParser.PREFIX + "<t>.";

    record Row(String source, String key, String documented) {
    }

    @Test
    void should_match_application_properties_when_the_readme_lists_a_key() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configure");
        String configure = readme.substring(start, readme.indexOf("\n## ", start + 1));

        assertDocumented(rows("README.md Configure", configure));
    }

    @Test
    void should_match_application_properties_when_the_configuration_reference_lists_a_key() throws IOException {
        assertDocumented(rows("docs/configuration.md", Files.readString(Path.of("docs", "configuration.md"))));
    }

    @Test
    void should_document_every_key_when_application_properties_declares_it() throws IOException {
        List<String> documented = rows("docs/configuration.md", Files.readString(Path.of("docs", "configuration.md")))
                .stream().map(Row::key).toList();

        assertThat(ShippedProperties.load().stringPropertyNames()).filteredOn(key -> key.startsWith("batchgate."))
                .filteredOn(key -> !key.startsWith(TargetConfigParser.PREFIX) && !key.startsWith("batchgate.schedules."))
                .allSatisfy(key -> assertThat(documented).as("docs/configuration.md documents %s", key).contains(key));
    }

    @Test
    void should_match_application_properties_when_a_class_keeps_a_default_for_direct_use() {
        Properties shipped = ShippedProperties.load();

        assertThat(ResultWriter.DEFAULT_MAX_UNWRITTEN)
                .isEqualTo(Integer.parseInt(shipped.getProperty("batchgate.store.max-unwritten-results")));
        assertThat(JdbcJobStore.DEFAULT_CONNECTION_TIMEOUT)
                .isEqualTo(ConfigValues.duration(shipped.getProperty("batchgate.db.connection-timeout")));
        assertThat(CircuitBreaker.Settings.DEFAULT).isEqualTo(new CircuitBreaker.Settings(
                Integer.parseInt(shipped.getProperty("batchgate.circuit-breaker.failures")),
                ConfigValues.duration(shipped.getProperty("batchgate.circuit-breaker.cool-down"))));
    }

    private static void assertDocumented(List<Row> rows) {
        assertThat(rows).isNotEmpty();
        Properties shipped = ShippedProperties.load();
        TargetConfig bareTarget = TargetConfigParser.parse(Map.of(TargetConfigParser.PREFIX + "t.url", "http://host")).get("t");
        Map<String, Function<TargetConfig, Object>> targetDefaults = Map.of(
                "rpm", TargetConfig::rpm, "concurrency", TargetConfig::concurrency, "timeout", TargetConfig::timeout,
                "retries", TargetConfig::retries, "retry-delay", TargetConfig::retryDelay);
        SoftAssertions softly = new SoftAssertions();
        for (Row row : rows) {
            String literal = literal(row.documented());
            if (row.key().startsWith(TARGET) && targetDefaults.containsKey(row.key().substring(TARGET.length()))) {
                Object actual = targetDefaults.get(row.key().substring(TARGET.length())).apply(bareTarget);
                Object documented = literal == null ? null
                        : actual instanceof Integer ? (Object) Integer.parseInt(literal) : ConfigValues.duration(literal);
                softly.assertThat(actual).as("%s: default of %s", row.source(), row.key()).isEqualTo(documented);
            } else if (!row.key().contains("<")) {
                String value = shipped.getProperty(row.key());
                softly.assertThat(value).as("%s: %s is declared in application.properties", row.source(), row.key()).isNotNull();
                if (value != null) {
                    softly.assertThat(value.trim()).as("%s: default of %s ('%s')", row.source(), row.key(), row.documented())
                            .isEqualTo(literal == null ? "" : literal);
                }
            }
        }
        softly.assertAll();
    }

    /** The value a default cell names: its code span, "" for empty, null for words that describe an empty value. */
    private static String literal(String documented) {
        Matcher code = CODE.matcher(documented);
        if (documented.startsWith("`") && documented.endsWith("`") && code.matches()) {
            return code.group(1);
        }
        return documented.equals("empty") ? "" : null;
    }

    /** Every table row of {@code markdown} whose first cell names keys, one row per key. */
    private static List<Row> rows(String source, String markdown) {
        List<Row> rows = new ArrayList<>();
        for (String line : markdown.split("\n")) {
            String[] cells = line.split("\\|");
            if (!line.startsWith("| `") || cells.length < 3) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            Matcher code = CODE.matcher(cells[1]);
            while (code.find()) {
                String name = code.group(1);
                String first = keys.isEmpty() ? name : keys.get(0);
                keys.add(name.startsWith(".") ? first.substring(0, first.lastIndexOf('.')) + name
                        : name.startsWith("-") ? first + name : name);
            }
            String[] defaults = cells[2].trim().split(" / ");
            assertThat(defaults.length).as("%s: one default per key in '%s'", source, line).isIn(1, keys.size());
            for (int i = 0; i < keys.size(); i++) {
                rows.add(new Row(source, keys.get(i), defaults[defaults.length == 1 ? 0 : i].trim()));
            }
        }
        return rows;
    }
}
