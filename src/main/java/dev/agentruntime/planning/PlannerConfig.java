package dev.agentruntime.planning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code agent.planner.*}: how prompts become plans. */
@ConfigMapping(prefix = "agent.planner")
public interface PlannerConfig {

    /** The longest plan the runtime accepts from any planner. */
    @WithDefault("10")
    int maxSteps();
}
