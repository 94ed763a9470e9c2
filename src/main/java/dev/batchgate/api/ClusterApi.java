package dev.batchgate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.cluster.ClusterNode;
import dev.batchgate.http.BatchAnswers;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.store.ClusterStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/** {@code GET /v1/cluster}: the live nodes sharing this node's job store (just this one when not clustered). */
public final class ClusterApi {

    private final Vertx vertx;
    private final ClusterNode node;

    public ClusterApi(Vertx vertx, ClusterNode node) {
        this.vertx = vertx;
        this.node = node;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.GET, "/v1/cluster",
                ctx -> BatchAnswers.blocking(vertx, ctx, this::describe, (done, body) -> Responses.json(done, 200, body)));
    }

    private ObjectNode describe() {
        ObjectNode body = Json.object();
        body.put("clustered", node.clustered());
        ArrayNode nodes = body.putArray("nodes");
        for (ClusterStore.Node n : node.nodes()) {
            nodes.addObject().put("id", n.id()).put("address", n.address()).put("startedAt", n.startedAt().toString())
                    .put("lastSeenAt", n.lastSeenAt().toString()).put("inFlight", n.inFlight()).put("self", n.id().equals(node.id()));
        }
        return body;
    }
}
