package dev.agentruntime.observability;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Traces are exported only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set: without it the OpenTelemetry SDK is
 * disabled, so nothing tries (and fails) to reach a collector. Ranks below environment variables and
 * application.properties, so {@code QUARKUS_OTEL_SDK_DISABLED} still decides when set.
 */
public class TracingDefaults implements ConfigSource {

    private static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(SDK_DISABLED);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(SDK_DISABLED, getValue(SDK_DISABLED));
    }

    @Override
    public String getValue(String name) {
        if (!SDK_DISABLED.equals(name)) {
            return null;
        }
        String endpoint = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
        return Boolean.toString(endpoint == null || endpoint.isBlank());
    }

    @Override
    public String getName() {
        return "agent-runtime tracing defaults";
    }

    @Override
    public int getOrdinal() {
        return 200;
    }
}
