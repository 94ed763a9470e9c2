package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RemediationPropertyTest {

    private static final RemediationEngine ENGINE = RemediationEngine.withBundledPlatforms();
    private static final Map<String, PlatformRules> RULES = BundledPlatforms.load(RemediationPropertyTest.class.getClassLoader());
    /** How far each platform indents one level in its running config. */
    private static final Map<String, Integer> INDENT = Map.of("cisco_ios", 1, "cisco_iosxr", 1, "cisco_nxos", 2, "arista_eos", 3);

    @Property(tries = 400)
    void should_reach_the_intended_config_and_come_back_when_remediation_then_rollback_are_applied(
            @ForAll("platforms") String platform,
            @ForAll("configs") List<GeneratedConfigs.Line> running,
            @ForAll("configs") List<GeneratedConfigs.Line> intended) {
        PlatformRules rules = RULES.get(platform);
        String runningText = render(platform, running);
        String intendedText = render(platform, intended);
        Remediation remediation = ENGINE.remediate(platform, runningText, intendedText);
        DeviceConfig device = DeviceConfig.copyOf(ConfigParser.parse("running", runningText, rules));
        RemediationApplier applier = new RemediationApplier(rules);

        applier.apply(device, remediation.remediation());
        assertThat(device.canonical()).as("running + remediation")
                .isEqualTo(canonical(intendedText, rules));

        applier.apply(device, remediation.rollback());
        assertThat(device.canonical()).as("running + remediation + rollback")
                .isEqualTo(canonical(runningText, rules));
    }

    @Property(tries = 100)
    void should_remediate_nothing_when_a_config_is_compared_with_itself(
            @ForAll("platforms") String platform, @ForAll("configs") List<GeneratedConfigs.Line> config) {
        String text = render(platform, config);

        assertThat(ENGINE.remediate(platform, text, text)).isEqualTo(new Remediation("", ""));
    }

    @Provide
    Arbitrary<String> platforms() {
        return Arbitraries.of(ENGINE.platforms());
    }

    @Provide
    Arbitrary<List<GeneratedConfigs.Line>> configs() {
        return GeneratedConfigs.configs();
    }

    private static String render(String platform, List<GeneratedConfigs.Line> config) {
        return GeneratedConfigs.render(config, INDENT.get(platform), platform.equals("cisco_iosxr"));
    }

    private static String canonical(String config, PlatformRules rules) {
        return DeviceConfig.copyOf(ConfigParser.parse("expected", config, rules)).canonical();
    }
}
