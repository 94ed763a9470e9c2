package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.LogCapture;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without API keys batchgate listens on 127.0.0.1 only and says so; bound wider without keys, it warns. */
class ServerExposureTest {

    @Test
    void should_listen_on_loopback_only_and_say_so_when_no_keys_are_set() {
        try (LogCapture log = new LogCapture(false); BatchgateTestApp app = new BatchgateTestApp().start()) {
            assertThat(log.text()).contains("INFO").contains("no batchgate.api-keys set: listening on 127.0.0.1 only");
            Optional<InetAddress> external = externalAddress();
            external.ifPresent(address -> assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, app.port()), 2000);
                }
            }).isInstanceOf(IOException.class));
        }
    }

    @Test
    void should_warn_when_bound_to_every_interface_without_keys() {
        try (LogCapture log = new LogCapture(false);
                BatchgateTestApp app = new BatchgateTestApp().with("batchgate.bind", "0.0.0.0").start()) {
            assertThat(log.text()).containsPattern("WARN .* no batchgate.api-keys set but listening on 0\\.0\\.0\\.0");
        }
    }

    private static Optional<InetAddress> externalAddress() {
        try {
            return NetworkInterface.networkInterfaces().filter(ServerExposureTest::isUp)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
