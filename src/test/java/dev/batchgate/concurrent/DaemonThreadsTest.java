package dev.batchgate.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    private static final Runnable NOTHING = () -> {
    };

    @Test
    void should_give_every_thread_the_same_name_when_named() {
        DaemonThreads threads = DaemonThreads.named("retention");

        assertThat(threads.newThread(NOTHING).getName()).isEqualTo("retention");
        assertThat(threads.newThread(NOTHING).getName()).isEqualTo("retention");
    }

    @Test
    void should_count_from_one_when_numbered() {
        DaemonThreads threads = DaemonThreads.numbered("item-");

        assertThat(threads.newThread(NOTHING).getName()).isEqualTo("item-1");
        assertThat(threads.newThread(NOTHING).getName()).isEqualTo("item-2");
    }

    @Test
    void should_not_hold_the_jvm_open_when_a_thread_is_made() {
        assertThat(DaemonThreads.named("a").newThread(NOTHING).isDaemon()).isTrue();
        assertThat(DaemonThreads.numbered("b-").newThread(NOTHING).isDaemon()).isTrue();
    }
}
