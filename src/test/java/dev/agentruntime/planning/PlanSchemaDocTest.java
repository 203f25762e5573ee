package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestTools;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/plan-schema.json} is the plan schema the built-in tools make, as sent to the model: this fails when the
 * generator or a built-in schema changes and the document does not ({@code -Dagent.write-docs=true} rewrites it).
 */
class PlanSchemaDocTest {

    private static final Path DOC = Path.of("docs", "plan-schema.json");

    @Test
    void theDocumentedExampleIsWhatTheBuiltInToolsMake() throws Exception {
        List<Tool> builtIn = List.of(spec("calculator"), spec("todo_store"), spec("wait"));
        PlanSchema.Built built = PlanSchema.build(builtIn, 10);
        assertThat(built.strict()).as("the built-in tools fit strict mode: %s", built.notStrict()).isTrue();
        String generated = TestJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(built.schema()) + "\n";
        if (Boolean.getBoolean("agent.write-docs")) {
            Files.writeString(DOC, generated);
        }
        JsonNode documented = TestJson.mapper().readTree(Files.readString(DOC));
        assertThat(documented).isEqualTo(built.schema());
    }

    private static Tool spec(String name) {
        return TestTools.echoing(ToolSpec.withSchemaResource(name, name));
    }
}
