package dev.batchgate.facade.remediation.config;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: measures how many config lines per second {@link RemediationEngine#remediate} gets through on a
 * 1,000-line IOS config pair that differs in about 5% of its lines. Called from the benchmark.
 *
 * <p>Arguments: {@code [iterations] [warm-up iterations]}, 2,000 and 500 by default.
 */
public final class RemediationThroughput {

    private static final int CONFIG_LINES = 1_000;

    private RemediationThroughput() {}

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        String running = String.join("\n", config(false));
        String intended = String.join("\n", config(true));
        RemediationEngine engine = RemediationEngine.withBundledPlatforms();

        int changedLines = 0;
        for (int i = 0; i < warmUp; i++) {
            changedLines = engine.remediate("cisco_ios", running, intended).remediation().split("\n").length;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startCpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            engine.remediate("cisco_ios", running, intended);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // CPU time stays meaningful when the machine is shared and the thread waits for a core
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpu) / 1e9;

        // each remediate reads both configs, so a pair counts as twice the config's lines
        long linesRead = 2L * CONFIG_LINES * iterations;
        System.out.printf(Locale.ROOT, "remediation throughput: %d-line config pair, %d remediation lines, "
                + "%d iterations, %.3f ms per remediate (%.3f ms CPU), %.0f config lines/s (%.0f per CPU second)%n",
                CONFIG_LINES, changedLines, iterations, seconds * 1000 / iterations, cpuSeconds * 1000 / iterations,
                linesRead / seconds, linesRead / cpuSeconds);
    }

    /** A 1,000-line edge-router config; the intended one renames, re-addresses and drops a few things. */
    private static List<String> config(boolean intended) {
        List<String> lines = new ArrayList<>(CONFIG_LINES);
        lines.add(intended ? "hostname edge-rtr-01-new" : "hostname edge-rtr-01");
        lines.add("service timestamps log datetime msec");
        for (int port = 0; lines.size() < 600; port++) {
            lines.add("interface GigabitEthernet1/0/" + port);
            lines.add(" description " + (intended && port % 10 == 0 ? "re-cabled " : "access ") + port);
            lines.add(" switchport access vlan " + (100 + port % 20));
            lines.add(" switchport mode access");
            lines.add(" spanning-tree portfast");
            lines.add(intended && port % 25 == 0 ? " shutdown" : " no shutdown");
        }
        lines.add("router bgp 65000");
        lines.add(" bgp log-neighbor-changes");
        for (int peer = 1; peer <= 50; peer++) {
            if (!(intended && peer % 17 == 0)) {
                lines.add(" neighbor 10.1." + peer + ".1 remote-as " + (65000 + peer));
                lines.add(" neighbor 10.1." + peer + ".1 description peer-" + peer);
            }
        }
        lines.add(" address-family ipv4");
        for (int peer = 1; peer <= 50; peer++) {
            lines.add("  neighbor 10.1." + peer + ".1 activate");
        }
        lines.add("ip access-list extended EDGE-IN");
        for (int entry = 0; entry < 100; entry++) {
            lines.add(" permit tcp any host 192.0.2." + entry + " eq " + (intended && entry % 20 == 0 ? 8443 : 443));
        }
        for (int route = 0; lines.size() < CONFIG_LINES; route++) {
            lines.add("ip route 10." + (intended && route % 30 == 0 ? 200 : 100) + "." + route
                    + ".0 255.255.255.0 192.0.2.1");
        }
        return lines;
    }
}
