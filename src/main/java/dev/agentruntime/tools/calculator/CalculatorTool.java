package dev.agentruntime.tools.calculator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolSpec;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Exact decimal arithmetic: {@code {"expression": "(10 + 5) * 2"}} → {@code 30}. */
@ApplicationScoped
public class CalculatorTool implements Tool {

    public static final String NAME = "calculator";

    private static final ToolSpec SPEC = ToolSpec.withSchemaResource(NAME,
            "Evaluates an arithmetic expression exactly (decimal numbers, + - * /, parentheses, unary minus; no "
                    + "powers) and returns the number; a result with no finite decimal expansion is rounded to 34 "
                    + "significant digits. Use it for any calculation.");

    private final ExpressionEvaluator evaluator = new ExpressionEvaluator();

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    /** Pure and quick: nothing to gain by stopping it, and its answer is then recorded. */
    @Override
    public boolean interruptible() {
        return false;
    }

    /** Computed in memory: done again after a crash, it gives the same answer. */
    @Override
    public boolean quick() {
        return true;
    }

    @Override
    public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
        return Uni.createFrom().item(() -> DecimalNode.valueOf(evaluator.evaluate(input.path("expression").asText())));
    }
}
