package dev.batchgate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Reads request bodies as JSON with the checks every endpoint shares. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The body as JSON; 400 for text that is not one JSON value in UTF-8. Its Content-Type was checked
     * ahead of every route ({@link dev.batchgate.security.CrossSiteGuard}).
     */
    public static JsonNode json(RoutingContext ctx, boolean required) {
        // no body at all reads as length -1 and a null buffer
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
            if (required) {
                throw BadRequestException.invalid("the request body is empty; send a JSON object");
            }
            return null;
        }
        try {
            // read in place: a copy of a body of many megabytes (device configs) would double its memory
            return Json.readStrict(new BufferInputStream(ctx.body().buffer()));
        } catch (StreamConstraintsException e) {
            throw BadRequestException.invalid("the JSON body is nested too deeply (at most " + Json.MAX_NESTING + " levels)");
        } catch (JsonProcessingException e) {
            throw BadRequestException.invalid("the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (CharacterCodingException e) {
            throw BadRequestException.invalid("the body is not valid UTF-8");
        } catch (IOException e) {
            throw BadRequestException.invalid("the body could not be read: " + e.getMessage());
        }
    }

    /** SHA-256 of the JSON with object keys sorted: equal parsed JSON gives an equal hash. */
    public static String canonicalHash(JsonNode node) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical(node)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            return sorted;
        }
        if (node.isArray()) {
            java.util.List<Object> list = new java.util.ArrayList<>();
            node.forEach(child -> list.add(canonical(child)));
            return list;
        }
        return node;
    }

    /** Reads a Vert.x buffer without copying it whole. */
    private static final class BufferInputStream extends InputStream {
        private final Buffer buffer;
        private int position;

        BufferInputStream(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return position < buffer.length() ? buffer.getByte(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            int n = Math.min(length, buffer.length() - position);
            if (n <= 0) {
                return length == 0 ? 0 : -1;
            }
            buffer.getBytes(position, position + n, into, offset);
            position += n;
            return n;
        }
    }
}
