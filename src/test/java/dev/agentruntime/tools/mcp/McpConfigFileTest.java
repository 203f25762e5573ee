package dev.agentruntime.tools.mcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mcp.json as users write it for other MCP clients, this runtime's settings, and one clear error per mistake. */
class McpConfigFileTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("GITHUB_TOKEN", "ghp_secret", "REGION", "eu");
    private final McpConfigFile file = new McpConfigFile(ENVIRONMENT::get);

    @Test
    void readsStdioAndRemoteServersInTheSharedShapeWithTheRuntimesSettings() {
        List<McpServerSpec> servers = file.parse("""
                {"mcpServers": {
                  "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"],
                             "env": {"MEMORY_FILE_PATH": "/data/${REGION}/memory.jsonl"},
                             "tenants": ["acme"], "denyTools": ["delete_entities"]},
                  "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",
                             "headers": {"Authorization": "Bearer ${GITHUB_TOKEN}"},
                             "timeoutMs": 15000, "idempotentTools": ["get_issue"], "allowTools": ["get_issue"]},
                  "old": {"command": "legacy-server", "disabled": true}
                }, "otherClientSetting": true}
                """, "mcp.json");

        assertThat(servers).extracting(McpServerSpec::name).containsExactly("memory", "github", "old");
        McpServerSpec memory = servers.get(0);
        assertThat(memory.transport()).isEqualTo(McpTransportKind.STDIO);
        assertThat(memory.command()).containsExactly("npx", "-y", "@modelcontextprotocol/server-memory");
        assertThat(memory.env()).containsEntry("MEMORY_FILE_PATH", "/data/eu/memory.jsonl");
        assertThat(memory.allows("acme")).isTrue();
        assertThat(memory.allows("globex")).isFalse();
        assertThat(memory.offers("read_graph")).isTrue();
        assertThat(memory.offers("delete_entities")).isFalse();
        assertThat(memory.idempotent("read_graph")).isFalse();
        assertThat(memory.timeout()).isEmpty();

        McpServerSpec github = servers.get(1);
        assertThat(github.transport()).isEqualTo(McpTransportKind.HTTP);
        assertThat(github.url()).isEqualTo(URI.create("https://api.githubcopilot.com/mcp/"));
        assertThat(github.headers()).containsEntry("Authorization", "Bearer ghp_secret");
        assertThat(github.timeout()).isEqualTo(Optional.of(Duration.ofSeconds(15)));
        assertThat(github.idempotent("get_issue")).isTrue();
        assertThat(github.offers("create_issue")).isFalse();
        assertThat(github.allows("anyone")).isTrue();
        assertThat(github.toolName("get_issue")).isEqualTo("github__get_issue");

        assertThat(servers.get(2).disabled()).isTrue();
    }

    @Test
    void everyToolIsIdempotentWithAStar() {
        McpServerSpec spec = file.parse("{\"mcpServers\": {\"s\": {\"command\": \"x\", \"idempotentTools\": [\"*\"]}}}",
                "f").get(0);
        assertThat(spec.idempotent("anything")).isTrue();
        assertThat(spec.idempotentTools()).isEqualTo(Set.of("*"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"mcpServers\": {|f: not valid JSON",
            "[]|f: must be a JSON object with \"mcpServers\"",
            "{\"servers\": {}}|f: \"mcpServers\" must be an object of servers by name",
            "{\"mcpServers\": {\"a__b\": {\"command\": \"x\"}}}|f: mcpServers.a__b: a server name is 1 to 32 letters",
            "{\"mcpServers\": {\"s\": {}}}|f: mcpServers.s: needs \"command\" (a local server) or \"url\"",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"url\": \"http://h/mcp\"}}}|f: mcpServers.s: has both",
            "{\"mcpServers\": {\"s\": {\"command\": \"  \"}}}|f: mcpServers.s.command: must be a non-empty string",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"args\": [1]}}}|f: mcpServers.s.args.0: must be a string",
            "{\"mcpServers\": {\"s\": {\"url\": \"ftp://h/mcp\"}}}|f: mcpServers.s.url: must be an http:// or https://",
            "{\"mcpServers\": {\"s\": {\"type\": \"sse\", \"url\": \"http://h/sse\"}}}|the legacy HTTP+SSE transport is not supported",
            "{\"mcpServers\": {\"s\": {\"url\": \"http://h/mcp\", \"headers\": {\"X\": \"${NOPE}\"}}}}|mcpServers.s.headers.X: refers to ${NOPE}, which is not set",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"env\": {\"K\": \"${bad-name}\"}}}}|mcpServers.s.env.K: '${bad-name}' is not an environment variable reference",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"timeoutMs\": 0}}}|mcpServers.s.timeoutMs: must be a whole number of milliseconds",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"timeoutMs\": \"5s\"}}}|mcpServers.s.timeoutMs: must be a whole number",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"tenants\": []}}}|mcpServers.s.tenants: an empty list would let no tenant",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"allowTools\": [\"a\"], \"denyTools\": [\"a\"]}}}|mcpServers.s: tools both allowed and denied: a",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"idempotentTool\": [\"a\"]}}}|mcpServers.s.idempotentTool: unknown key",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"headers\": {}}}}|mcpServers.s: a stdio server has \"command\", not \"url\" or \"headers\"",
            "{\"mcpServers\": {\"s\": {\"url\": \"http://h/mcp\", \"env\": {}}}}|mcpServers.s: a remote server has \"url\"",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\", \"disabled\": \"yes\"}}}|mcpServers.s.disabled: must be true or false",
            "{\"mcpServers\": {\"s\": {\"command\": \"x\"}, \"s\": {\"command\": \"y\"}}}|f: not valid JSON: Duplicate field 's'",
    })
    void aMistakeIsOneLineNamingTheFileAndTheField(String text, String expected) {
        assertThatThrownBy(() -> file.parse(text, "f")).isInstanceOf(McpConfigException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aHeaderValueFromTheEnvironmentCannotSmuggleALineBreak() {
        McpConfigFile withNewline = new McpConfigFile(Map.of("T", "a\r\nX-Injected: 1")::get);
        assertThatThrownBy(() -> withNewline.parse("{\"mcpServers\": {\"s\": {\"url\": \"http://h/mcp\", "
                + "\"headers\": {\"Authorization\": \"${T}\"}}}}", "f"))
                .hasMessageContaining("mcpServers.s.headers.Authorization: a header value cannot hold a line break");
    }
}
