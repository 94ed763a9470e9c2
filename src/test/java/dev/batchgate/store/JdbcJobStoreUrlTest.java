package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcJobStoreUrlTest {

    @Test
    void should_open_an_h2_file_database_shareable_and_durable_when_the_url_is_a_file() {
        assertThat(JdbcJobStore.durableUrl("jdbc:h2:file:./data/batchgate"))
                .isEqualTo("jdbc:h2:file:./data/batchgate;WRITE_DELAY=0;AUTO_SERVER=TRUE");
        assertThat(JdbcJobStore.durableUrl("jdbc:h2:./data/x;AUTO_SERVER=FALSE"))
                .isEqualTo("jdbc:h2:./data/x;AUTO_SERVER=FALSE;WRITE_DELAY=0");
    }

    @Test
    void should_leave_server_memory_and_other_databases_alone_when_the_url_is_not_an_h2_file() {
        assertThat(JdbcJobStore.durableUrl("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test;WRITE_DELAY=0");
        assertThat(JdbcJobStore.durableUrl("jdbc:h2:tcp://localhost/~/db")).isEqualTo("jdbc:h2:tcp://localhost/~/db;WRITE_DELAY=0");
        assertThat(JdbcJobStore.durableUrl("jdbc:postgresql://db/batchgate")).isEqualTo("jdbc:postgresql://db/batchgate");
    }
}
