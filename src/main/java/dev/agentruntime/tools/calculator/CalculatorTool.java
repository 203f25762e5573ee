package dev.agentruntime.tools.calculator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Exact decimal arithmetic: {@code {"expression": "(10 + 5) * 2"}} → {@code 30}. */
@ApplicationScoped
public class CalculatorTool implements Tool {

    public static final String NAME = "calculator";

    private static final String SCHEMA = """
            {
              "type": "object",
              "properties": {
                "expression": {
                  "type": "string", "minLength": 1, "maxLength": 1000,
                  "description": "Arithmetic with decimal numbers, + - * /, parentheses and unary minus, e.g. (10 + 5) * 2"
                }
              },
              "required": ["expression"],
              "additionalProperties": false
            }
            """;

    private final ExpressionEvaluator evaluator = new ExpressionEvaluator();
    private final JsonNode schema;

    public CalculatorTool(ObjectMapper mapper) throws java.io.IOException {
        this.schema = mapper.readTree(SCHEMA);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Evaluates an arithmetic expression exactly (decimal numbers, + - * /, parentheses, unary minus) "
                + "and returns the number. Use it for any calculation.";
    }

    @Override
    public JsonNode inputSchema() {
        return schema;
    }

    @Override
    public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
        return Uni.createFrom().item(() -> DecimalNode.valueOf(evaluator.evaluate(input.path("expression").asText())));
    }
}
