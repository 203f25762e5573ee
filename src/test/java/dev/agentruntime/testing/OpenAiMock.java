package dev.agentruntime.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A local OpenAI-compatible endpoint (WireMock) with the LLM planner pointed at it. Tests script its answers:
 * a plan, an error status, a slow reply, malformed content. No real key is ever used.
 */
public class OpenAiMock implements QuarkusTestResourceLifecycleManager {

    /**
     * The planner's per-call timeout in these tests; a reply slower than this must fall back. Not lower: on a loaded
     * 2-core machine the first model call of a fresh app took over 3 s (client set-up and a cold JIT), timed out,
     * was retried, and four "the model is called once" tests failed.
     */
    public static final int TIMEOUT_MS = 10_000;

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of(
                "agent.planner.mode", "llm",
                "agent.planner.timeout-ms", Integer.toString(TIMEOUT_MS),
                "quarkus.langchain4j.openai.base-url", server.baseUrl() + "/v1/",
                "quarkus.langchain4j.openai.api-key", "test-key-not-real");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.MatchesType(WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static MappingBuilder chatCompletions() {
        return post(urlPathMatching(".*/chat/completions"));
    }

    /** A standard {@code chat.completion} whose message content is {@code content}. */
    public static ResponseDefinitionBuilder answer(String content, int promptTokens, int completionTokens) {
        String body = """
                {"id": "chatcmpl-test", "object": "chat.completion", "created": 1767225600, "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": %s}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d}}
                """.formatted(TestJson.quote(content), promptTokens, completionTokens, promptTokens + completionTokens);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
