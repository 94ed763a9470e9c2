package dev.batchgate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MCP over stdio: newline-delimited JSON-RPC messages in, one answer per line out, UTF-8 both ways.
 * Requests are answered as they complete, so a long tool call does not hold up a ping behind it.
 * Nothing but protocol messages is written to the output stream.
 */
public final class McpStdio {

    private final McpServer server;
    private final InputStream in;
    private final PrintStream out;
    private final Set<CompletableFuture<Void>> answersInFlight = ConcurrentHashMap.newKeySet();

    public McpStdio(McpServer server, InputStream in, PrintStream out) {
        this.server = server;
        this.in = in;
        this.out = out;
    }

    /**
     * Takes the real standard output for protocol messages and points {@code System.out} at
     * {@code System.err}, so a stray {@code println} from any library cannot corrupt the protocol.
     * Call it first thing in {@code main}, before anything can print.
     */
    public static PrintStream reserveStandardOutput() {
        PrintStream protocolOut = System.out;
        System.setOut(System.err);
        return protocolOut;
    }

    /** Serves messages until the input ends, then returns once every request read has been answered. */
    public void run() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.isBlank()) {
                server.handle(line).ifPresent(this::writeWhenDone);
            }
        }
        CompletableFuture.allOf(answersInFlight.toArray(CompletableFuture[]::new)).join();
    }

    private void writeWhenDone(CompletableFuture<JsonNode> answer) {
        CompletableFuture<Void> written = answer.thenAccept(this::write);
        answersInFlight.add(written);
        written.whenComplete((done, failure) -> answersInFlight.remove(written));
    }

    private void write(JsonNode message) {
        byte[] line = JsonRpc.toBytes(message);
        // Answers complete on different threads; one line must never interleave with another.
        synchronized (out) {
            out.write(line, 0, line.length);
            out.write('\n');
            out.flush();
        }
    }
}
