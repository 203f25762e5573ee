package dev.agentruntime.security;

import dev.agentruntime.testing.AppProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, item 5: with authentication misconfigured the service used to start, report ready, and answer every
 * authenticated request with a 500. Now the packaged application refuses to start, naming the variable and the rule,
 * and never echoes a key.
 */
class FailFastConfigurationIT {

    record Case(String name, Map<String, String> environment, String line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> misconfigurations() {
        return Stream.of(
                new Case("api-key without keys", Map.of("AGENT_AUTH", "api-key"),
                        "AGENT_API_KEYS: AGENT_AUTH=api-key needs at least one tenant=key entry"),
                // SmallRye reads "," as an empty list or as one empty entry; either way it is refused by name.
                new Case("an empty key list", Map.of("AGENT_AUTH", "api-key", "AGENT_API_KEYS", ","),
                        "AGENT_API_KEYS: "),
                new Case("a short key", Map.of("AGENT_AUTH", "api-key", "AGENT_API_KEYS", "acme=tooShort-99"),
                        "AGENT_API_KEYS: the key of tenant 'acme' has fewer than 16 characters"),
                new Case("one key for two tenants", Map.of("AGENT_AUTH", "api-key",
                        "AGENT_API_KEYS", "acme=shared-key-0123456789,globex=shared-key-0123456789"),
                        "AGENT_API_KEYS: tenants 'acme' and 'globex' have the same key"),
                // A new user's walk: keys with authentication left off served the API to everyone.
                new Case("api keys with authentication off", Map.of("AGENT_API_KEYS", "acme=acme-key-0123456789"),
                        "AGENT_API_KEYS: set, but AGENT_AUTH=off does not check keys, so the API would be open to "
                                + "everyone"),
                new Case("jwt without a public key", Map.of("AGENT_AUTH", "jwt"),
                        "AGENT_JWT_PUBLIC_KEY: AGENT_AUTH=jwt needs the issuer's public key"),
                // Issue 25: these started, and every valid token got a 401 with nothing logged.
                new Case("a jwt public key that is not a key", Map.of("AGENT_AUTH", "jwt",
                        "AGENT_JWT_PUBLIC_KEY", "not-a-key"), "AGENT_JWT_PUBLIC_KEY: not an RSA public key"),
                new Case("a jwt public key file that is not there", Map.of("AGENT_AUTH", "jwt",
                        "AGENT_JWT_PUBLIC_KEY_LOCATION", "/nonexistent/key.pem"),
                        "AGENT_JWT_PUBLIC_KEY_LOCATION (/nonexistent/key.pem): cannot be read"),
                new Case("an allowed origin that is a wildcard", Map.of("AGENT_HTTP_ALLOWED_ORIGINS", "*"),
                        "AGENT_HTTP_ALLOWED_ORIGINS: '*' is not an origin"),
                new Case("an allowed origin not written as browsers send it",
                        Map.of("AGENT_HTTP_ALLOWED_ORIGINS", "https://app.example.com, HTTPS://Tools.example.com:443"),
                        "AGENT_HTTP_ALLOWED_ORIGINS: 'HTTPS://Tools.example.com:443' is not written as browsers send "
                                + "it: give https://tools.example.com"),
                new Case("MCP sessions that never idle out", Map.of("AGENT_MCP_SERVER_SESSION_IDLE_TIMEOUT", "0s"),
                        "AGENT_MCP_SERVER_SESSION_IDLE_TIMEOUT must be at least 1s"),
                new Case("a zero events retention", Map.of("AGENT_STORE_EVENTS_RETENTION", "0s"),
                        "AGENT_STORE_EVENTS_RETENTION must be positive"),
                new Case("a memory headroom above half", Map.of("AGENT_STORE_REDIS_MEMORY_HEADROOM_PERCENT", "80"),
                        "AGENT_STORE_REDIS_MEMORY_HEADROOM_PERCENT must be between 0 and 50, not 80"),
                new Case("an mcp.json that is not there", Map.of("AGENT_MCP_CONFIG", "/nonexistent/mcp.json"),
                        "AGENT_MCP_CONFIG (/nonexistent/mcp.json): no such file"),
                new Case("an mcp.json that is not JSON", mcpConfig("broken", "{\"mcpServers\": {"),
                        "mcp-broken.json): not valid JSON"),
                new Case("an mcp.json header from an unset variable", mcpConfig("unset", """
                        {"mcpServers": {"api": {"url": "https://mcp.example.com/mcp",
                          "headers": {"Authorization": "Bearer ${MCP_TOKEN_NOBODY_SET}"}}}}"""),
                        "mcpServers.api.headers.Authorization: refers to ${MCP_TOKEN_NOBODY_SET}, which is not set "
                                + "in the environment"),
                new Case("an mcp.json with a misspelt setting", mcpConfig("typo", """
                        {"mcpServers": {"files": {"command": "mcp-files", "idempotentTool": ["read"]}}}"""),
                        "mcpServers.files.idempotentTool: unknown key"));
    }

    /** An mcp.json with {@code text}, and the environment that points the application at it. */
    private static Map<String, String> mcpConfig(String name, String text) {
        try {
            Path file = Path.of("target", "mcp-" + name + ".json").toAbsolutePath();
            Files.writeString(file, text);
            return Map.of("AGENT_MCP_CONFIG", file.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misconfigurations")
    void theServiceRefusesToStartWithOneClearLine(Case misconfiguration) throws Exception {
        String log = AppProcess.refusesToStart("it-failfast", misconfiguration.environment(), Duration.ofSeconds(60));

        assertThat(log).contains(misconfiguration.line()).doesNotContain("shared-key-0123456789")
                .doesNotContain("tooShort-99").doesNotContain("acme-key-0123456789");
    }
}
