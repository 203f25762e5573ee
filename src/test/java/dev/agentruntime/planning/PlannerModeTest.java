package dev.agentruntime.planning;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which planner serves, from AGENT_PLANNER and whether a key or base URL is configured. */
class PlannerModeTest {

    @ParameterizedTest(name = "mode={0} key={1} url={2} → {3}")
    @CsvSource({
            "auto,  ,      ,                        RULES",
            "auto,  sk-1,  ,                        LLM",
            "auto,  ,      http://localhost:11434/v1, LLM",
            "rules, sk-1,  ,                        RULES",
            "llm,   ,      ,                        LLM",
    })
    void effectiveMode(String mode, String key, String url, PlannerConfig.Mode expected) {
        Map<String, String> properties = new HashMap<>(Map.of("agent.planner.mode", mode,
                "agent.planner.timeout-ms", "1000", "agent.planner.max-retries", "1"));
        if (key != null) {
            properties.put("agent.planner.api-key", key);
        }
        if (url != null) {
            properties.put("agent.planner.base-url", url);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new MapBackedConfigSource("test", properties) {
                })
                .withMapping(PlannerConfig.class)
                .build();
        assertThat(config.getConfigMapping(PlannerConfig.class).effectiveMode()).isEqualTo(expected);
    }
}
