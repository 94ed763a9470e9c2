package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.testing.ShippedProperties;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {

    @Test
    void should_read_the_pool_in_priority_order_when_models_are_name_colon_rpm() {
        assertThat(ModelSpec.parseList(ShippedProperties.value("batchgate.llm.models"))).containsExactly(new ModelSpec("gemini-2.5-pro", 2),
                new ModelSpec("gemini-2.5-flash", 10), new ModelSpec("gemini-2.5-flash-lite", 30));
        assertThat(ModelSpec.parseList("llama3:8b:60")).containsExactly(new ModelSpec("llama3:8b", 60));
    }

    @Test
    void should_refuse_the_pool_when_an_entry_is_not_name_colon_positive_rpm() {
        assertThatThrownBy(() -> ModelSpec.parseList("gpt-4o")).hasMessageContaining("not name:rpm");
        assertThatThrownBy(() -> ModelSpec.parseList("a:0")).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> ModelSpec.parseList("a:x")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> ModelSpec.parseList("a:1,a:2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ModelSpec.parseList(" ")).hasMessageContaining("empty");
    }

    @Test
    void should_cost_tokens_at_the_price_per_million_when_a_price_is_set() {
        ModelPrice price = ModelPrice.parse("gemini-2.5-pro", "1.25, 10");

        assertThat(price.cost(1_000_000, 0)).isEqualByComparingTo("1.25");
        assertThat(price.cost(12, 34)).isEqualByComparingTo("0.000355");
        assertThat(ModelPrice.parse("lite", "0.0375,0.15").cost(3, 0)).isEqualByComparingTo("0.0000001125");
        assertThat(ModelPrice.FREE.cost(1000, 1000)).isEqualByComparingTo(BigDecimal.ZERO);
        assertThatThrownBy(() -> ModelPrice.parse("x", "1.25")).hasMessageContaining("input,output");
        assertThatThrownBy(() -> ModelPrice.parse("x", "-1,2")).hasMessageContaining("non-negative");
    }

    @Test
    void should_never_show_the_api_key_when_settings_are_printed_or_errors_echo_it() {
        LlmSettings settings = new LlmSettings("http://llm/v1/", "sk-secret-123", List.of(new ModelSpec("m", 1)), Map.of(), 10,
                Duration.ofSeconds(60), Duration.ofSeconds(30), 2, Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(settings.toString()).doesNotContain("sk-secret-123").contains("apiKey=***");
        assertThat(settings.scrub("HTTP 401: Incorrect API key provided: sk-secret-123"))
                .isEqualTo("HTTP 401: Incorrect API key provided: ***");
        assertThat(settings.completionsUrl()).isEqualTo("http://llm/v1/chat/completions");
    }
}
