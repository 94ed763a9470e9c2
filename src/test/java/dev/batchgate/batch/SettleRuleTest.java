package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.batch.SettleRule.Verdict;
import dev.batchgate.json.Json;
import dev.batchgate.target.JsonPathValue;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettleRuleTest {

    final SettleRule rule = new SettleRule(JsonPathValue.parse("$.state"), Set.of("running"), Set.of("failed", "error"));

    @Test
    void should_settle_when_the_field_reaches_a_success_value() {
        assertThat(rule.judge(Json.read("{\"state\":\"running\"}"))).isEqualTo(Verdict.SETTLED);
    }

    @Test
    void should_fail_when_the_field_reaches_a_failure_value() {
        assertThat(rule.judge(Json.read("{\"state\":\"error\"}"))).isEqualTo(Verdict.FAILED);
    }

    @Test
    void should_keep_waiting_when_the_field_is_in_between_or_absent() {
        assertThat(rule.judge(Json.read("{\"state\":\"starting\"}"))).isEqualTo(Verdict.WAITING);
        assertThat(rule.judge(Json.read("{}"))).isEqualTo(Verdict.WAITING);
        assertThat(rule.describe(Json.read("{\"state\":\"starting\"}"))).isEqualTo("$.state was 'starting'");
    }

    @Test
    void should_settle_on_any_value_but_a_failure_when_no_success_value_is_listed() {
        SettleRule anyValue = new SettleRule(JsonPathValue.parse("$.state"), Set.of(), Set.of("failed"));

        assertThat(anyValue.judge(Json.read("{\"state\":\"done\"}"))).isEqualTo(Verdict.SETTLED);
        assertThat(anyValue.judge(Json.read("{\"state\":\"failed\"}"))).isEqualTo(Verdict.FAILED);
    }

    @Test
    void should_settle_on_the_first_answer_when_no_field_is_given() {
        assertThat(new SettleRule(null, Set.of(), Set.of()).judge(null)).isEqualTo(Verdict.SETTLED);
    }
}
