package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupSecretsTest {

    private final String id = UUID.randomUUID().toString();

    @Test
    void should_register_secrets_from_files_system_properties_and_environment_when_camel_has_read_none(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, """
                batchgate.targets.a.headers.Authorization=Bearer {{env:A_SOURCE}}
                batchgate.llm.api-key={{llm.key.source}}
                llm.key.source=llm-%s
                batchgate.db.url=https://{{env:NO_SUCH_VAR:dbuser:dbpw-%s}}@db.example.com/jobs
                batchgate.targets.a.url=http://127.0.0.1/{{env:PLAIN}}
                """.formatted(id, id));
        Properties system = new Properties();
        system.setProperty("batchgate.api-keys", "ak1-" + id + ",ak2-" + id);
        system.setProperty("batchgate.targets.b.headers.X-Api-Key", "{{sys:b.source}}");
        system.setProperty("b.source", "hk-" + id);

        StartupSecrets.register(List.of("file:" + file + ";optional=true", "file:" + dir.resolve("missing.properties")
                + ";optional=true"), Map.of("A_SOURCE", "tok-" + id, "BATCHGATE_DB_PASSWORD", "envpw-" + id,
                        "LLM_API_KEY", "llmenv-" + id, "PLAIN", "path-" + id),
                system);

        String masked = SecretMasker.mask(String.join(" | ", "tok-" + id, "llm-" + id, "dbpw-" + id, "ak1-" + id,
                "ak2-" + id, "hk-" + id, "envpw-" + id, "llmenv-" + id, "path-" + id));
        assertThat(masked).isEqualTo("*** | *** | *** | *** | *** | *** | *** | *** | path-" + id);
    }
}
