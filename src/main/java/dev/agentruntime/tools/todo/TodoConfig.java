package dev.agentruntime.tools.todo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code agent.todos.*}: how much one tenant may keep, and how much one list shows. */
@ConfigMapping(prefix = "agent.todos")
public interface TodoConfig {

    /** Todos one tenant may keep at once ({@code AGENT_TODOS_MAX_PER_TENANT}); adding one more fails the step. */
    @WithDefault("1000")
    int maxPerTenant();

    /** Todos a list shows when the step or the request names no {@code limit}. */
    @WithDefault("20")
    int defaultPageSize();
}
