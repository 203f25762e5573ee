package dev.agentruntime.tools.wait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolSpec;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Pauses a run ("wait 5 seconds, then list my todos") without holding a thread. Bounded to five minutes; the
 * step timeout ({@code agent.execution.step-timeout-ms}) still applies.
 */
@ApplicationScoped
public class WaitTool implements Tool {

    public static final String NAME = "wait";

    private static final ToolSpec SPEC = ToolSpec.withSchemaResource(NAME,
            "Waits the given number of seconds (at most 300) before the next step, e.g. to pace a workflow.");

    private final ObjectMapper mapper;

    public WaitTool(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Optional<Duration> expectedDuration(JsonNode input) {
        return Optional.of(Duration.ofMillis(input.path("seconds").decimalValue().movePointRight(3).longValue()));
    }

    @Override
    public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
        BigDecimal seconds = input.get("seconds").decimalValue();
        JsonNode output = mapper.createObjectNode().put("waited_seconds", seconds);
        long millis = seconds.movePointRight(3).longValue();
        Uni<JsonNode> done = Uni.createFrom().item(output);
        return millis <= 0 ? done : done.onItem().delayIt().by(Duration.ofMillis(millis));
    }
}
