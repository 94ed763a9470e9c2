package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.mcp.ToolArguments;
import dev.batchgate.mcp.ToolArguments.InvalidArgumentsException;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Coolify tools as REST calls: {@code POST /v1/coolify/{tool_name}} with the tool's arguments as
 * the body answers 200 with the same document as the MCP tool; arguments that do not fit the
 * tool's schema are a 400 naming the field.
 */
public final class CoolifyRestApi {

    static final String TRIGGER = "facade:coolify";
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private final CoolifyTools tools;

    public CoolifyRestApi(CoolifyTools tools) {
        this.tools = tools;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/v1/coolify/:tool", this::handle);
    }

    private void handle(RoutingContext ctx) {
        String name = ctx.pathParam("tool");
        CoolifyTools.ToolDefinition definition = tools.definition(name).orElseThrow(() -> BadRequestException.notFound(
                "unknown Coolify tool '" + name + "' (" + String.join(", ", tools.definitions().stream()
                        .map(CoolifyTools.ToolDefinition::name).toList()) + ")"));
        ObjectNode arguments;
        try {
            arguments = ToolArguments.validate(definition.inputSchema(), RequestBodies.json(ctx, false));
        } catch (InvalidArgumentsException invalid) {
            throw BadRequestException.invalid(invalid.getMessage(),
                    List.of(new BadRequestException.FieldError(invalid.field(), index(invalid.field()), invalid.problem())));
        }
        Context eventLoop = ctx.vertx().getOrCreateContext();
        tools.call(name, arguments, TRIGGER).whenComplete((document, failure) -> eventLoop.runOnContext(ignored -> {
            if (failure != null) {
                Responses.failure(ctx, failure);
            } else {
                Responses.json(ctx, 200, document);
            }
        }));
    }

    private static Integer index(String field) {
        Matcher m = INDEX.matcher(field);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
