package dev.batchgate.facade.coolify;

import dev.batchgate.config.Settings;
import java.time.Duration;

/**
 * The Coolify tools' settings.
 *
 * @param target       the target the batches run on ({@code batchgate.coolify.target})
 * @param pollInterval time between two reads of a deployment ({@code batchgate.coolify.poll-interval})
 * @param waitTimeout  how long an item waits for its deployment ({@code batchgate.coolify.wait-timeout})
 * @param maxWait      how long a tool call waits before it answers with what is done, under the 60 s
 *                     after which MCP clients give up ({@code batchgate.mcp.max-wait})
 */
public record CoolifySettings(String target, Duration pollInterval, Duration waitTimeout, Duration maxWait) {

    public static CoolifySettings from(Settings settings) {
        return new CoolifySettings(settings.text("batchgate.coolify.target"), settings.duration("batchgate.coolify.poll-interval"),
                settings.duration("batchgate.coolify.wait-timeout"), settings.duration("batchgate.mcp.max-wait"));
    }
}
