package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random batch requests (right and wrong field names, values of every JSON type, control characters,
 * huge numbers, nested junk) and random non-JSON bodies: the answer is a 2xx, or a 4xx with a JSON
 * error; never a 5xx; and the server stays healthy.
 */
class BatchRequestFuzzTest {

    private static final List<String> FIELDS = List.of("target", "operation", "steps", "items", "mode", "concurrency",
            "params", "failFast", "maxFailurePercent", "transaction", "dryRun", "deadline", "metadata");
    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeContainer
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp().with("batchgate.sync-timeout", "2s")
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}",
                        "operations.tag", "PUT /items/{id}/tags/{params.tag}", "timeout", "2s"))
                .start();
    }

    @AfterContainer
    static void stop() {
        app.close();
        stub.close();
    }

    @Property(tries = 300)
    void should_answer_2xx_or_a_json_4xx_when_the_request_is_random(@ForAll("requests") JsonNode request) {
        assertAnswered(app.post("/v1/batches", Json.write(request)));
    }

    @Property(tries = 100)
    void should_answer_a_json_4xx_when_the_body_is_not_json(@ForAll("junk") String body) {
        var response = app.post("/v1/batches", body);
        assertAnswered(response);
    }

    private static void assertAnswered(BatchgateTestApp.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 499);
        if (response.status() >= 400) {
            assertThat(Json.read(response.text()).path("error").isTextual()).as(response.text()).isTrue();
        }
        assertThat(app.get("/observe/health").status()).isEqualTo(200);
    }

    @Provide
    Arbitrary<JsonNode> requests() {
        Arbitrary<ObjectNode> base = Combinators.combine(
                Arbitraries.of("svc", "svc", "nope", "").injectNull(0.1),
                Arbitraries.of("process", "tag", "missing").injectNull(0.1),
                items(),
                Arbitraries.maps(Arbitraries.of(FIELDS), value()).ofMaxSize(4),
                Arbitraries.strings().ofMaxLength(8).injectNull(0.8))
                .as((target, operation, items, extra, unknown) -> {
                    ObjectNode doc = Json.object();
                    if (target != null) {
                        doc.put("target", target);
                    }
                    if (operation != null) {
                        doc.put("operation", operation);
                    }
                    doc.set("items", items);
                    extra.forEach(doc::set);
                    if (unknown != null) {
                        doc.put(unknown, 1);
                    }
                    return doc;
                });
        return Arbitraries.oneOf(base.map(d -> (JsonNode) d), value());
    }

    private Arbitrary<JsonNode> items() {
        Arbitrary<JsonNode> id = Arbitraries.oneOf(
                text().map(s -> (JsonNode) JsonNodeFactory.instance.textNode(s)),
                Arbitraries.longs().map(n -> (JsonNode) JsonNodeFactory.instance.numberNode(n)),
                scalar());
        Arbitrary<JsonNode> item = Arbitraries.oneOf(id, Combinators.combine(id, value()).as((i, p) -> {
            ObjectNode o = Json.object();
            o.set("id", i);
            o.set("params", p);
            return (JsonNode) o;
        }));
        return Arbitraries.oneOf(item.list().ofMaxSize(5).map(list -> {
            ArrayNode array = Json.MAPPER.createArrayNode();
            list.forEach(array::add);
            return (JsonNode) array;
        }), value());
    }

    private Arbitrary<JsonNode> value() {
        return Arbitraries.lazyOf(
                this::scalar,
                this::scalar,
                () -> value().list().ofMaxSize(3).map(list -> {
                    ArrayNode array = Json.MAPPER.createArrayNode();
                    list.forEach(array::add);
                    return (JsonNode) array;
                }),
                () -> Arbitraries.maps(text(), value()).ofMaxSize(3).map(map -> {
                    ObjectNode object = Json.object();
                    map.forEach(object::set);
                    return (JsonNode) object;
                }));
    }

    private Arbitrary<JsonNode> scalar() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                text().map(f::textNode),
                Arbitraries.of("10s", "0ms", "999999999999999999d", "sync", "async", "-5m", "1h").map(f::textNode),
                Arbitraries.integers().map(n -> (JsonNode) f.numberNode(n)),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(f::numberNode),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e30"), new BigDecimal("1e30")).map(f::numberNode),
                Arbitraries.of(true, false).map(f::booleanNode),
                Arbitraries.just(f.nullNode()));
    }

    private Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("\u0000\u001f\u007f\ud800\udc00/.%?#{}").ofMaxLength(6),
                Arbitraries.of("..", ".", "../admin", "a/b", "%2e%2e", "i-1", "{id}", "{params.tag}"));
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789etrufalsn \\").ofMaxLength(200));
    }
}
