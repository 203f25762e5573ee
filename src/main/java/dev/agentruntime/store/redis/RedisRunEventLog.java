package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.redis.LuaScript;
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
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

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
 * so {@code Last-Event-ID} resumes exactly. All followers of one run on this instance share one {@link Tail}, and
 * every tail is read by the instance's one {@link EventPoller} (one XREAD of many streams per interval, on a
 * connection of its own): a thousand open streams cost one round trip per interval, and none of the pool's
 * connections. A follower ends only after the terminal event; while Redis cannot be read the poller retries, and
 * followers wait.
 */
public final class RedisRunEventLog implements RunEventLog {

    private static final LuaScript APPEND = LuaScript.load("event_append");
    private static final LuaScript HISTORY = LuaScript.load("events_history");
    private static final Pattern STREAM_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

    private final RedisSupport redis;
    private final Duration ttl;
    private final Map<UUID, Tail> tails = new ConcurrentHashMap<>();
    private final CompactHistory compact;
    private final EventPoller poller;

    RedisRunEventLog(RedisSupport redis, Duration ttl, Duration pollInterval) {
        this.redis = redis;
        this.ttl = ttl;
        this.compact = new CompactHistory(redis.payloads());
        this.poller = new EventPoller(redis.followers(), pollInterval);
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
    public Uni<Boolean> isPastEnd(UUID runId, String id) {
        return redis.followers().send(Request.cmd(Command.XREVRANGE).arg(key(runId)).arg("+").arg("-")
                        .arg("COUNT").arg(1))
                .map(last -> last == null || last.size() == 0 || compareIds(id, last.get(0).get(0).toString()) > 0);
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
        return redis.runForFollowers(HISTORY.with(List.of(key(runId)), List.of(afterId == null ? "-" : "(" + afterId)))
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

    /**
     * A run's events as read on this instance, and its followers here: the events read so far are kept for followers
     * that join later, and the {@link EventPoller} reads more for all of them while any follows.
     */
    private final class Tail implements EventPoller.Stream {
        private final UUID runId;
        private final List<RunEvent> seen = new ArrayList<>();
        private final List<EventFollower> followers = new ArrayList<>();
        private String cursor = "0-0";
        private boolean ended;
        private boolean watched;

        Tail(UUID runId) {
            this.runId = runId;
        }

        /** Replays what was read after {@code afterId}, then follows; false when this tail has already ended. */
        boolean follow(MultiEmitter<? super RunEvent> emitter, String afterId) {
            EventFollower follower = new EventFollower(emitter,
                    event -> afterId == null || compareIds(event.id(), afterId) > 0);
            boolean startWatching = false;
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
                    if (!watched) {
                        watched = true;
                        startWatching = true;
                    }
                }
            }
            emitter.onTermination(() -> leave(follower));
            follower.drain();
            if (startWatching) {
                poller.watch(key(runId), this);
            }
            return true;
        }

        private void leave(EventFollower follower) {
            synchronized (this) {
                followers.remove(follower);
                if (!followers.isEmpty() || ended) {
                    return;
                }
                // Nobody follows: stop reading; the next follower starts a new tail.
                ended = true;
                tails.remove(runId, this);
            }
            poller.unwatch(key(runId), this);
        }

        @Override
        public synchronized String cursor() {
            return cursor;
        }

        @Override
        public void deliver(List<EventPoller.Entry> entries) {
            List<EventFollower> receivers;
            boolean terminal = false;
            synchronized (this) {
                if (ended) {
                    return;
                }
                receivers = List.copyOf(followers);
                for (EventPoller.Entry entry : entries) {
                    RunEvent event = toEvent(runId, entry.id(), entry.fields().get("type"),
                            entry.fields().get("data"));
                    seen.add(event);
                    cursor = entry.id();
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
                poller.unwatch(key(runId), this);
            }
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
        return new RunEvent(id, eventType, redis.payloads().expand(runId, eventType, redis.access().read(data,
                JsonNode.class)));
    }

    private String key(UUID runId) {
        return redis.keys().events(runId);
    }
}
