package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemediationEngineTest {

    private final RemediationEngine engine = RemediationEngine.withBundledPlatforms();

    @Test
    void should_load_the_four_bundled_platforms_when_built_from_the_classpath() {
        assertThat(engine.platforms()).containsExactly("arista_eos", "cisco_ios", "cisco_iosxr", "cisco_nxos");
    }

    @Test
    void should_negate_then_set_the_hostname_when_it_changes_on_cisco_ios() {
        Remediation result = engine.remediate("cisco_ios", "hostname router1", "hostname router1-new");

        assertThat(result.remediation()).isEqualTo("no hostname router1\nhostname router1-new");
        assertThat(result.rollback()).isEqualTo("no hostname router1-new\nhostname router1");
    }

    @Test
    void should_return_empty_remediation_and_rollback_when_the_configs_are_identical() {
        for (String platform : engine.platforms()) {
            String config = Fixtures.config(platform, "running");

            assertThat(engine.remediate(platform, config, config)).as(platform).isEqualTo(new Remediation("", ""));
        }
    }

    @Test
    void should_see_no_difference_when_configs_differ_only_in_whitespace_and_line_endings() {
        String running = "interface Gi0/1\n description  uplink   to core\n ip address 10.0.0.1 255.255.255.0\n";
        String intended = "interface Gi0/1   \r\n description uplink to\tcore\r\n\r\n ip address 10.0.0.1  255.255.255.0  \r\n";

        assertThat(engine.remediate("cisco_ios", running, intended)).isEqualTo(new Remediation("", ""));
    }

    @Test
    void should_see_no_difference_when_configs_indent_their_sections_by_different_widths() {
        String running = "router bgp 65000\n address-family ipv4\n  network 10.0.0.0\n neighbor 10.0.0.1 remote-as 65001";
        String intended = "router bgp 65000\n   address-family ipv4\n      network 10.0.0.0\n   neighbor 10.0.0.1 remote-as 65001";

        assertThat(engine.remediate("arista_eos", running, intended)).isEqualTo(new Remediation("", ""));
    }

    @Test
    void should_see_no_difference_when_configs_differ_only_in_comments_and_blank_lines() {
        String running = "! managed by netops\ninterface Gi0/1\n description uplink\n!\n\n# end of file\n";
        String intended = "interface Gi0/1\n ! the uplink\n description uplink";

        assertThat(engine.remediate("cisco_ios", running, intended)).isEqualTo(new Remediation("", ""));
    }

    @Test
    void should_return_empty_texts_when_both_configs_are_empty() {
        assertThat(engine.remediate("cisco_nxos", "", "\n\n")).isEqualTo(new Remediation("", ""));
    }

    @Test
    void should_fail_with_unsupported_platform_when_the_platform_has_no_rules_file() {
        assertThatThrownBy(() -> engine.remediate("juniper_junos", "hostname a", "hostname b"))
                .isInstanceOf(UnsupportedPlatformException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported platform: juniper_junos");
    }

    @Test
    void should_fail_with_unsupported_platform_when_the_platform_is_missing() {
        assertThatThrownBy(() -> engine.remediate(null, "hostname a", "hostname b"))
                .isInstanceOf(UnsupportedPlatformException.class)
                .hasMessage("unsupported platform: null");
    }

    @Test
    void should_fail_with_a_parse_error_naming_the_config_when_a_config_is_missing() {
        assertThatThrownBy(() -> engine.remediate("cisco_ios", "hostname a", null))
                .isInstanceOf(ConfigParseException.class)
                .hasMessage("intended config is missing");
    }

    @Test
    void should_fail_with_the_line_number_when_the_first_line_is_a_child_with_no_parent() {
        assertThatThrownBy(() -> engine.remediate("cisco_ios", "! header\n description orphan\nhostname r1", "hostname r1"))
                .isInstanceOf(ConfigParseException.class)
                .hasMessage("running config, line 2: 'description orphan' is indented but no line above it opens "
                        + "a section (a child with no parent)");
    }

    @Test
    void should_fail_with_the_line_number_when_a_dedent_lines_up_with_no_enclosing_section() {
        String intended = "router bgp 65000\n   neighbor 10.0.0.1 remote-as 65001\n  neighbor 10.0.0.2 remote-as 65002";

        assertThatThrownBy(() -> engine.remediate("cisco_ios", "hostname r1", intended))
                .isInstanceOf(ConfigParseException.class)
                .hasMessage("intended config, line 3: 'neighbor 10.0.0.2 remote-as 65002' is indented to column 2, "
                        + "which lines up with none of its enclosing sections (columns 0, 3), so its parent is ambiguous");
    }

    @Test
    void should_mask_the_secret_when_a_parse_error_quotes_the_line() {
        assertThatThrownBy(() -> engine.remediate("cisco_ios", " enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", ""))
                .isInstanceOf(ConfigParseException.class)
                .hasMessageContaining("'enable secret 5 ***'")
                .hasMessageNotContaining("hx5rVt7rPNoS4wqbXKX7m0");
    }

    @Test
    void should_fail_with_the_line_number_when_a_banner_is_never_closed() {
        assertThatThrownBy(() -> engine.remediate("cisco_ios", "hostname r1\nbanner motd ^C\nno end in sight", ""))
                .isInstanceOf(ConfigParseException.class)
                .hasMessage("running config, line 2: the banner is never closed by '^C'");
    }
}
