package dev.agentruntime.planning;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import io.quarkiverse.langchain4j.RegisterAiService;

/**
 * The model behind the LLM planner. Stateless: no chat memory, so one user's prompt never leaks into another's
 * plan. The user's prompt is only ever the user message; the instructions and the tool catalog are the system
 * message. Blocking: call it off the event loop.
 */
@RegisterAiService(chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
public interface PlanningAssistant {

    @SystemMessage("{instructions}")
    Result<String> plan(@V("instructions") String instructions, @UserMessage String prompt);
}
