package dev.agentruntime.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An {@code mcp.json} with three real stdio servers from npm, and the app pointed at it:
 * <ul>
 *   <li>{@code everything}: server-everything, its quick tools and its long operation idempotent, 5 s per call,
 *       and an environment padded so that {@code get-env} answers more than the output cap;</li>
 *   <li>{@code strict}: server-everything again, nothing idempotent, 2 s per call;</li>
 *   <li>{@code memory}: server-memory (a tool with side effects: a knowledge graph in a file), for tenant
 *       {@code acme} only, a few tools allowed.</li>
 * </ul>
 * API keys are on (tenants acme and globex); MCP wire traffic and the audit go to {@link #LOG}.
 */
public class McpServersResource implements QuarkusTestResourceLifecycleManager {

    public static final Path LOG = Path.of("target", "mcp-tools.log");
    public static final String ACME_KEY = "acme-key-mcp-0123456789";
    public static final String GLOBEX_KEY = "globex-key-mcp-0123456789";
    public static final int OUTPUT_CAP = 2048;

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("mcp-test");
            String everything = McpPeers.bin("mcp-server-everything").toString();
            String memory = McpPeers.bin("mcp-server-memory").toString();
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, """
                    {"mcpServers": {
                      "everything": {"command": %s, "args": ["stdio"], "env": {"PADDING": %s},
                                     "timeoutMs": 5000,
                                     "idempotentTools": ["echo", "get-sum", "get-env", "get-structured-content",
                                                         "trigger-long-running-operation"]},
                      "strict": {"type": "stdio", "command": %s, "timeoutMs": 2000,
                                 "allowTools": ["echo", "trigger-long-running-operation", "get-roots-list"]},
                      "memory": {"command": %s, "env": {"MEMORY_FILE_PATH": %s}, "tenants": ["acme"],
                                 "allowTools": ["create_entities", "add_observations", "read_graph", "search_nodes"]}
                    }}
                    """.formatted(TestJson.quote(everything), TestJson.quote("x".repeat(OUTPUT_CAP)),
                    TestJson.quote(everything), TestJson.quote(memory),
                    TestJson.quote(dir.resolve("memory.jsonl").toString())));
            Files.deleteIfExists(LOG);
            Map<String, String> properties = new HashMap<>();
            properties.put("agent.mcp.config", config.toString());
            properties.put("agent.mcp.reconnect-min-delay", "200ms");
            properties.put("agent.mcp.reconnect-max-delay", "2s");
            properties.put("agent.execution.max-output-bytes", Integer.toString(OUTPUT_CAP));
            properties.put("agent.execution.max-retries", "5");
            properties.put("agent.auth.mode", "api-key");
            properties.put("agent.auth.api-keys", "acme=" + ACME_KEY + ",globex=" + GLOBEX_KEY);
            properties.put("quarkus.log.file.enabled", "true");
            properties.put("quarkus.log.file.path", LOG.toString());
            properties.put("quarkus.log.category.\"dev.agentruntime.tools.mcp.traffic\".level", "DEBUG");
            properties.put("quarkus.log.console.level", "INFO");
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
