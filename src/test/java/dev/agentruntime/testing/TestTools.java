package dev.agentruntime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.run.TransientToolException;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolSpec;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tools that misbehave on purpose, registered only in tests. Each call is recorded (nanoTime) under the input's
 * {@code key}, so a test sees exactly how often and when the executor tried.
 */
public final class TestTools {

    private TestTools() {
    }

    private static final String KEYED = """
            {"type": "object", "properties": {"key": {"type": "string"}, "failures": {"type": "integer"},
             "millis": {"type": "integer"}}, "required": ["key"], "additionalProperties": false}
            """;

    /**
     * A tool that is not a bean (registered by hand, or given to code that takes tools): its spec, and an answer
     * that echoes its input.
     */
    public static Tool echoing(ToolSpec spec) {
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
                return Uni.createFrom().item(input);
            }
        };
    }

    /** Calls seen by every test tool, by key. */
    @Singleton
    public static class Calls {
        private final Map<String, List<Long>> calls = new ConcurrentHashMap<>();

        public int record(String key) {
            List<Long> times = calls.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
            times.add(System.nanoTime());
            return times.size();
        }

        public List<Long> of(String key) {
            return calls.getOrDefault(key, List.of());
        }
    }

    abstract static class KeyedTool implements Tool {
        final Calls calls;
        private final ToolSpec spec;

        KeyedTool(String name, Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper)
                throws java.io.IOException {
            this.calls = calls;
            this.spec = new ToolSpec(name, "test tool", mapper.readTree(KEYED));
        }

        @Override
        public ToolSpec spec() {
            return spec;
        }
    }

    /** Fails transiently {@code failures} times, then answers "ok". */
    @Singleton
    public static class Flaky extends KeyedTool {
        @jakarta.inject.Inject
        public Flaky(Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper) throws java.io.IOException {
            this("test_flaky", calls, mapper);
        }

        Flaky(String name, Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper)
                throws java.io.IOException {
            super(name, calls, mapper);
        }

        @Override
        public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
            int call = calls.record(input.get("key").asText());
            if (call <= input.path("failures").asInt()) {
                return Uni.createFrom().failure(new TransientToolException("flaky failure " + call));
            }
            return Uni.createFrom().item(TextNode.valueOf("ok after " + call));
        }
    }

    /** {@link Flaky}, and {@link Tool#quick}: its step's start waits for the write after it (ADR 0037). */
    @Singleton
    public static class QuickFlaky extends Flaky {
        public QuickFlaky(Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper) throws java.io.IOException {
            super("test_quick_flaky", calls, mapper);
        }

        @Override
        public boolean quick() {
            return true;
        }
    }

    /** Answers after {@code millis}, without blocking a thread. */
    @Singleton
    public static class Slow extends KeyedTool {
        public Slow(Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper) throws java.io.IOException {
            super("test_slow", calls, mapper);
        }

        @Override
        public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
            calls.record(input.get("key").asText());
            return Uni.createFrom().item((JsonNode) TextNode.valueOf("slept"))
                    .onItem().delayIt().by(Duration.ofMillis(input.path("millis").asLong()));
        }
    }

    /** Always fails with an error that another attempt cannot fix. */
    @Singleton
    public static class Broken extends KeyedTool {
        public Broken(Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper) throws java.io.IOException {
            super("test_broken", calls, mapper);
        }

        @Override
        public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
            calls.record(input.get("key").asText());
            return Uni.createFrom().failure(new ToolException("broken on purpose"));
        }
    }

    /** Has an effect each call makes anew (not idempotent): the executor must call it at most once per step. */
    @Singleton
    public static class Once extends KeyedTool {
        public Once(Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper) throws java.io.IOException {
            super("test_once", calls, mapper);
        }

        @Override
        public boolean idempotent() {
            return false;
        }

        @Override
        public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
            return Uni.createFrom().item(TextNode.valueOf("effect " + calls.record(input.get("key").asText())));
        }
    }

    /** Does nothing and answers its input: what is left of a step is the executor's own cost (benchmarks). */
    @Singleton
    public static class Noop extends KeyedTool {
        public Noop(Calls calls, com.fasterxml.jackson.databind.ObjectMapper mapper) throws java.io.IOException {
            super("test_noop", calls, mapper);
        }

        @Override
        public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
            return Uni.createFrom().item(input);
        }
    }
}
