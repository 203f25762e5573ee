package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.testing.TestJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value past the bound is reported as too large, however large: past Jackson's buffer (8 KB) the stop came back
 * wrapped in a JsonMappingException and failed the step as "failed unexpectedly" (seen with an MCP tool whose
 * output was the process environment).
 */
class OutputSizeTest {

    @Test
    void aSmallValueIsMeasuredExactly() {
        var value = JsonNodeFactory.instance.objectNode().put("a", "bc");
        assertThat(OutputSize.of(TestJson.mapper(), value, 1000)).isEqualTo(value.toString().length());
    }

    @Test
    void aValueFarPastTheBoundIsReportedAsPastIt() {
        ArrayNode big = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 2_000; i++) {
            big.add("entry number " + i + " of a large tool output");
        }
        assertThat(big.toString().length()).isGreaterThan(40_000);
        assertThat(OutputSize.of(TestJson.mapper(), big, 2048)).isGreaterThan(2048);
    }
}
