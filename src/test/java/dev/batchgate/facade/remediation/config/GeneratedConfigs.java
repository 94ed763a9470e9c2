package dev.batchgate.facade.remediation.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random device configs drawn from realistic lines: interfaces, BGP with an address family, ACLs, routes,
 * NTP/SNMP, line vty and an RPL route-policy. The pools are small, so two draws share most of their sections
 * and differ in a few lines, like a running and an intended config. Each setting that a platform overwrites
 * (description, hostname, a neighbour's description…) gets at most one value per config, as on a device,
 * and {@code shutdown}/{@code no shutdown} exactly one.
 */
final class GeneratedConfigs {

    /** A config line and the lines indented under it. */
    record Line(String text, List<Line> children) {

        static Line leaf(String text) {
            return new Line(text, List.of());
        }
    }

    private GeneratedConfigs() {}

    static Arbitrary<List<Line>> configs() {
        return concat(List.of(
                atMostOne("hostname edge-01", "hostname edge-02"),
                exactlyOne("ip domain-lookup", "no ip domain-lookup"),
                interfaceSection("GigabitEthernet0/1"),
                interfaceSection("GigabitEthernet0/2"),
                interfaceSection("GigabitEthernet0/3"),
                bgpSection(),
                acl("ip access-list extended MGMT", "permit tcp 10.99.0.0 0.0.0.255 any eq 22",
                        "permit udp any any eq 123", "deny ip any any log"),
                section("ipv4 access-list EDGE", concat(List.of(
                        atMostOne("10 permit tcp any any eq bgp", "10 deny tcp any any eq bgp"),
                        someOf("20 permit icmp any any", "30 deny ipv4 any any log")))),
                someOf("ip route 10.1.0.0 255.255.0.0 10.0.0.1", "ip route 10.2.0.0 255.255.0.0 10.0.0.2"),
                someOf("ntp server 10.99.0.1", "ntp server 10.99.0.2"),
                atMostOne("snmp-server location DC1", "snmp-server location DC2"),
                someOf("snmp-server community alpha ro", "snmp-server community beta rw"),
                section("line vty 0 4", concat(List.of(
                        atMostOne("transport input ssh", "transport input ssh telnet"),
                        atMostOne("exec-timeout 5 0", "exec-timeout 15 0"),
                        someOf("access-class MGMT in")))),
                routePolicy()));
    }

    /** The config as a device prints it: {@code indent} spaces per level, {@code !} between sections. */
    static String render(List<Line> config, int indent, boolean closeRoutePolicies) {
        StringBuilder text = new StringBuilder();
        for (Line line : config) {
            render(line, 0, indent, text);
            if (closeRoutePolicies && line.text().startsWith("route-policy ")) {
                text.append("end-policy\n");
            }
            text.append("!\n");
        }
        return text.toString();
    }

    private static void render(Line line, int depth, int indent, StringBuilder text) {
        text.append(" ".repeat(depth * indent)).append(line.text()).append('\n');
        for (Line child : line.children()) {
            render(child, depth + 1, indent, text);
        }
    }

    private static Arbitrary<List<Line>> interfaceSection(String name) {
        return section("interface " + name, concat(List.of(
                atMostOne("description uplink", "description spare port"),
                atMostOne("ip address 10.0.1.1 255.255.255.0", "ip address 10.0.2.1 255.255.255.0"),
                someOf("ip address 10.9.0.1 255.255.255.0 secondary", "ip ospf cost 10"),
                atMostOne("mtu 1500", "mtu 9000"),
                exactlyOne("shutdown", "no shutdown"))));
    }

    private static Arbitrary<List<Line>> bgpSection() {
        List<Arbitrary<List<Line>>> children = new ArrayList<>();
        children.add(atMostOne("bgp router-id 10.255.0.1", "bgp router-id 10.255.0.2"));
        children.add(someOf("bgp log-neighbor-changes"));
        for (String peer : List.of("192.0.2.1", "192.0.2.5", "192.0.2.9")) {
            children.add(atMostOne("neighbor " + peer + " remote-as 65001", "neighbor " + peer + " remote-as 65002"));
            children.add(atMostOne("neighbor " + peer + " description core", "neighbor " + peer + " description transit"));
        }
        children.add(section("address-family ipv4", someOf("network 10.255.0.1 mask 255.255.255.255",
                "neighbor 192.0.2.1 activate", "neighbor 192.0.2.5 activate", "neighbor 192.0.2.5 send-community")));
        return section("router bgp 65000", concat(children));
    }

    private static Arbitrary<List<Line>> acl(String name, String... entries) {
        return section(name, someOf(entries));
    }

    /** Statement order matters in RPL, so the statements come in any order. */
    private static Arbitrary<List<Line>> routePolicy() {
        return Arbitraries.shuffle("set local-preference 200", "set med 10", "pass")
                .flatMap(statements -> section("route-policy SET-PREF", someOf(statements.toArray(String[]::new))));
    }

    private static Arbitrary<List<Line>> section(String text, Arbitrary<List<Line>> children) {
        return Combinators.combine(Arbitraries.of(true, false), children)
                .as((present, lines) -> present ? List.of(new Line(text, lines)) : List.of());
    }

    private static Arbitrary<List<Line>> exactlyOne(String... choices) {
        return Arbitraries.of(choices).map(choice -> List.of(Line.leaf(choice)));
    }

    private static Arbitrary<List<Line>> atMostOne(String... choices) {
        return Arbitraries.of(choices).injectNull(0.34).map(choice -> choice == null ? List.of() : List.of(Line.leaf(choice)));
    }

    private static Arbitrary<List<Line>> someOf(String... lines) {
        return Arbitraries.subsetOf(lines).map(chosen -> subsetInOrder(lines, chosen));
    }

    private static List<Line> subsetInOrder(String[] lines, Set<String> chosen) {
        return Arrays.stream(lines).filter(chosen::contains).map(Line::leaf).toList();
    }

    private static Arbitrary<List<Line>> concat(List<Arbitrary<List<Line>>> parts) {
        return Combinators.combine(parts).as(lists -> lists.stream().flatMap(List::stream).toList());
    }
}
