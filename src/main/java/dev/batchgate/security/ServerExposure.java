package dev.batchgate.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says in the log who can reach the server, and warns when anyone on the network can without a key. */
public final class ServerExposure {

    private static final Logger LOG = LoggerFactory.getLogger(ServerExposure.class);

    private ServerExposure() {
    }

    public static void log(String bind, ApiKeys keys) {
        boolean loopbackOnly = isLoopback(bind);
        if (keys.enabled()) {
            LOG.info("API keys required ({} configured) on every call but /observe/health, /login and /demo/; listening on {}",
                    keys.count(), bind);
        } else if (loopbackOnly) {
            LOG.info("no batchgate.api-keys set: listening on {} only (this machine); set batchgate.api-keys and "
                    + "batchgate.bind=0.0.0.0 to serve other hosts", bind);
        } else {
            LOG.warn("no batchgate.api-keys set but listening on {}: anyone who can reach this port can run batches; "
                    + "set batchgate.api-keys or batchgate.bind=127.0.0.1", bind);
        }
    }

    static boolean isLoopback(String bind) {
        if (bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
            return false;
        }
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
