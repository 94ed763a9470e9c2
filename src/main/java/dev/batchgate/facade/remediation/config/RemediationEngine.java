package dev.batchgate.facade.remediation.config;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Computes the commands that bring a network device from its running config to its intended config
 * (the remediation) and back (the rollback), with each platform's rules read from
 * {@code remediation/platforms/<platform>.json}. Immutable, so one engine serves concurrent callers.
 */
public final class RemediationEngine {

    private final Map<String, PlatformRules> rulesByPlatform;

    private RemediationEngine(Map<String, PlatformRules> rulesByPlatform) {
        this.rulesByPlatform = Collections.unmodifiableMap(rulesByPlatform);
    }

    /** Loads every platform file found on the classpath. */
    public static RemediationEngine withBundledPlatforms() {
        return new RemediationEngine(BundledPlatforms.load(RemediationEngine.class.getClassLoader()));
    }

    /** The platform names, sorted: {@code arista_eos}, {@code cisco_ios}… */
    public Set<String> platforms() {
        return rulesByPlatform.keySet();
    }

    /**
     * @throws UnsupportedPlatformException when no rules file names {@code platform}
     * @throws ConfigParseException         when a config cannot be read as an indentation tree or is missing
     */
    public Remediation remediate(String platform, String running, String intended) {
        PlatformRules rules = platform == null ? null : rulesByPlatform.get(platform);
        if (rules == null) {
            throw new UnsupportedPlatformException(platform);
        }
        ConfigNode runningTree = ConfigParser.parse("running config", require("running config", running), rules);
        ConfigNode intendedTree = ConfigParser.parse("intended config", require("intended config", intended), rules);
        RemediationPlanner planner = new RemediationPlanner(rules);
        return new Remediation(
                RemediationPrinter.print(planner.plan(runningTree, intendedTree), rules),
                RemediationPrinter.print(planner.plan(intendedTree, runningTree), rules));
    }

    private static String require(String label, String config) {
        if (config == null) {
            throw new ConfigParseException(label + " is missing");
        }
        return config;
    }
}
