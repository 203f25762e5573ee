package dev.agentruntime.tools.wait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Pauses a run ("wait 5 seconds, then list my todos") without holding a thread. Bounded to five minutes; the
 * step timeout ({@code agent.execution.step-timeout-ms}) still applies.
 */
@ApplicationScoped
public class WaitTool implements Tool {

    public static final String NAME = "wait";

    private static final String SCHEMA = """
            {
              "type": "object",
              "properties": {
                "seconds": {"type": "number", "minimum": 0, "maximum": 300,
                            "description": "How long to wait, in seconds (decimals allowed)"}
              },
              "required": ["seconds"],
              "additionalProperties": false
            }
            """;

    private final ObjectMapper mapper;
    private final JsonNode schema;

    public WaitTool(ObjectMapper mapper) throws IOException {
        this.mapper = mapper;
        this.schema = mapper.readTree(SCHEMA);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Waits the given number of seconds (at most 300) before the next step, e.g. to pace a workflow.";
    }

    @Override
    public JsonNode inputSchema() {
        return schema;
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
