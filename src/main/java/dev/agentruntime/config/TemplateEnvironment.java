package dev.agentruntime.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import io.smallrye.config.SysPropConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment read the way the templates are written (ADR 0026): a variable set to nothing ({@code OPENAI_API_KEY=}
 * in {@code .env.example}, {@code ""} in a Secret) is not set, so the property keeps its default instead of failing
 * start-up as an empty value; and a value still holding a template's placeholder ({@value #PLACEHOLDER}) refuses
 * start-up, naming the variable, instead of becoming a credential. Covers the process environment and a {@code .env}
 * file in the working directory, which SmallRye Config reads too.
 */
public class TemplateEnvironment implements SmallRyeConfigBuilderCustomizer {

    /** The marker every placeholder in the templates carries. */
    public static final String PLACEHOLDER = "replace-me";

    /** Variables the runtime reads, whose values are checked for placeholders. */
    private static final List<String> PREFIXES = List.of("AGENT_", "OPENAI_", "QUARKUS_", "OTEL_");

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        // SmallRye adds its environment sources with the "system" sources: take their place with filtered copies.
        boolean system = builder.isAddDefaultSources() || builder.isAddSystemSources();
        if (!system) {
            return;
        }
        if (builder.isAddDefaultSources()) {
            builder.setAddDefaultSources(false).setAddPropertiesSources(true);
        }
        builder.setAddSystemSources(false);
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(new SysPropConfigSource());
        sources.add(new EnvConfigSource(set(System.getenv(), "the environment"), EnvConfigSource.ORDINAL));
        ClassLoader loader = builder.getClassLoader() != null ? builder.getClassLoader()
                : Thread.currentThread().getContextClassLoader();
        for (ConfigSource dotEnv : DotEnvConfigSourceProvider.dotEnvSources(loader)) {
            sources.add(new EnvConfigSource(set(dotEnv.getProperties(), dotEnv.getName()), dotEnv.getOrdinal()));
        }
        builder.withSources(sources);
    }

    /** The variables that are set: empty ones dropped; refuses placeholders, naming every variable that has one. */
    static Map<String, String> set(Map<String, String> variables, String where) {
        Map<String, String> set = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                set.put(name, value);
            }
        });
        List<String> placeholders = set.entrySet().stream()
                .filter(variable -> PREFIXES.stream().anyMatch(variable.getKey()::startsWith)
                        && variable.getValue().toLowerCase(Locale.ROOT).contains(PLACEHOLDER))
                .map(Map.Entry::getKey).toList();
        if (!placeholders.isEmpty()) {
            throw new ConfigurationException(String.join(", ", placeholders) + " (" + where + ") still "
                    + (placeholders.size() == 1 ? "holds" : "hold") + " the template's placeholder (" + PLACEHOLDER
                    + "): set real values, or leave them empty for the defaults");
        }
        return set;
    }

    @Override
    public int priority() {
        // After every other customizer, so none adds the unfiltered sources back.
        return Integer.MAX_VALUE;
    }
}
