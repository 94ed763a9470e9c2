package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void should_register_secret_values_by_their_key_names() {
        SecretMasker.registerFromProperties(Map.of(
                "batchgate.targets.a.headers.Authorization", "Bearer tok-a1b2c3d4",
                "batchgate.targets.a.headers.Accept", "application/json",
                "batchgate.targets.a.url", "https://user:pw-9f8e7d@example.com/api",
                "batchgate.llm.api-key", "llm-5e6f7a8b",
                "batchgate.api-keys", "ak-1111aaaa, ak-2222bbbb",
                "batchgate.db.password", "dbpw-33cc44dd",
                "batchgate.db.user", "someuser"));

        String masked = SecretMasker.mask("Bearer tok-a1b2c3d4 | tok-a1b2c3d4 | pw-9f8e7d | llm-5e6f7a8b | ak-2222bbbb"
                + " | dbpw-33cc44dd | application/json | someuser");

        assertThat(masked).isEqualTo("*** | *** | *** | *** | *** | *** | application/json | someuser");
    }

    @Test
    void should_leave_short_values_alone_when_they_would_mask_ordinary_words() {
        SecretMasker.register("abc");

        assertThat(SecretMasker.mask("abc def")).isEqualTo("abc def");
    }

    @Test
    void should_leave_the_scheme_word_alone_when_an_authorization_header_has_no_credential() {
        SecretMasker.registerFromProperties(Map.of("batchgate.targets.unset.headers.Authorization", "Bearer "));

        assertThat(SecretMasker.mask("Authorization: Bearer (no token configured)"))
                .isEqualTo("Authorization: Bearer (no token configured)");
    }
}
