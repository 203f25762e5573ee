package dev.agentruntime.store.memory;

import dev.agentruntime.store.EventFollower;
import dev.agentruntime.store.RunEventLog;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RunEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.CompactHistory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Events in this process: a list per run plus the streams following it; dropped a TTL after the first event, the
 * retention after the run's end (then the run's {@link CompactHistory} stands for them), and with their run when the
 * memory store drops it ({@link #forget}). They have no count bound of their own: one dropped the events of a run
 * still executing, and its followers never saw the end (issue 25).
 */
public final class MemoryRunEventLog implements RunEventLog {

    private static final class Channel {
        final List<RunEvent> events = new ArrayList<>();
        final List<EventFollower> followers = new ArrayList<>();
        Instant endedAt;
    }

    private final ExpiringEntries<UUID, Channel> channels;
    private final Clock clock;
    private final Duration retention;
    private final CompactHistory compact;

    public MemoryRunEventLog(Clock clock, Duration ttl, Duration retention, CompactHistory compact) {
        this.channels = new ExpiringEntries<>(clock, ttl, Integer.MAX_VALUE);
        this.clock = clock;
        this.retention = retention;
        this.compact = compact;
    }

    @Override
    public Uni<String> append(UUID runId, EventType type, JsonNode data) {
        return Uni.createFrom().item(() -> appendNow(runId, type, data));
    }

    /** {@link #append}, at once: for a write that must hold a lock across it (a fork's submission). */
    String appendNow(UUID runId, EventType type, JsonNode data) {
        Channel channel = channels.computeIfAbsent(runId, id -> new Channel());
        RunEvent event;
        List<EventFollower> receivers;
        synchronized (channel) {
            event = new RunEvent(Integer.toString(channel.events.size() + 1), type, data);
            channel.events.add(event);
            receivers = List.copyOf(channel.followers);
            receivers.forEach(follower -> follower.queue(event));
            if (event.isTerminal()) {
                channel.followers.clear();
                channel.endedAt = clock.instant();
            }
        }
        // Emitted outside the lock (see EventFollower): the order was fixed when the events were queued.
        receivers.forEach(EventFollower::drain);
        return event.id();
    }

    @Override
    public Multi<RunEvent> stream(UUID runId, String afterId) {
        int after = parse(afterId);
        return Multi.createFrom().emitter(emitter -> {
            Channel channel = channels.computeIfAbsent(runId, id -> new Channel());
            EventFollower follower = new EventFollower(emitter, event -> Integer.parseInt(event.id()) > after);
            synchronized (channel) {
                boolean done = false;
                for (RunEvent event : channel.events) {
                    done = follower.queue(event);
                }
                if (!done) {
                    channel.followers.add(follower);
                }
            }
            emitter.onTermination(() -> {
                synchronized (channel) {
                    channel.followers.remove(follower);
                }
            });
            follower.drain();
        });
    }

    /** Drops a run's events (the run itself was dropped); its followers end, as a run that is gone sends no more. */
    void forget(UUID runId) {
        Channel channel = channels.get(runId);
        channels.remove(runId);
        if (channel != null) {
            List<EventFollower> followers;
            synchronized (channel) {
                followers = List.copyOf(channel.followers);
                channel.followers.clear();
            }
            followers.forEach(EventFollower::end);
        }
    }

    @Override
    public Multi<RunEvent> replay(UUID runId, String afterId) {
        return Multi.createFrom().items(() -> {
            Channel channel = kept(runId);
            return channel == null ? Stream.<RunEvent>empty() : after(channel, afterId).stream();
        });
    }

    @Override
    public Multi<RunEvent> history(Run run, String afterId) {
        return Multi.createFrom().items(() -> {
            Channel channel = kept(run.runId());
            if (channel != null) {
                return after(channel, afterId).stream();
            }
            int after = parse(afterId);
            return compact.of(run, (at, position, sameMilli) -> Integer.toString(position + 1)).stream()
                    .filter(event -> Integer.parseInt(event.id()) > after);
        });
    }

    /** The run's channel, unless its run ended longer than the retention ago (then it is dropped). */
    private Channel kept(UUID runId) {
        Channel channel = channels.get(runId);
        if (channel == null) {
            return null;
        }
        synchronized (channel) {
            if (channel.endedAt == null || channel.endedAt.plus(retention).isAfter(clock.instant())) {
                return channel;
            }
        }
        channels.remove(runId);
        return null;
    }

    private static List<RunEvent> after(Channel channel, String afterId) {
        int after = parse(afterId);
        synchronized (channel) {
            return List.copyOf(channel.events.subList(Math.min(after, channel.events.size()), channel.events.size()));
        }
    }

    @Override
    public Uni<Boolean> isPastEnd(UUID runId, String id) {
        return Uni.createFrom().item(() -> {
            Channel channel = channels.get(runId);
            if (channel == null) {
                return parse(id) > 0;
            }
            synchronized (channel) {
                return parse(id) > channel.events.size();
            }
        });
    }

    /** Ids here are the events' positions: 1, 2, 3… */
    @Override
    public boolean isValidId(String id) {
        return id.matches("\\d{1,9}");
    }

    private static int parse(String id) {
        try {
            return id == null ? 0 : Math.max(0, Integer.parseInt(id.strip()));
        } catch (NumberFormatException unknown) {
            return 0;
        }
    }
}
