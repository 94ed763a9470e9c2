package dev.batchgate.facade.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.facade.remediation.config.RemediationEngine;
import org.junit.jupiter.api.Test;

class DeviceRemediationTest {

    private final DeviceRemediation bean = new DeviceRemediation(RemediationEngine.withBundledPlatforms());

    @Test
    void should_answer_remediation_and_rollback_when_the_device_params_are_complete() {
        var remediation = bean.remediate("{\"platform\":\"cisco_ios\",\"running_config\":\"hostname router1\","
                + "\"intended_config\":\"hostname router1-new\"}");

        assertThat(remediation.remediation()).isEqualTo("no hostname router1\nhostname router1-new");
        assertThat(remediation.rollback()).isEqualTo("no hostname router1-new\nhostname router1");
    }

    @Test
    void should_throw_a_masked_message_when_the_config_quoted_in_the_error_holds_a_secret() {
        assertThatThrownBy(() -> bean.remediate("{\"platform\":\"cisco_ios\",\"running_config\":\" snmp-server community "
                + "s3cr3t-comm RO\",\"intended_config\":\"\"}"))
                .isInstanceOf(DeviceRemediationException.class)
                .hasMessageContaining("no parent")
                .hasMessageNotContaining("s3cr3t-comm");
    }

    @Test
    void should_keep_the_closing_quote_when_the_quoted_line_ends_in_a_masked_secret() {
        assertThatThrownBy(() -> bean.remediate("{\"platform\":\"cisco_ios\",\"running_config\":\" enable secret 5 "
                + "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0\",\"intended_config\":\"\"}"))
                .isInstanceOf(DeviceRemediationException.class)
                .hasMessageStartingWith("running config, line 1: 'enable secret 5 ***' is indented but no line above it opens");
    }

    @Test
    void should_name_the_platform_when_it_is_unsupported() {
        assertThatThrownBy(() -> bean.remediate("{\"platform\":\"vyos\",\"running_config\":\"\",\"intended_config\":\"\"}"))
                .isInstanceOf(DeviceRemediationException.class)
                .hasMessage("unsupported platform: vyos");
    }

    @Test
    void should_say_what_is_missing_when_the_item_has_no_params() {
        assertThatThrownBy(() -> bean.remediate(null))
                .isInstanceOf(DeviceRemediationException.class)
                .hasMessageStartingWith("no device config given");
    }
}
