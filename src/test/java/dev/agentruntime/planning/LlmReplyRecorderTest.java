package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records a real model's replies to every gold prompt, with the exact instructions the service sends, into
 * {@code target/eval/llm-replies.jsonl}; copy that file to {@code src/test/resources/eval/} and
 * {@link LlmPlannerEvaluationTest} scores it in every build. Runs only when {@code AGENT_EVAL_OPENAI_API_KEY} is
 * set (and {@code AGENT_EVAL_OPENAI_BASE_URL} / {@code OPENAI_MODEL} for another endpoint or model), and only when
 * named: {@code ./mvnw test -Dtest=LlmReplyRecorderTest} (the pom leaves it out of the suite).
 */
@QuarkusTest
@TestProfile(LlmReplyRecorderTest.RealModel.class)
@EnabledIfEnvironmentVariable(named = "AGENT_EVAL_OPENAI_API_KEY", matches = ".+")
class LlmReplyRecorderTest {

    public static class RealModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.langchain4j.openai.api-key", "${AGENT_EVAL_OPENAI_API_KEY}",
                    "quarkus.langchain4j.openai.base-url", "${AGENT_EVAL_OPENAI_BASE_URL:https://api.openai.com/v1/}",
                    "quarkus.langchain4j.openai.timeout", "60s");
        }
    }

    @Inject
    PlanningModel model;
    @Inject
    PlanningPrompt prompt;
    @Inject
    ObjectMapper mapper;

    @Test
    void recordTheModelsRepliesToTheGoldSet() throws IOException {
        String modelName = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
        List<String> lines = new ArrayList<>();
        for (GoldSet.Case gold : GoldSet.load()) {
            String tenant = dev.agentruntime.run.Run.DEFAULT_TENANT;
            PlanningModel.Reply reply = model.ask(prompt.instructions(tenant), gold.prompt(), prompt.schema(tenant));
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("prompt", gold.prompt());
            line.put("content", reply.content());
            line.put("prompt_tokens", reply.tokenUsage() == null ? 0 : reply.tokenUsage().inputTokenCount());
            line.put("completion_tokens", reply.tokenUsage() == null ? 0 : reply.tokenUsage().outputTokenCount());
            line.put("model", modelName);
            line.put("response_format", reply.form().wireName());
            line.put("recorded_at", Instant.now().toString());
            lines.add(mapper.writeValueAsString(line));
        }
        Path file = Path.of("target", "eval", "llm-replies.jsonl");
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        assertThat(lines).hasSize(GoldSet.load().size());
    }
}
