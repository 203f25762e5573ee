package dev.agentruntime.tools.mcp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment a stdio MCP server is started with: what a program needs to run (where to find programs, its home,
 * language and time zone, where temporary files go) and the server's own {@code env} from {@code mcp.json}. Nothing
 * else of the runtime's environment: it holds every tenant's API keys ({@code AGENT_API_KEYS}), the model's key and
 * whatever the operator exported, and a server's tool may show its environment to whoever calls it. A secret a
 * server needs is handed to it by name, {@code "env": {"TOKEN": "${TOKEN}"}}.
 */
final class ChildEnvironment {

    /**
     * Inherited by name (compared in upper case, as Windows names are case-insensitive), with every {@code LC_*}
     * locale variable. Proxy variables are not among them: their URLs may carry credentials.
     */
    static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ",
            "TMPDIR", "TMP", "TEMP", "SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT");
    private static final String LOCALE_PREFIX = "LC_";

    private ChildEnvironment() {
    }

    /** The inherited variables of {@code runtime}, then {@code configured} (which wins). */
    static Map<String, String> of(Map<String, String> runtime, Map<String, String> configured) {
        Map<String, String> child = new LinkedHashMap<>();
        runtime.forEach((name, value) -> {
            String upper = name.toUpperCase(Locale.ROOT);
            if (INHERITED.contains(upper) || upper.startsWith(LOCALE_PREFIX)) {
                child.put(name, value);
            }
        });
        child.putAll(configured);
        return child;
    }
}
