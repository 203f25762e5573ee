package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.observability.AgentMetrics;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model behind the LLM planner, through quarkus-langchain4j's OpenAI chat model. Stateless: the instructions
 * (tool catalog included) are the system message, the user's prompt only ever the user message. The answer is
 * asked for in the plan's shape: {@code response_format} carries the plan's JSON Schema ({@link PlanSchema}), or
 * asks for a JSON object, or nothing, as {@code agent.planner.structured-output} says. In {@code auto}, an endpoint
 * that refuses the form with a 400 naming {@code response_format} is asked again at once with the next weaker one,
 * and that is remembered for the endpoint and model, so the extra call is paid once per restart. Blocking: call it
 * off the event loop.
 */
@ApplicationScoped
public class PlanningModel {

    private static final Logger LOG = Logger.getLogger(PlanningModel.class);

    /** What came back, and in which form it was asked. */
    public record Reply(String content, TokenUsage tokenUsage, ResponseForm form) {
    }

    private final ChatModel model;
    private final PlannerConfig config;
    private final ObjectMapper mapper;
    private final AgentMetrics metrics;
    private final String endpoint;
    private final Map<String, ResponseForm> working = new ConcurrentHashMap<>();

    public PlanningModel(ChatModel model, PlannerConfig config, ObjectMapper mapper, AgentMetrics metrics,
                         @ConfigProperty(name = "quarkus.langchain4j.openai.base-url") String baseUrl,
                         @ConfigProperty(name = "quarkus.langchain4j.openai.chat-model.model-name") String modelName) {
        this.model = model;
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
        this.endpoint = baseUrl + " " + modelName;
    }

    /** The endpoint and model, as one string: what the plan cache and the form memory are keyed by. */
    public String endpoint() {
        return endpoint;
    }

    public Reply ask(String instructions, String prompt, PlanSchema.Built schema) {
        ResponseForm form = firstForm();
        if (form == ResponseForm.JSON_SCHEMA && !schema.strict()) {
            LOG.debugf("the plan schema goes non-strict: %s", String.join("; ", schema.notStrict()));
        }
        while (true) {
            try {
                ChatResponse response = model.chat(request(instructions, prompt, schema, form));
                return new Reply(response.aiMessage().text(), response.tokenUsage(), form);
            } catch (RuntimeException e) {
                if (config.structuredOutput() != PlannerConfig.StructuredOutput.AUTO || form == ResponseForm.NONE
                        || !refusesResponseFormat(e)) {
                    throw e;
                }
                ResponseForm weaker = form.weaker();
                LOG.infof("the model endpoint %s refused response_format %s; asking with %s from now on", endpoint,
                        form.wireName(), weaker.wireName());
                working.put(endpoint, weaker);
                metrics.responseFormatRefused(form.wireName(), weaker.wireName());
                form = weaker;
            }
        }
    }

    /** The form the next request uses. */
    public ResponseForm firstForm() {
        return switch (config.structuredOutput()) {
            case AUTO -> working.getOrDefault(endpoint, ResponseForm.JSON_SCHEMA);
            case JSON_SCHEMA -> ResponseForm.JSON_SCHEMA;
            case JSON_OBJECT -> ResponseForm.JSON_OBJECT;
            case OFF -> ResponseForm.NONE;
        };
    }

    private ChatRequest request(String instructions, String prompt, PlanSchema.Built schema, ResponseForm form) {
        ChatRequest.Builder request = ChatRequest.builder()
                .messages(SystemMessage.from(instructions), UserMessage.from(prompt));
        if (form != ResponseForm.NONE) {
            // Sent as written, so strict is per request (the schema may not allow it) and the schema is not
            // rewritten by langchain4j's own JSON Schema model.
            request.parameters(OpenAiChatRequestParameters.builder()
                    .customParameters(Map.of("response_format", responseFormat(schema, form))).build());
        }
        return request.build();
    }

    private Map<String, Object> responseFormat(PlanSchema.Built schema, ResponseForm form) {
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("type", form.wireName());
        if (form == ResponseForm.JSON_SCHEMA) {
            Map<String, Object> jsonSchema = new LinkedHashMap<>();
            jsonSchema.put("name", "plan");
            jsonSchema.put("strict", schema.strict());
            jsonSchema.put("schema", mapper.convertValue(schema.schema(), Map.class));
            format.put("json_schema", jsonSchema);
        }
        return format;
    }

    /**
     * A 400 whose text names {@code response_format} (OpenAI: "Invalid parameter: 'response_format' of type
     * 'json_schema' is not supported with this model"; others say much the same): the form, not the request, is
     * the problem.
     */
    static boolean refusesResponseFormat(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (ModelFailures.statusOf(t) == 400 && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("response_format")) {
                return true;
            }
        }
        return false;
    }
}
