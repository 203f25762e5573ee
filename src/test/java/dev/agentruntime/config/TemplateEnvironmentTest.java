package dev.agentruntime.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 27: a variable set to nothing is unset, and a template's placeholder is refused by name. */
class TemplateEnvironmentTest {

    @Test
    void anEmptyVariableLeavesThePropertyItsDefault() {
        SmallRyeConfig config = config(Map.of("OPENAI_API_KEY", "", "AGENT_STORE_TTL", "", "AGENT_STORE", "redis"));

        assertThat(config.getValue("quarkus.langchain4j.openai.api-key", String.class)).isEqualTo("not-configured");
        assertThat(config.getValue("agent.store.ttl", String.class)).isEqualTo("24h");
        assertThat(config.getValue("agent.store.type", String.class)).isEqualTo("redis");
    }

    @Test
    void withoutTheFilterTheSameVariablesBreakStartUp() {
        // What the templates did before: the empty value wins over the default and is then "missing".
        SmallRyeConfig unfiltered = new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(defaults(),
                new EnvConfigSource(Map.of("OPENAI_API_KEY", ""), EnvConfigSource.ORDINAL)).build();
        assertThat(unfiltered.getOptionalValue("quarkus.langchain4j.openai.api-key", String.class)).isEmpty();
    }

    @Test
    void aPlaceholderIsRefusedNamingTheVariableNotItsValue() {
        assertThatThrownBy(() -> TemplateEnvironment.set(Map.of("AGENT_API_KEYS",
                "replace-me=with-tenant-equals-key-pairs"), "the environment"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("AGENT_API_KEYS (the environment) still holds the template's placeholder")
                .hasMessageNotContaining("with-tenant-equals-key-pairs");
        assertThatThrownBy(() -> TemplateEnvironment.set(Map.of("QUARKUS_REDIS_PASSWORD", "REPLACE-ME-with-a-secret",
                "AGENT_API_KEYS", "replace-me=x", "OPENAI_API_KEY", "sk-real"), ".env"))
                .hasMessageStartingWith("AGENT_API_KEYS, QUARKUS_REDIS_PASSWORD (.env) still hold the template's")
                .hasMessageNotContaining("sk-real");
        // Variables the runtime does not read are not its business.
        assertThat(TemplateEnvironment.set(Map.of("EDITOR_HINT", "replace-me", "PATH", "/usr/bin"), "env"))
                .containsOnlyKeys("EDITOR_HINT", "PATH");
    }

    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(defaults(),
                new EnvConfigSource(TemplateEnvironment.set(environment, "test"), EnvConfigSource.ORDINAL)).build();
    }

    /** application.properties as shipped. */
    private static PropertiesConfigSource defaults() {
        try {
            return new PropertiesConfigSource(Path.of("src/main/resources/application.properties").toUri().toURL(),
                    250);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
