package dev.agentruntime.planning.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What makes two requests the same cached plan, and what makes them different. */
class PlanCacheKeysTest {

    private static final String KEY = PlanCacheKeys.of("acme", "list my todos", "instructions v1", "https://x gpt-a");

    @Test
    void whitespaceDoesNotMatterButWordsAndCaseDo() {
        assertThat(PlanCacheKeys.of("acme", "  list \t my\n todos ", "instructions v1", "https://x gpt-a"))
                .isEqualTo(KEY);
        assertThat(PlanCacheKeys.of("acme", "List my todos", "instructions v1", "https://x gpt-a")).isNotEqualTo(KEY);
    }

    @Test
    void tenantCatalogAndModelEachMakeAnotherKey() {
        assertThat(PlanCacheKeys.of("globex", "list my todos", "instructions v1", "https://x gpt-a")).isNotEqualTo(KEY);
        assertThat(PlanCacheKeys.of("acme", "list my todos", "instructions v2", "https://x gpt-a")).isNotEqualTo(KEY);
        assertThat(PlanCacheKeys.of("acme", "list my todos", "instructions v1", "https://x gpt-b")).isNotEqualTo(KEY);
        assertThat(PlanCacheKeys.of("acme", "list my todos", "instructions v1", "https://y gpt-a")).isNotEqualTo(KEY);
    }

    @Test
    void theKeyHoldsNoneOfThePrompt() {
        assertThat(KEY).matches("[0-9a-f]{64}").doesNotContain("todo");
    }
}
