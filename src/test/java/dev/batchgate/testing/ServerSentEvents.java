package dev.batchgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reads a {@code text/event-stream} body as batchgate writes it: an event name, an id and one line of JSON data per event. */
public final class ServerSentEvents {

    private ServerSentEvents() {
    }

    public record Event(String name, long id, JsonNode data) {
    }

    /** Hands each event to {@code events} until the stream ends. */
    public static void read(InputStream body, Consumer<Event> events) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            long id = -1;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    events.accept(new Event(name, id, Json.read(line.substring(6))));
                }
            }
        }
    }
}
