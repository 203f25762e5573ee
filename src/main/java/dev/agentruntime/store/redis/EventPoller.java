package dev.agentruntime.store.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one reader of every run's events followed on this instance: each poll interval, one {@code XREAD} of many
 * streams (a few, pipelined, beyond {@value #STREAMS_PER_READ}), on the followers' own connection
 * ({@link FollowerConnection}). Followers of 400 runs cost one round trip per interval instead of 400 pooled
 * commands, and never take a connection from the pool the executors write with. What is read goes to each stream's
 * {@link Stream}; when nothing is followed, nothing is sent. The grouping of streams into commands is here only:
 * on Redis Cluster one XREAD may only name keys of one hash slot, so {@link #requests} makes one per partition
 * there (its hash tag), sent side by side rather than pipelined (ADR 0032).
 */
final class EventPoller {

    /** A followed stream: where to read from, and what to do with what was read. */
    interface Stream {
        /** The id of the last entry read (entries after it are read next), {@code 0-0} before the first. */
        String cursor();

        /** Entries read, in order, at most {@link #ENTRIES_PER_STREAM}. */
        void deliver(List<Entry> entries);
    }

    /** One stream entry: its id and its field-value pairs. */
    record Entry(String id, Map<String, String> fields) {
    }

    private static final Logger LOG = Logger.getLogger(EventPoller.class);
    static final int STREAMS_PER_READ = 256;
    static final int ENTRIES_PER_STREAM = 100;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

    private final FollowerConnection connection;
    private final Duration interval;
    private final boolean cluster;
    private final Map<String, Stream> followed = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    /** Polls in a row that failed; only the poll loop, one step at a time, touches it. */
    private int failures;

    EventPoller(FollowerConnection connection, Duration interval, boolean cluster) {
        this.connection = connection;
        this.interval = interval;
        this.cluster = cluster;
    }

    /** Reads {@code key} from now on, from its cursor, until {@link #unwatch}. */
    void watch(String key, Stream stream) {
        followed.put(key, stream);
        if (polling.compareAndSet(false, true)) {
            poll();
        }
    }

    void unwatch(String key, Stream stream) {
        followed.remove(key, stream);
    }

    private void poll() {
        if (followed.isEmpty()) {
            polling.set(false);
            // A stream watched between the check and the flag would wait for nobody: look again.
            if (!followed.isEmpty() && polling.compareAndSet(false, true)) {
                poll();
            }
            return;
        }
        Map<String, Stream> batch = new LinkedHashMap<>(followed);
        List<Request> requests = requests(batch, cluster);
        (cluster ? Uni.join().all(requests.stream().map(connection::send).toList()).andFailFast()
                : connection.batch(requests))
                .subscribe().with(replies -> {
                    failures = 0;
                    boolean more = false;
                    for (io.vertx.mutiny.redis.client.Response reply : replies) {
                        more |= deliver(reply == null ? null : reply.getDelegate(), batch);
                    }
                    // A stream that filled its count has more waiting: read again at once.
                    later(more ? Duration.ZERO : interval);
                }, failure -> {
                    int attempt = ++failures;
                    if (attempt == 1) {
                        LOG.warnf("events cannot be read (%s); retrying", failure.getMessage());
                    }
                    later(Duration.ofMillis(Math.min(MAX_RETRY_DELAY.toMillis(),
                            interval.toMillis() << Math.min(attempt, 10))));
                });
    }

    /**
     * {@code XREAD COUNT n STREAMS k1 … kn id1 … idn}, one per {@value #STREAMS_PER_READ} streams, and on a cluster
     * one per hash tag as well.
     */
    private static List<Request> requests(Map<String, Stream> batch, boolean cluster) {
        if (!cluster) {
            return requests(batch, new ArrayList<>(batch.keySet()));
        }
        Map<String, List<String>> byTag = new LinkedHashMap<>();
        batch.keySet().forEach(key -> byTag.computeIfAbsent(hashTag(key), tag -> new ArrayList<>()).add(key));
        List<Request> requests = new ArrayList<>();
        byTag.values().forEach(keys -> requests.addAll(requests(batch, keys)));
        return requests;
    }

    /** What Redis Cluster hashes of a key: the text between its first '{' and the next '}', else the whole key. */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }

    private static List<Request> requests(Map<String, Stream> batch, List<String> keys) {
        List<Request> requests = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += STREAMS_PER_READ) {
            List<String> group = keys.subList(from, Math.min(keys.size(), from + STREAMS_PER_READ));
            Request read = Request.cmd(Command.XREAD).arg("COUNT").arg(ENTRIES_PER_STREAM).arg("STREAMS");
            group.forEach(read::arg);
            group.forEach(key -> read.arg(batch.get(key).cursor()));
            requests.add(read);
        }
        return requests;
    }

    /** Hands each stream its entries; true when one of them may have more. Nil: nothing new anywhere. */
    private static boolean deliver(Response reply, Map<String, Stream> batch) {
        if (reply == null) {
            return false;
        }
        boolean more = false;
        // RESP3 answers a map of stream to entries, RESP2 a list of [stream, entries] pairs.
        if (reply.isMap()) {
            for (String key : reply.getKeys()) {
                more |= deliver(batch.get(key), reply.get(key));
            }
        } else {
            for (Response pair : reply) {
                more |= deliver(batch.get(pair.get(0).toString()), pair.get(1));
            }
        }
        return more;
    }

    private static boolean deliver(Stream stream, Response entries) {
        if (stream == null || entries == null || entries.size() == 0) {
            return false;
        }
        List<Entry> read = new ArrayList<>(entries.size());
        for (Response entry : entries) {
            Map<String, String> fields = new LinkedHashMap<>(4);
            Response values = entry.get(1);
            if (values != null && values.isMap()) {
                values.getKeys().forEach(field -> fields.put(field, values.get(field).toString()));
            } else if (values != null) {
                for (int i = 0; i + 1 < values.size(); i += 2) {
                    fields.put(values.get(i).toString(), values.get(i + 1).toString());
                }
            }
            read.add(new Entry(entry.get(0).toString(), fields));
        }
        stream.deliver(read);
        return read.size() >= ENTRIES_PER_STREAM;
    }

    private void later(Duration delay) {
        if (delay.isZero()) {
            poll();
            return;
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(delay).subscribe().with(ok -> poll());
    }
}
