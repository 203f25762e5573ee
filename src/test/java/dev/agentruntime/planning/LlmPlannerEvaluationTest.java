package dev.agentruntime.planning;

import dev.agentruntime.run.Planner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.testing.OpenAiMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM planner against the gold set, on model replies recorded from a real model
 * ({@code eval/llm-replies.jsonl}, written by {@link LlmReplyRecorderTest}). Each reply is served by the local
 * OpenAI-compatible mock and goes through the whole planner: parsing, validation against the registered tools, and
 * the rules fallback. A reply the validator rejects counts as a miss for the model. Skipped while no replies are
 * recorded: no model is reachable where this suite was written, and invented replies would measure nothing.
 */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
class LlmPlannerEvaluationTest {

    /** Provisional until the first recording: set them just under the measured accuracy, as for the rules. */
    static final double TOOL_SELECTION_FLOOR = 0.90;
    static final double STEP_COUNT_FLOOR = 0.90;

    record Reply(String prompt, String content, int promptTokens, int completionTokens, String model) {
    }

    /** {@code planned}: the model's tool sequence if its plan was accepted; {@code rejected}: why not. */
    record Outcome(GoldSet.Case gold, List<String> planned, String rejected) {
        boolean toolsRight() {
            return gold.tools().isEmpty() ? planned == null || planned.isEmpty() : gold.tools().equals(planned);
        }

        boolean stepsRight() {
            return planned != null ? planned.size() == gold.tools().size() : gold.tools().isEmpty();
        }
    }

    WireMockServer mock;

    @Inject
    PlanningService planning;

    @Test
    void recordedModelRepliesStayAboveTheFloors() throws IOException {
        Map<String, Reply> replies = recordedReplies();
        Assumptions.assumeFalse(replies.isEmpty(), "no recorded model replies in eval/llm-replies.jsonl; record them "
                + "with AGENT_EVAL_OPENAI_API_KEY=... ./mvnw test -Dtest=LlmReplyRecorderTest");
        List<Outcome> outcomes = new ArrayList<>();
        for (GoldSet.Case gold : GoldSet.load()) {
            Reply reply = replies.get(gold.prompt());
            if (reply != null) {
                outcomes.add(evaluate(gold, reply));
            }
        }
        assertThat(outcomes).as("gold prompts with a recorded reply").hasSizeGreaterThanOrEqualTo(80);

        double tools = GoldSet.rate(outcomes, Outcome::toolsRight);
        double steps = GoldSet.rate(outcomes, Outcome::stepsRight);
        StringBuilder report = new StringBuilder("## LLM planner evaluation (").append(outcomes.size())
                .append(" prompts, model ").append(replies.values().iterator().next().model())
                .append(")\n\n| measure | accuracy |\n|---|---|\n")
                .append(GoldSet.row("tool selection (exact sequence)", tools))
                .append(GoldSet.row("step count", steps))
                .append(GoldSet.row("replies accepted by the validator", GoldSet.rate(outcomes, o -> o.rejected() == null)))
                .append("\nMisses:\n");
        outcomes.stream().filter(o -> !o.toolsRight()).forEach(o -> report.append("- `").append(o.gold().prompt())
                .append("`: expected ").append(o.gold().tools()).append(", model ")
                .append(o.planned() != null ? o.planned() : "rejected (" + o.rejected() + ")").append('\n'));
        GoldSet.publish("llm-planner.md", report.toString());

        assertThat(tools).as("tool selection accuracy").isGreaterThanOrEqualTo(TOOL_SELECTION_FLOOR);
        assertThat(steps).as("step count accuracy").isGreaterThanOrEqualTo(STEP_COUNT_FLOOR);
    }

    private Outcome evaluate(GoldSet.Case gold, Reply reply) {
        mock.resetAll();
        mock.stubFor(chatCompletions().willReturn(answer(reply.content(), reply.promptTokens(), reply.completionTokens())));
        try {
            PlanningOutcome outcome = planning.plan(Run.DEFAULT_TENANT, gold.prompt()).await().indefinitely();
            if (outcome.planner() != Planner.LLM) {
                return new Outcome(gold, null, outcome.fallbackReason().wireName());
            }
            return new Outcome(gold, outcome.plan().steps().stream().map(PlanStep::toolName).toList(), null);
        } catch (PlanningException refused) {
            // The model's plan was rejected and the rules refused too.
            return new Outcome(gold, null, refused.reason().wireName());
        }
    }

    private static Map<String, Reply> recordedReplies() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Reply> replies = new ArrayList<>();
        try (InputStream in = LlmPlannerEvaluationTest.class.getResourceAsStream("/eval/llm-replies.jsonl")) {
            if (in == null) {
                return Map.of();
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode json = mapper.readTree(line);
                    replies.add(new Reply(json.get("prompt").asText(), json.get("content").asText(),
                            json.path("prompt_tokens").asInt(), json.path("completion_tokens").asInt(),
                            json.path("model").asText("unknown")));
                }
            }
        }
        return replies.stream().collect(Collectors.toMap(Reply::prompt, Function.identity(), (a, b) -> b));
    }
}
