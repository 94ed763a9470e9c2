package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    private final PlatformRules ios = BundledPlatforms.load(getClass().getClassLoader()).get("cisco_ios");
    private final PlatformRules iosxr = BundledPlatforms.load(getClass().getClassLoader()).get("cisco_iosxr");

    @Test
    void should_make_a_deeper_line_the_child_of_the_line_above_when_indentation_grows() {
        ConfigNode root = ConfigParser.parse("test", """
                router bgp 65000
                 neighbor 10.0.0.1 remote-as 65001
                 address-family ipv4
                  neighbor 10.0.0.1 activate
                 bgp log-neighbor-changes
                hostname r1
                """, ios);

        assertThat(texts(root)).containsExactly("router bgp 65000", "hostname r1");
        ConfigNode bgp = root.child("router bgp 65000");
        assertThat(texts(bgp)).containsExactly(
                "neighbor 10.0.0.1 remote-as 65001", "address-family ipv4", "bgp log-neighbor-changes");
        assertThat(texts(bgp.child("address-family ipv4"))).containsExactly("neighbor 10.0.0.1 activate");
    }

    @Test
    void should_count_a_tab_as_one_column_when_the_config_is_indented_with_tabs() {
        ConfigNode tabs = ConfigParser.parse("test", "interface Gi0/1\n\tdescription uplink\n\tip address dhcp", ios);
        ConfigNode spaces = ConfigParser.parse("test", "interface Gi0/1\n description uplink\n ip address dhcp", ios);

        assertThat(tabs.child("interface Gi0/1").sameSubtreeAs(spaces.child("interface Gi0/1"))).isTrue();
    }

    @Test
    void should_merge_a_repeated_section_when_the_same_parent_line_appears_twice() {
        ConfigNode root = ConfigParser.parse("test",
                "interface Gi0/1\n description uplink\ninterface Gi0/1\n no shutdown", ios);

        assertThat(texts(root)).containsExactly("interface Gi0/1");
        assertThat(texts(root.child("interface Gi0/1"))).containsExactly("description uplink", "no shutdown");
    }

    @Test
    void should_keep_repeated_lines_when_the_platform_allows_duplicates_under_the_section() {
        ConfigNode root = ConfigParser.parse("test",
                "route-policy P\n  if a then\n    pass\n  endif\n  if b then\n    drop\n  endif\nend-policy", iosxr);

        assertThat(texts(root.child("route-policy P"))).containsExactly("if a then", "endif", "if b then", "endif");
    }

    @Test
    void should_skip_section_terminators_when_they_close_a_section() {
        ConfigNode root = ConfigParser.parse("test",
                "interface Gi0/0/0/0\n ipv4 address 10.0.0.1 255.255.255.0\n root\nprefix-set P\n  10.0.0.0/8\nend-set\nend",
                iosxr);

        assertThat(texts(root)).containsExactly("interface Gi0/0/0/0", "prefix-set P");
        assertThat(texts(root.child("interface Gi0/0/0/0"))).containsExactly("ipv4 address 10.0.0.1 255.255.255.0");
    }

    @Test
    void should_keep_a_multi_line_banner_as_one_line_when_it_spans_several_lines() {
        ConfigNode root = ConfigParser.parse("test",
                "banner motd ^C\n  Authorized access only  \n   indented text\n^C\nhostname r1", ios);

        assertThat(texts(root)).containsExactly("banner motd ^C\n  Authorized access only\n   indented text\n^C",
                "hostname r1");
    }

    @Test
    void should_keep_a_single_line_banner_when_it_closes_on_its_own_line() {
        ConfigNode root = ConfigParser.parse("test", "banner motd #Authorized access only#\nhostname r1", ios);

        assertThat(texts(root)).containsExactly("banner motd #Authorized access only#", "hostname r1");
    }

    private static List<String> texts(ConfigNode node) {
        return node.children().stream().map(ConfigNode::text).toList();
    }
}
