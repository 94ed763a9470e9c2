package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Camel's property parser logs every value it resolves at DEBUG and TRACE, from the first line of the
 * start-up on: the jar as users run it, with secrets from {@code -D}, environment variables (as
 * overrides and as {@code {{env:NAME}}}) and ./application.properties, keeps every one out of its log.
 */
class StartupLogSecretsTest {

    private final String apiKey = "ak-" + UUID.randomUUID();
    private final String otherApiKey = "ak-" + UUID.randomUUID();
    private final String targetToken = "tok-" + UUID.randomUUID();
    private final String llmKey = "llm-" + UUID.randomUUID();
    private final String fileHeaderKey = "hk-" + UUID.randomUUID();

    @ParameterizedTest
    @ValueSource(strings = {"DEBUG", "TRACE"})
    void should_keep_secrets_out_of_the_log_when_camel_logs_its_start_up_at(String level, @TempDir Path dir)
            throws IOException {
        // the LLM key comes from a variable whose name says nothing: only the key that references it does
        Files.writeString(dir.resolve("application.properties"), """
                batchgate.llm.api-key={{env:BG_TEST_LLM_SOURCE}}
                batchgate.targets.svc.headers.X-Api-Key=%s
                """.formatted(fileHeaderKey));
        String dbPassword;
        String log;
        try (TestDatabase database = TestDatabase.fresh(dir.resolve("db"))) {
            // an environment override of the -D value; a fresh H2 file takes any password, PostgreSQL needs its own
            dbPassword = TestDatabase.postgres() ? database.password() : "dbpw-" + UUID.randomUUID();
            try (BatchgateProcess batchgate = new BatchgateProcess(dir, database)
                    .with("batchgate.api-keys", apiKey + "," + otherApiKey)
                    .target("svc", "http://127.0.0.1:9/api", Map.of("operations.process", "POST /items/{id}",
                            "headers.Authorization", "Bearer {{env:SVC_TOKEN}}"))
                    .env("BATCHGATE_CAMEL_LOG_LEVEL", level)
                    .env("SVC_TOKEN", targetToken)
                    .env("BG_TEST_LLM_SOURCE", llmKey)
                    .env("BATCHGATE_DB_PASSWORD", dbPassword)
                    .start()) {
                assertThat(batchgate.get("/observe/health").status()).isEqualTo(200);
                log = batchgate.log();
            }
        }

        List<String> secrets = List.of(apiKey, otherApiKey, targetToken, llmKey, fileHeaderKey, dbPassword);
        assertThat(log.lines().filter(line -> secrets.stream().anyMatch(line::contains))).isEmpty();
        // the lines that printed the values before are there, masked
        assertThat(log.lines()).anyMatch(line -> line.contains("Found a JVM system property: batchgate.api-keys with value: ***,***"))
                .anyMatch(line -> line.contains("Property with key [env:SVC_TOKEN] applied by function [env] -> ***"));
    }
}
