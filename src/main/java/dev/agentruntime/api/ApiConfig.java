package dev.agentruntime.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code agent.api.*}: bounds of what one answer may carry. */
@ConfigMapping(prefix = "agent.api")
public interface ApiConfig {

    /**
     * Bytes one page of the run listing may take ({@code AGENT_API_MAX_LIST_BYTES}): a page holds fewer runs than
     * {@code limit} rather than grow past it, and a {@code Link: rel="next"} header says where to go on.
     */
    @WithDefault("1048576")
    int maxListBytes();
}
