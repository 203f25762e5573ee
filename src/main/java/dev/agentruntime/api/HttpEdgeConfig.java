package dev.agentruntime.api;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** {@code agent.http.*}: which web pages, besides the runtime's own console, may call it from a browser. */
@ConfigMapping(prefix = "agent.http")
public interface HttpEdgeConfig {

    /**
     * {@code AGENT_HTTP_ALLOWED_ORIGINS}: origins ({@code https://app.example.com}, scheme, host and port only)
     * whose pages may call {@code /mcp} and send state-changing requests to {@code /api/v1}. Not set: {@code /mcp}
     * takes browser requests only from {@code localhost}, {@code 127.0.0.1} and {@code [::1]} pages, and the API only
     * from its own (same-origin) pages.
     */
    Optional<List<String>> allowedOrigins();
}
