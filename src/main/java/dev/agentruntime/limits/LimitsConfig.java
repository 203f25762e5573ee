package dev.agentruntime.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code agent.limits.*}: what one tenant may use. 0 means no limit. */
@ConfigMapping(prefix = "agent.limits")
public interface LimitsConfig {

    /** Runs a tenant may start per minute, counted across every instance. */
    @WithDefault("0")
    int runsPerMinute();

    /** LLM tokens (input + output) a tenant may spend per UTC day; then its runs are planned by rules. */
    @WithDefault("0")
    long dailyTokens();

    /** LLM cost in USD a tenant may spend per UTC day; then its runs are planned by rules. */
    @WithDefault("0")
    double dailyUsd();
}
