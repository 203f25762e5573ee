package dev.agentruntime.planning;

import dev.agentruntime.run.PlanProblem;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulePlannerTest {

    private final RulePlanner planner = new RulePlanner(TestJson.mapper());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "calculate 2 + 2              | 2 + 2",
            "what is (10 + 5) * 2?        | (10 + 5) * 2",
            "compute -3.5 * 4             | -3.5 * 4",
            "evaluate 100 / 8             | 100 / 8",
            "What's 7 times 6?            | 7 * 6",
            "how much is 10 divided by 4  | 10 / 4",
            "calculate 3 x 4              | 3 * 4",
            "please calculate 2 plus 3 minus 1 | 2 + 3 - 1",
            "12 * (3 + 1)                 | 12 * (3 + 1)",
            "calculate 1,000 + 1          | 1,000 + 1",
    })
    void arithmeticBecomesOneCalculatorStep(String prompt, String expression) {
        Plan plan = planner.plan(prompt);
        assertThat(plan.steps()).hasSize(1);
        assertStep(plan.steps().get(0), "calculator", "expression", expression);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "add todo to buy milk                 | buy milk",
            "add a task: call the dentist         | call the dentist",
            "remind me to water the plants        | water the plants",
            "Add todo to Buy Oat Milk             | Buy Oat Milk",
            "create a new task called File Taxes  | File Taxes",
            "add pick up the kids to my todo list | pick up the kids",
            "todo: renew passport                 | renew passport",
            "add todo to buy milk and eggs        | buy milk and eggs",
            "remind me to call mom, dad and grandma | call mom, dad and grandma",
    })
    void todoAddsKeepTheTextAsWritten(String prompt, String text) {
        Plan plan = planner.plan(prompt);
        assertThat(plan.steps()).hasSize(1);
        assertThat(plan.steps().get(0).toolInput().get("action").asText()).isEqualTo("add");
        assertStep(plan.steps().get(0), "todo_store", "text", text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list todos", "show all my tasks", "what's on my todo list?", "show me my todos",
            "list my tasks", "what are my tasks", "my todos", "display the todo list"})
    void listingForms(String prompt) {
        Plan plan = planner.plan(prompt);
        assertThat(plan.steps()).hasSize(1);
        assertStep(plan.steps().get(0), "todo_store", "action", "list");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "complete todo 3f1c-42         | complete | 3f1c-42",
            "mark 3f1c-42 as done          | complete | 3f1c-42",
            "mark todo abc as completed    | complete | abc",
            "finish task abc               | complete | abc",
            "delete todo 3f1c-42           | delete   | 3f1c-42",
            "remove task abc               | delete   | abc",
    })
    void completeAndDeleteTakeTheId(String prompt, String action, String id) {
        Plan plan = planner.plan(prompt);
        assertThat(plan.steps()).hasSize(1);
        PlanStep step = plan.steps().get(0);
        assertStep(step, "todo_store", "action", action);
        assertThat(step.toolInput().get("todo_id").asText()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "add todo to buy milk and then show all my tasks",
            "add todo to buy milk then show all my tasks",
            "add todo to buy milk; show all my tasks",
            "add todo to buy milk, show all my tasks",
            "add todo to buy milk and show all my tasks",
    })
    void separatorsSplitIntoOrderedSteps(String prompt) {
        Plan plan = planner.plan(prompt);
        assertThat(plan.steps()).extracting(PlanStep::stepNumber).containsExactly(1, 2);
        assertStep(plan.steps().get(0), "todo_store", "text", "buy milk");
        assertStep(plan.steps().get(1), "todo_store", "action", "list");
        // The list reads the list the add wrote to, so it waits for it.
        assertThat(plan.steps().get(1).dependsOn()).containsExactly(1);
    }

    @Test
    void theResultIsCarriedForward() {
        Plan plan = planner.plan("calculate 100 / 4 and add the result as a todo");
        assertThat(plan.steps()).hasSize(2);
        assertStep(plan.steps().get(0), "calculator", "expression", "100 / 4");
        assertStep(plan.steps().get(1), "todo_store", "text", "{{steps.1.output}}");
        assertThat(plan.steps().get(1).dependsOn()).containsExactly(1);
    }

    @Test
    void arithmeticOnTheResult() {
        Plan plan = planner.plan("calculate 2 + 3 then multiply the result by 4, then subtract 1 from it");
        assertThat(plan.steps()).hasSize(3);
        assertStep(plan.steps().get(1), "calculator", "expression", "({{steps.1.output}}) * (4)");
        assertStep(plan.steps().get(2), "calculator", "expression", "({{steps.2.output}}) - (1)");
    }

    @Test
    void itRefersToTheTodoJustAdded() {
        Plan plan = planner.plan("add todo to ship the release and then mark it as done");
        assertThat(plan.steps()).hasSize(2);
        assertThat(plan.steps().get(1).toolInput().get("todo_id").asText()).isEqualTo("{{steps.1.output.todo.id}}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wait 2 seconds            | 2",
            "sleep for 500 ms          | 0.5",
            "pause 1 minute            | 60",
            "please wait 1.5 s         | 1.5",
    })
    void waits(String prompt, String seconds) {
        Plan plan = planner.plan(prompt);
        assertThat(plan.steps()).hasSize(1);
        assertThat(plan.steps().get(0).toolName()).isEqualTo("wait");
        assertThat(plan.steps().get(0).toolInput().get("seconds").decimalValue())
                .isEqualByComparingTo(seconds);
    }

    @Test
    void whatFollowsAWaitStartsAfterIt() {
        Plan plan = planner.plan("add todo to stretch, then wait 1 second, then list todos and calculate 2 + 2");
        assertThat(plan.steps()).extracting(PlanStep::toolName)
                .containsExactly("todo_store", "wait", "todo_store", "calculator");
        assertThat(plan.steps().get(1).dependsOn()).isNull();
        assertThat(plan.steps().get(2).dependsOn()).containsExactly(1, 2);
        assertThat(plan.steps().get(3).dependsOn()).isEmpty();
    }

    @Test
    void twoCalculationsAreIndependent() {
        Plan plan = planner.plan("calculate 2 + 2 and calculate 3 * 3");
        assertThat(plan.steps()).hasSize(2);
        assertThat(plan.steps()).allSatisfy(step -> assertThat(step.dependsOn()).isEmpty());
    }

    @Test
    void aMixedPromptKeepsEveryStep() {
        Plan plan = planner.plan("calculate 2 + 2 and then add todo to check the console");
        assertThat(plan.steps()).extracting(PlanStep::toolName).containsExactly("calculator", "todo_store");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sing me a song", "hello", "delete everything", "calculate the meaning of life",
            "run rm -rf /", "add the result as a todo", "mark it as done", "list todos and dance"})
    void promptsThatMapToNoToolAreRefusedWithWhatTheRuntimeCanDo(String prompt) {
        assertThatThrownBy(() -> planner.plan(prompt))
                .isInstanceOfSatisfying(PlanningException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PlanProblem.UNPLANNABLE);
                    assertThat(e.getMessage()).contains("I can calculate").contains("add a todo");
                });
    }

    @Test
    void theRefusalQuotesThePartNotUnderstood() {
        assertThatThrownBy(() -> planner.plan("list todos and dance"))
                .hasMessageStartingWith("I could not map \"list todos and dance\" to a tool");
    }

    @Test
    void theRefusalQuotesOnlyTheBeginningOfALongPart() {
        // A 4,000-character prompt came back whole in the refusal: at most 100 characters of it are quoted now.
        String sung = "sing " + "la ".repeat(1_400);
        assertThatThrownBy(() -> planner.plan(sung)).hasMessage("I could not map \"" + sung.substring(0, 99) + "…\" "
                + "to a tool. " + RulePlanner.CAPABILITIES + ".");
        // Not cut between the two halves of a character outside the BMP: the quote ends before it.
        String emoji = "sing " + "x".repeat(93) + "\uD83C\uDFB5" + "la ".repeat(100);
        assertThatThrownBy(() -> planner.plan(emoji)).hasMessageStartingWith("I could not map \""
                + emoji.substring(0, 98) + "…\" to a tool.");
    }

    @Test
    void wordsBecomeOperators() {
        assertThat(RulePlanner.arithmetic("10 divided by 4 plus 3 times 2 minus 1"))
                .contains("10 / 4 + 3 * 2 - 1");
        assertThat(RulePlanner.arithmetic("no digits here")).isEmpty();
    }

    private static void assertStep(PlanStep step, String tool, String field, String value) {
        assertThat(step.toolName()).isEqualTo(tool);
        assertThat(step.toolInput().get(field).asText()).isEqualTo(value);
        assertThat(step.reasoning()).isNotBlank();
    }


    /** Issue 13, item 10: every prompt the README shows must plan as written ("7 times 6" was refused). */
    @Test
    void everyPromptTheReadmeShowsPlans() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        int start = readme.indexOf("### Prompts the rule-based planner understands");
        String section = readme.substring(start, readme.indexOf("\n## ", start));
        java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("`([^`]+)`").matcher(section);
        java.util.List<String> prompts = new java.util.ArrayList<>();
        while (quoted.find()) {
            String prompt = quoted.group(1);
            // Separators are listed on their own (`and`, `;`); "…" stands for an earlier clause.
            if (!prompt.matches("and|then|and then|[,;].*") && !prompt.startsWith("…")) {
                prompts.add(prompt.replace("<id>", "todo-1234"));
            }
        }
        assertThat(prompts).hasSizeGreaterThanOrEqualTo(15).contains("7 times 6");
        for (String prompt : prompts) {
            assertThat(planner.plan(prompt).steps()).as(prompt).isNotEmpty();
        }
    }

    /** Issue 13, item 10: these planned wrongly (0x10 as 0 * 10; the todo object multiplied; a typed reference). */
    @Test
    void theResultOfArithmeticIsTheLastCalculationAndWhatLooksWrongIsRefused() {
        Plan plan = planner.plan("calculate 100 / 4 and add the result as a todo and then multiply the result by 3");
        assertThat(plan.steps()).extracting(PlanStep::toolName).containsExactly("calculator", "todo_store", "calculator");
        assertThat(plan.steps().get(2).toolInput().path("expression").asText())
                .isEqualTo("({{steps.1.output}}) * (3)");
        assertThat(plan.steps().get(2).dependsOn()).containsExactly(1);

        assertThatThrownBy(() -> planner.plan("calculate 0x10")).isInstanceOf(PlanningException.class);
        assertThat(planner.plan("calculate 3x4").steps().get(0).toolInput().path("expression").asText())
                .isEqualTo("3 * 4");
        assertThatThrownBy(() -> planner.plan("add todo to {{steps.1.output}}"))
                .isInstanceOf(PlanningException.class).hasMessageContaining("references between steps");
        assertThatThrownBy(() -> planner.plan("add todo to buy milk and then multiply the result by 3"))
                .hasMessageStartingWith("I could not map \"multiply the result by 3\"");
    }

    /** Issue 14: one explicit form that calls any tool, for scripts and users without a model. */
    @Test
    void callAnyToolByNameWithItsInputAsWritten() {
        Plan plan = planner.plan("call todo_store with {\"action\": \"add\", \"text\": \"milk, eggs and then bread\"}");
        assertThat(plan.steps()).hasSize(1);
        assertThat(plan.steps().get(0).toolName()).isEqualTo("todo_store");
        assertThat(plan.steps().get(0).toolInput().path("text").asText()).isEqualTo("milk, eggs and then bread");

        Plan chained = planner.plan("calculate 2 + 2 and then call todo_store with "
                + "{\"action\": \"add\", \"text\": \"{{steps.1.output}}\"}; list todos");
        assertThat(chained.steps()).extracting(PlanStep::toolName)
                .containsExactly("calculator", "todo_store", "todo_store");
        assertThat(chained.steps().get(1).toolInput().path("text").asText()).isEqualTo("{{steps.1.output}}");

        assertThat(planner.plan("call mcp__echo with {\"message\": \"hi\"}").steps().get(0).toolName())
                .as("the planner does not know the registry: the validator checks the tool").isEqualTo("mcp__echo");
        assertThatThrownBy(() -> planner.plan("call calculator with {\"expression\": }"))
                .isInstanceOf(PlanningException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> planner.plan("call calculator with {\"expression\": \"1\"} and add todo to {{x}}"))
                .isInstanceOf(PlanningException.class).hasMessageContaining("references between steps");
    }
}
