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

    /**
     * Event streams ({@code GET …/events}) this instance serves at once ({@code AGENT_API_MAX_EVENT_STREAMS}); one
     * more is refused with 503 and Retry-After before it starts.
     */
    @WithDefault("1000")
    int maxEventStreams();
}
