package dev.agentruntime.tools.mcp;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A stdio server gets what a program needs to run and its own env, never the runtime's secrets. */
class ChildEnvironmentTest {

    @Test
    void onlyTheBasicsAndTheConfiguredEnvReachTheServer() {
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("PATH", "/usr/bin");
        runtime.put("HOME", "/home/agent");
        runtime.put("LANG", "C.UTF-8");
        runtime.put("LC_ALL", "C.UTF-8");
        runtime.put("TZ", "UTC");
        runtime.put("TMPDIR", "/tmp");
        runtime.put("Path", "C:\\Windows");
        runtime.put("AGENT_API_KEYS", "acme=secret-key-000000001");
        runtime.put("OPENAI_API_KEY", "sk-secret");
        runtime.put("HTTPS_PROXY", "http://user:password@proxy:3128");
        runtime.put("GITHUB_TOKEN", "ghp_secret");
        runtime.put("JAVA_TOOL_OPTIONS", "-Xmx256m");

        Map<String, String> child = ChildEnvironment.of(runtime, Map.of("MEMORY_FILE_PATH", "/data/m.jsonl",
                "GITHUB_TOKEN", "ghp_secret", "TZ", "Europe/Berlin"));

        assertThat(child).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "Path",
                "MEMORY_FILE_PATH", "GITHUB_TOKEN");
        assertThat(child).containsEntry("TZ", "Europe/Berlin").containsEntry("PATH", "/usr/bin");
        assertThat(child.values()).noneMatch(value -> value.contains("secret-key") || value.contains("sk-secret")
                || value.contains("password"));
    }
}
