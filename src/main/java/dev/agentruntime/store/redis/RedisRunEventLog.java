package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.store.RunEventLog;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Events in a Redis stream per run ({@code run:{id}:events}), expiring with the run. The entry id is the event id,
 * so {@code Last-Event-ID} resumes exactly. Followers poll with XRANGE rather than a blocking XREAD, so a
 * thousand open streams do not pin a thousand pooled connections; the price is up to {@code pollInterval} of delay.
 */
public final class RedisRunEventLog implements RunEventLog {

    private final RedisSupport redis;
    private final Duration ttl;
    private final Duration pollInterval;

    RedisRunEventLog(RedisSupport redis, Duration ttl, Duration pollInterval) {
        this.redis = redis;
        this.ttl = ttl;
        this.pollInterval = pollInterval;
    }

    private static final LuaScript APPEND = LuaScript.load("event_append");

    private static LuaScript.Invocation appendCall(String events, EventType type, String data, long ttlMs) {
        return APPEND.with(List.of(events), List.of(type.wireName(), data, Long.toString(ttlMs)));
    }

    @Override
    public Uni<String> append(UUID runId, EventType type, JsonNode data) {
        return redis.run(appendCall(key(runId), type, data.toString(), ttl.toMillis())).map(Object::toString);
    }

    @Override
    public Multi<RunEvent> stream(UUID runId, String afterId) {
        return Multi.createFrom().emitter(emitter -> poll(runId, afterId == null ? "-" : "(" + afterId, emitter));
    }

    private void poll(UUID runId, String from, MultiEmitter<? super RunEvent> emitter) {
        if (emitter.isCancelled()) {
            return;
        }
        redis.guard(redis.redis().stream(String.class).xrange(key(runId), StreamRange.of(from, "+"), 100))
                .subscribe().with(messages -> {
                    String next = from;
                    for (StreamMessage<String, String, String> message : messages) {
                        RunEvent event = toEvent(message);
                        emitter.emit(event);
                        if (event.isTerminal()) {
                            emitter.complete();
                            return;
                        }
                        next = "(" + message.id();
                    }
                    String cursor = next;
                    if (!messages.isEmpty()) {
                        poll(runId, cursor, emitter);
                        return;
                    }
                    Uni.createFrom().voidItem().onItem().delayIt().by(pollInterval)
                            .subscribe().with(ignored -> poll(runId, cursor, emitter), emitter::fail);
                }, emitter::fail);
    }

    private RunEvent toEvent(StreamMessage<String, String, String> message) {
        Map<String, String> fields = message.payload();
        return new RunEvent(message.id(), EventType.fromWire(fields.get("type")),
                redis.read(fields.get("data"), JsonNode.class));
    }

    private String key(UUID runId) {
        return redis.eventsKey(runId);
    }
}
