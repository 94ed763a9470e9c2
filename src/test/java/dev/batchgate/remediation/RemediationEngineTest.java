package dev.batchgate.remediation;

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
}
