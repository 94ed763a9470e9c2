package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An embedded H2 job store configured without a password gets a random one, kept for its owner only. */
class StorePasswordTest {

    @TempDir
    Path dir;

    @Test
    void should_create_an_owner_only_password_when_a_new_store_has_none_configured() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data/batchgate");

        try (JdbcJobStore store = new JdbcJobStore(url, "sa", "")) {
            assertThat(store.isReachable()).isTrue();
        }

        Path file = dir.resolve("data/batchgate.password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
        String password = Files.readString(file).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
        try (Connection c = DriverManager.getConnection(url, "sa", password)) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void should_give_a_store_created_without_a_password_the_generated_one_when_it_is_opened() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("old");
        DriverManager.getConnection(url, "sa", "").close();

        try (JdbcJobStore store = new JdbcJobStore(url, "sa", "")) {
            assertThat(store.isReachable()).isTrue();
        }

        assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close()).isInstanceOf(SQLException.class);
        String password = Files.readString(dir.resolve("old.password")).strip();
        DriverManager.getConnection(url, "sa", password).close();
    }

    @Test
    void should_share_the_store_when_a_second_process_opens_it_with_the_same_settings() {
        String url = "jdbc:h2:file:" + dir.resolve("shared");

        try (JdbcJobStore server = new JdbcJobStore(url, "sa", ""); JdbcJobStore second = new JdbcJobStore(url, "sa", "")) {
            assertThat(server.isReachable()).isTrue();
            assertThat(second.isReachable()).isTrue();
        }
    }

    @Test
    void should_use_the_configured_password_and_create_no_file_when_one_is_set() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("own");

        try (JdbcJobStore store = new JdbcJobStore(url, "sa", "chosen-by-operator")) {
            assertThat(store.isReachable()).isTrue();
        }

        assertThat(dir.resolve("own.password")).doesNotExist();
        DriverManager.getConnection(url, "sa", "chosen-by-operator").close();
    }
}
