package dev.agentruntime.planning;

import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolRegistry;
import dev.agentruntime.tools.ToolSpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
class PlanValidatorTest {

    @Inject
    PlanValidator validator;
    @Inject
    ObjectMapper mapper;
    @Inject
    ToolRegistry tools;

    @Test
    void acceptsAValidPlan() {
        Plan plan = new Plan(List.of(calc(1, "1 + 1"),
                new PlanStep(2, "todo_store", mapper.createObjectNode().put("action", "add")
                        .put("text", "{{steps.1.output}}"), "r", null)));
        assertThat(validator.validate(plan, "default")).isSameAs(plan);
    }

    @Test
    void refusesAnEmptyPlan() {
        assertReason(new Plan(List.of()), "empty_plan", "the plan has no steps");
    }

    @Test
    void refusesMoreThanTenSteps() {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            steps.add(calc(i, "1"));
        }
        assertReason(new Plan(steps), "too_many_steps", "the plan has 11 steps; at most 10 are allowed");
    }

    @Test
    void refusesUnknownTools() {
        Plan plan = new Plan(List.of(new PlanStep(1, "shell", mapper.createObjectNode().put("cmd", "rm -rf /"), "r",
                null)));
        assertReason(plan, "unknown_tool", "step 1 uses unknown tool 'shell'; available tools: ");
    }

    @Test
    void refusesInputThatFailsTheSchemaNamingTheField() {
        Plan missing = new Plan(List.of(new PlanStep(1, "calculator", mapper.createObjectNode(), "r", null)));
        assertReason(missing, "invalid_input", "step 1 (calculator) has invalid input: expression");

        Plan wrongType = new Plan(List.of(new PlanStep(1, "calculator",
                mapper.createObjectNode().put("expression", 5), "r", null)));
        assertReason(wrongType, "invalid_input", "expression: ");

        Plan noText = new Plan(List.of(new PlanStep(1, "todo_store",
                mapper.createObjectNode().put("action", "add"), "r", null)));
        assertReason(noText, "invalid_input", "text");

        Plan badAction = new Plan(List.of(new PlanStep(1, "todo_store",
                mapper.createObjectNode().put("action", "explode"), "r", null)));
        assertReason(badAction, "invalid_input", "action: ");

        Plan extra = new Plan(List.of(new PlanStep(1, "calculator",
                mapper.createObjectNode().put("expression", "1").put("shell", "ls"), "r", null)));
        assertReason(extra, "invalid_input", "shell");
    }

    @Test
    void refusesReferencesToLaterOrMissingSteps() {
        assertReason(new Plan(List.of(calc(1, "{{steps.2.output}} + 1"), calc(2, "1"))), "invalid_reference",
                "step 1 uses the output of step 2, which is not an earlier step");
        assertReason(new Plan(List.of(calc(1, "1"), new PlanStep(2, "calculator",
                mapper.createObjectNode().put("expression", "1"), "r", List.of(5)))), "invalid_reference",
                "step 2 depends on step 5");
    }

    @Test
    void refusesStepNumbersOutOfOrder() {
        assertReason(new Plan(List.of(calc(2, "1"))), "invalid_plan", "step 1 is numbered 2");
    }

    private PlanStep calc(int number, String expression) {
        return new PlanStep(number, "calculator", mapper.createObjectNode().put("expression", expression), "r", null);
    }

    private void assertReason(Plan plan, String reason, String message) {
        assertThatThrownBy(() -> validator.validate(plan, "default"))
                .isInstanceOfSatisfying(PlanningException.class, e -> assertThat(e.reason().wireName()).isEqualTo(reason))
                .hasMessageContaining(message);
    }

    /** Issue 14: a tool only some tenants may use is unknown to the others, in planning as in listing. */
    @Test
    void aToolATenantMayNotUseIsUnknownToIt() {
        tools.register(new OnlyFor("acme_only", "acme"));
        try {
            Plan plan = new Plan(List.of(new PlanStep(1, "acme_only", mapper.createObjectNode(), "r", null)));
            assertThat(validator.validate(plan, "acme")).isSameAs(plan);
            assertThatThrownBy(() -> validator.validate(plan, "globex"))
                    .isInstanceOfSatisfying(PlanningException.class, e -> {
                        assertThat(e.reason().wireName()).isEqualTo("unknown_tool");
                        assertThat(e.getMessage()).contains("unknown tool 'acme_only'").doesNotContain(", acme_only");
                    });
            assertThat(tools.available("globex")).extracting(Tool::name).doesNotContain("acme_only");
            assertThat(tools.available("acme")).extracting(Tool::name).contains("acme_only", "calculator");
            assertThatThrownBy(() -> tools.register(new OnlyFor("calculator", "acme")))
                    .hasMessageContaining("a built-in tool is named 'calculator'");
        } finally {
            tools.unregister("acme_only");
        }
        assertThat(tools.find("acme_only")).isEmpty();
    }

    /** A tool registered at run time, as an MCP server's are, available to one tenant. */
    private static final class OnlyFor implements Tool {
        private final ToolSpec spec;
        private final String tenant;

        OnlyFor(String name, String tenant) {
            this.spec = new ToolSpec(name, "test", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put("type", "object"));
            this.tenant = tenant;
        }

        @Override
        public ToolSpec spec() {
            return spec;
        }

        @Override
        public boolean availableTo(String caller) {
            return tenant.equals(caller);
        }

        @Override
        public io.smallrye.mutiny.Uni<com.fasterxml.jackson.databind.JsonNode> execute(
                com.fasterxml.jackson.databind.JsonNode input, dev.agentruntime.tools.ToolContext context) {
            return io.smallrye.mutiny.Uni.createFrom().item(input);
        }
    }
}
