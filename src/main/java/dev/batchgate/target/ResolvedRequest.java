package dev.batchgate.target;

import java.util.Map;

/** One downstream call, fully resolved: {@code endpointUri} is set instead of method/url for Camel endpoints. */
public record ResolvedRequest(String method, String url, String endpointUri, Map<String, String> headers, String body) {
}
