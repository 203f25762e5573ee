package dev.agentruntime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages' arrows point down only: api → execution → planning/security/approval → tools/observability/limits → store
 * → redis → run. A capability may use any capability of a lower layer, never one of its own layer or above. Inside the
 * store, the ports know no adapter (only the producer that picks one does), and the two backends know nothing of
 * each other; outside it, Redis adapters use the Redis toolkit (redis), never the run store's adapter (store.redis).
 * Read from the sources, so a fully qualified name in code counts like an import. The command line (cli) sits beside
 * api: it may use what api may use, and nothing uses it.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/dev/agentruntime");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.agentruntime\\.([a-z]+)(?:\\.([a-z]+))?");
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("api", 6), Map.entry("cli", 6),
            Map.entry("execution", 5),
            Map.entry("planning", 4), Map.entry("security", 4), Map.entry("approval", 4),
            Map.entry("tools", 3), Map.entry("observability", 3), Map.entry("limits", 3),
            Map.entry("store", 2),
            Map.entry("redis", 1),
            Map.entry("run", 0), Map.entry("config", 0));
    /** The one place in the store's own package that may name an adapter: it picks the backend. */
    private static final Set<String> STORE_WIRING = Set.of("StoreProducer.java");

    @Test
    void everyArrowPointsDown() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).as("sources scanned").hasSizeGreaterThan(80);
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            violations.addAll(violations(MAIN.relativize(source), Files.readString(source)));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theScanSeesAnUpwardArrow() {
        assertThat(violations(Path.of("store/Upward.java"), """
                package dev.agentruntime.store;
                import dev.agentruntime.execution.RunService;
                """)).containsExactly("store/Upward.java → execution");
        assertThat(violations(Path.of("tools/Sideways.java"),
                "package dev.agentruntime.tools;\nclass X { dev.agentruntime.observability.AuditLog log; }"))
                .containsExactly("tools/Sideways.java → observability");
        assertThat(violations(Path.of("store/RunStore.java"),
                "package dev.agentruntime.store;\nimport dev.agentruntime.store.redis.RedisSupport;"))
                .containsExactly("store/RunStore.java → store.redis");
        assertThat(violations(Path.of("store/memory/M.java"),
                "package dev.agentruntime.store.memory;\nimport dev.agentruntime.store.redis.RedisSupport;"))
                .containsExactly("store/memory/M.java → store.redis");
        assertThat(violations(Path.of("limits/RedisQuota.java"),
                "package dev.agentruntime.limits;\nimport dev.agentruntime.store.redis.RedisSupport;"))
                .as("the run store's adapter is not a toolkit").containsExactly("limits/RedisQuota.java → store.redis");
        assertThat(violations(Path.of("redis/Toolkit.java"),
                "package dev.agentruntime.redis;\nimport dev.agentruntime.store.StoreBackend;"))
                .as("the toolkit sits below the store").containsExactly("redis/Toolkit.java → store");
        assertThat(violations(Path.of("api/Beside.java"),
                "package dev.agentruntime.api;\nimport dev.agentruntime.cli.Cli;"))
                .as("nothing uses the command line").containsExactly("api/Beside.java → cli");
        assertThat(violations(Path.of("run/Comment.java"),
                "package dev.agentruntime.run;\n/** see {@link dev.agentruntime.api.ProblemMapper} */ class C {}"))
                .as("comments are not arrows").isEmpty();
    }

    private static List<String> violations(Path file, String source) {
        String from = file.getName(0).toString();
        String fromSub = file.getNameCount() > 2 ? file.getName(1).toString() : null;
        Integer fromLayer = LAYER.get(from);
        List<String> found = new ArrayList<>();
        if (fromLayer == null) {
            found.add(file + " is in no known capability package");
            return found;
        }
        Set<String> targets = new TreeSet<>();
        String code = withoutComments(source);
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            if (code.startsWith("package ", Math.max(0, m.start() - "package ".length()))) {
                continue;
            }
            targets.add("store".equals(m.group(1)) && m.group(2) != null ? "store." + m.group(2) : m.group(1));
        }
        for (String target : targets) {
            String to = target.contains(".") ? target.substring(0, target.indexOf('.')) : target;
            String toSub = target.contains(".") ? target.substring(target.indexOf('.') + 1) : null;
            Integer toLayer = LAYER.get(to);
            if (toLayer == null) {
                found.add(file + " → " + target + " (unknown package)");
            } else if (!to.equals(from) && toLayer >= fromLayer) {
                found.add(file + " → " + to);
            } else if (to.equals("store") && from.equals("store") && toSub != null && !toSub.equals(fromSub)
                    && !(fromSub == null && STORE_WIRING.contains(file.getFileName().toString()))) {
                found.add(file + " → " + target);
            } else if ("redis".equals(toSub) && !from.equals("store")) {
                // Other capabilities' Redis adapters use the toolkit (package redis), never the run store's adapter.
                found.add(file + " → " + target);
            }
        }
        return found;
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }
}
