package dev.batchgate.mcp;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** An MCP stdio server with {@link EchoItemsTool}, launched by the SDK client in {@link McpNodeClientTest}. */
public final class EchoItemsStdioMain {

    private EchoItemsStdioMain() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocolOut = McpStdio.reserveStandardOutput();
        McpServer server = new McpServer("test", List.of(new EchoItemsTool()));
        new McpStdio(server, System.in, protocolOut).run();
    }
}
