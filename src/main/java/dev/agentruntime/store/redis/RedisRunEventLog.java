package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.store.CompactHistory;
import dev.agentruntime.store.EventFollower;
import dev.agentruntime.store.RunEventLog;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Events in a Redis stream per run ({@code run:{id}:events}), expiring with the run, or the retention after its
 * end; each entry holds the compact payload (no run id, no null field). The entry id is the event id,
 * so {@code Last-Event-ID} resumes exactly. All followers of one run on this instance share one reader (a
 * {@link Tail}), which polls with XRANGE rather than a blocking XREAD: a thousand open streams cost one poll per
 * interval, not a thousand pooled connections. A follower ends only after the terminal event; while Redis cannot be
 * read the reader retries, and its followers wait.
 */
public final class RedisRunEventLog implements RunEventLog {

    private static final Logger LOG = Logger.getLogger(RedisRunEventLog.class);
    private static final LuaScript APPEND = LuaScript.load("event_append");
    private static final LuaScript HISTORY = LuaScript.load("events_history");
    private static final Pattern STREAM_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

    private final RedisSupport redis;
    private final Duration ttl;
    private final Duration pollInterval;
    private final Map<UUID, Tail> tails = new ConcurrentHashMap<>();
    private final CompactHistory compact;

    RedisRunEventLog(RedisSupport redis, Duration ttl, Duration pollInterval) {
        this.redis = redis;
        this.ttl = ttl;
        this.pollInterval = pollInterval;
        this.compact = new CompactHistory(redis.payloads());
    }

    private static LuaScript.Invocation appendCall(String events, EventType type, String data, long ttlMs) {
        return APPEND.with(List.of(events), List.of(type.wireName(), data, Long.toString(ttlMs)));
    }

    /**
     * Nearly every append (a step starting or retrying) goes to a stream that the run's start created with its
     * expiry: one {@code XADD NOMKSTREAM}, which never creates a stream that would not expire. Only an append to a
     * run that has no events yet takes the script, which sets the expiry with the first entry.
     */
    @Override
    public Uni<String> append(UUID runId, EventType type, JsonNode data) {
        String key = key(runId);
        String payload = redis.writeEvent(data);
        Map<String, String> fields = new LinkedHashMap<>(4);
        // In the order the scripts write them: entries with the fields of the stream's first entry are stored
        // without their names.
        fields.put("type", type.wireName());
        fields.put("data", payload);
        return redis.guard(redis.redis().stream(String.class).xadd(key, new XAddArgs().nomkstream(), fields))
                .flatMap(id -> id != null ? Uni.createFrom().item(id)
                        : redis.run(appendCall(key, type, payload, ttl.toMillis())).map(Object::toString));
    }

    @Override
    public boolean isValidId(String id) {
        return STREAM_ID.matcher(id).matches();
    }

    @Override
    public Multi<RunEvent> stream(UUID runId, String afterId) {
        return Multi.createFrom().emitter(emitter -> {
            while (true) {
                Tail tail = tails.computeIfAbsent(runId, Tail::new);
                if (tail.follow(emitter, afterId)) {
                    return;
                }
                // That tail just ended and left the map: take a fresh one.
                tails.remove(runId, tail);
            }
        });
    }

    @Override
    public Multi<RunEvent> replay(UUID runId, String afterId) {
        return redis.guard(redis.redis().stream(String.class)
                        .xrange(key(runId), StreamRange.of(afterId == null ? "-" : "(" + afterId, "+")))
                .onItem().transformToMulti(messages -> Multi.createFrom().iterable(messages))
                .map(message -> toEvent(runId, message));
    }

    @Override
    public Multi<RunEvent> history(Run run, String afterId) {
        UUID runId = run.runId();
        return redis.run(HISTORY.with(List.of(key(runId)), List.of(afterId == null ? "-" : "(" + afterId)))
                .onItem().transformToMulti(reply -> {
                    if (reply == null) {
                        // Named like stream entries, by the times the run recorded: a Last-Event-ID of the dropped
                        // events still places a reader, by time (see ADR 0021).
                        return Multi.createFrom().iterable(compact.of(run, (at, position, sameMilli) ->
                                at.toEpochMilli() + "-" + sameMilli)).select().where(event -> afterId == null
                                || compareIds(event.id(), afterId) > 0);
                    }
                    List<RunEvent> events = new ArrayList<>(reply.size());
                    for (Response entry : reply) {
                        Response fields = entry.get(1);
                        String type = null;
                        String data = null;
                        for (int i = 0; i + 1 < fields.size(); i += 2) {
                            switch (fields.get(i).toString()) {
                                case "type" -> type = fields.get(i + 1).toString();
                                case "data" -> data = fields.get(i + 1).toString();
                                default -> { }
                            }
                        }
                        events.add(toEvent(runId, entry.get(0).toString(), type, data));
                    }
                    return Multi.createFrom().iterable(events);
                });
    }

    /** The one reader of a run's events on this instance, and the events it has read, for followers that join. */
    private final class Tail {
        private final UUID runId;
        private final List<RunEvent> seen = new ArrayList<>();
        private final List<EventFollower> followers = new ArrayList<>();
        private String cursor = "-";
        private boolean ended;
        private boolean polling;
        private int failures;

        Tail(UUID runId) {
            this.runId = runId;
        }

        /** Replays what was read after {@code afterId}, then follows; false when this tail has already ended. */
        boolean follow(MultiEmitter<? super RunEvent> emitter, String afterId) {
            EventFollower follower = new EventFollower(emitter,
                    event -> afterId == null || compareIds(event.id(), afterId) > 0);
            boolean startPolling = false;
            synchronized (this) {
                if (ended && (seen.isEmpty() || !seen.get(seen.size() - 1).isTerminal())) {
                    return false;
                }
                boolean done = false;
                for (RunEvent event : seen) {
                    done = follower.queue(event);
                }
                if (!done) {
                    followers.add(follower);
                    if (!polling) {
                        polling = true;
                        startPolling = true;
                    }
                }
            }
            emitter.onTermination(() -> leave(follower));
            follower.drain();
            if (startPolling) {
                poll();
            }
            return true;
        }

        private synchronized void leave(EventFollower follower) {
            followers.remove(follower);
            if (followers.isEmpty() && !ended) {
                // Nobody follows: stop reading; the next follower starts a new tail.
                ended = true;
                tails.remove(runId, this);
            }
        }

        private void poll() {
            String from;
            synchronized (this) {
                if (ended) {
                    return;
                }
                from = cursor;
            }
            redis.guard(redis.redis().stream(String.class).xrange(key(runId), StreamRange.of(from, "+"), 100))
                    .subscribe().with(this::deliver, this::retry);
        }

        private void deliver(List<StreamMessage<String, String, String>> messages) {
            List<EventFollower> receivers;
            boolean terminal = false;
            synchronized (this) {
                failures = 0;
                receivers = List.copyOf(followers);
                for (StreamMessage<String, String, String> message : messages) {
                    RunEvent event = toEvent(runId, message);
                    seen.add(event);
                    cursor = "(" + message.id();
                    receivers.forEach(follower -> follower.queue(event));
                    if (event.isTerminal()) {
                        terminal = true;
                        ended = true;
                        followers.clear();
                        tails.remove(runId, this);
                        break;
                    }
                }
            }
            receivers.forEach(EventFollower::drain);
            if (terminal) {
                return;
            }
            if (messages.isEmpty()) {
                later(pollInterval);
            } else {
                poll();
            }
        }

        /** Redis unreachable or overloaded: followers keep waiting for the terminal event while this retries. */
        private void retry(Throwable failure) {
            int attempt;
            synchronized (this) {
                attempt = ++failures;
            }
            if (attempt == 1) {
                LOG.warnf("events of run %s cannot be read (%s); retrying", runId, failure.getMessage());
            }
            long backoff = Math.min(MAX_RETRY_DELAY.toMillis(), pollInterval.toMillis() << Math.min(attempt, 10));
            later(Duration.ofMillis(backoff));
        }

        private void later(Duration delay) {
            Uni.createFrom().voidItem().onItem().delayIt().by(delay).subscribe().with(ok -> poll());
        }
    }

    /** Stream ids are "ms-sequence": compared as two numbers. */
    private static int compareIds(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
        return byTime != 0 ? byTime
                : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
    }

    private RunEvent toEvent(UUID runId, StreamMessage<String, String, String> message) {
        Map<String, String> fields = message.payload();
        return toEvent(runId, message.id(), fields.get("type"), fields.get("data"));
    }

    /** Stored payloads are compact (see {@link dev.agentruntime.store.EventPayloads}): readers get the full form. */
    private RunEvent toEvent(UUID runId, String id, String type, String data) {
        EventType eventType = EventType.fromWire(type);
        return new RunEvent(id, eventType, redis.payloads().expand(runId, eventType, redis.read(data,
                JsonNode.class)));
    }

    private String key(UUID runId) {
        return redis.eventsKey(runId);
    }
}
