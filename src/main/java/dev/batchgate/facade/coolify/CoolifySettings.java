package dev.batchgate.facade.coolify;

import dev.batchgate.config.Settings;
import java.time.Duration;

/**
 * The Coolify tools' settings.
 *
 * @param target       the target the batches run on ({@code batchgate.coolify.target}, default {@code coolify})
 * @param pollInterval time between two reads of a deployment ({@code batchgate.coolify.poll-interval}, default 5 s)
 * @param waitTimeout  how long an item waits for its deployment ({@code batchgate.coolify.wait-timeout}, default 10 min)
 * @param maxWait      how long a tool call waits before it answers with what is done
 *                     ({@code batchgate.mcp.max-wait}, default 50 s: MCP clients give up after 60 s)
 */
public record CoolifySettings(String target, Duration pollInterval, Duration waitTimeout, Duration maxWait) {

    public static CoolifySettings from(Settings settings) {
        return new CoolifySettings(settings.text("batchgate.coolify.target", "coolify"),
                settings.duration("batchgate.coolify.poll-interval", Duration.ofSeconds(5)),
                settings.duration("batchgate.coolify.wait-timeout", Duration.ofMinutes(10)),
                settings.duration("batchgate.mcp.max-wait", Duration.ofSeconds(50)));
    }
}
