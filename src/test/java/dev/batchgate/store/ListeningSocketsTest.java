package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar listens on its bind address only: the HTTP server and the embedded job store's peer
 * server. A process of its own, so that no other test's sockets (or H2 started earlier) are counted.
 */
class ListeningSocketsTest {

    @Test
    void should_listen_on_loopback_only_when_it_runs_on_the_defaults(@TempDir Path dir) throws IOException {
        try (TestDatabase database = TestDatabase.fresh(dir);
                BatchgateProcess batchgate = new BatchgateProcess(dir, database).start()) {
            assertThat(batchgate.get("/observe/health").status()).isEqualTo(200);

            List<String> listening = listeningAddresses(batchgate.pid());

            assertThat(listening).isNotEmpty().allSatisfy(address -> assertThat(address).isIn("0100007F",
                    "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"));
        }
    }

    /** Local addresses (hex, as the kernel lists them) of this process's listening TCP sockets. */
    private static List<String> listeningAddresses(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed while listed
                }
            });
        }
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/" + pid + "/net/tcp", "/proc/" + pid + "/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] local address:port, f[3] state (0A = LISTEN), f[9] inode
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    addresses.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return addresses;
    }
}
