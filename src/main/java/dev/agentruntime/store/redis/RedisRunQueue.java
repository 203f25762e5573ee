package dev.agentruntime.store.redis;

import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.redis.RedisAccess;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.TenantShares;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XClaimArgs;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.ResponseType;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs queued on the Redis stream {@code runs:queue}, read by every instance in the consumer group
 * {@code executors}. An entry stays pending until its run has ended; an instance refreshes the entries it holds
 * (XCLAIM to itself, which resets their idle time) so that only entries of a dead instance grow idle, and those
 * are taken over with XAUTOCLAIM. An entry delivered more than {@code 1 + maxClaims} times is abandoned.
 * Each entry names its tenant; {@link TenantShares} decides whether it may start here now. One whose tenant holds its
 * share waits in this instance, so the reader goes on to the entries behind it, and goes back to the stream's tail at
 * the next heartbeat, so no instance keeps it from the others for longer (ADR 0024).
 */
public final class RedisRunQueue implements RunQueue {

    private static final Logger LOG = Logger.getLogger(RedisRunQueue.class);
    static final String GROUP = "executors";

    private static final LuaScript SUBMIT = LuaScript.load("run_submit");
    private static final LuaScript REQUEUE = LuaScript.load("run_requeue");
    private static final LuaScript ADMIT = LuaScript.load("run_admit");
    private static final LuaScript LEAVE = LuaScript.load("run_leave");
    /** How long a stopping instance waits for its last two scripts: shutdown must not hang on a lost Redis. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);
    private static final int SUBMITTED_KEPT = 1024;
    /**
     * One submission in this many also trims the tenant's index and set of unfinished runs of expired entries (a
     * command each): between trims they hold a few entries of runs that have expired, which listing skips and the
     * quota check drops when it matters.
     */
    static final int TRIM_EVERY = 64;

    /**
     * The run is stored and queued together, or neither when the queue is full; {@code taker}, when not null, takes
     * the oldest unread entry in the same step (see run_submit.lua).
     */
    static LuaScript.Invocation submitCall(RunWrite run, String queue, String unfinished, int maxQueued,
                                           int maxUnfinished, boolean trim, String taker, String tenant) {
        return SUBMIT.with(run.keys(queue, unfinished), run.args(Integer.toString(maxQueued),
                Integer.toString(maxUnfinished), trim ? "1" : "0", taker == null ? "" : taker, GROUP, tenant));
    }

    /** Sends entries this consumer read and did not start back to the stream's tail (see run_requeue.lua). */
    static LuaScript.Invocation requeueCall(String queue, String consumer, List<Entry> entries) {
        List<String> args = new ArrayList<>(2 + 3 * entries.size());
        args.add(GROUP);
        args.add(consumer);
        for (Entry entry : entries) {
            args.add(entry.id());
            args.add(entry.runId() == null ? "" : entry.runId().toString());
            args.add(entry.tenant());
        }
        return REQUEUE.with(List.of(queue), args);
    }

    /**
     * A queue entry read by this instance: its run and the tenant whose share it takes, both carried in the entry
     * so that no read of the run is needed to decide. An entry queued by an earlier build has no tenant: such
     * entries share the tenant "".
     */
    record Entry(String id, UUID runId, String tenant) {
    }

    private final RedisSupport redis;
    private final RedisRunJournal journal;
    private final QueueConfig config;
    private final Duration ttl;
    private final Clock clock;
    private final String consumerName;
    private final RedisMemoryWatch memory;
    private final HeldEntries held;
    /** This instance's slots: the runs it executes, by tenant, and the entries waiting for their tenant's turn. */
    private final TenantShares<Entry> shares;
    /** Entries of the runs executing here, which the heartbeat keeps fresh. */
    private final Map<String, UUID> inFlight = new ConcurrentHashMap<>();
    /**
     * Runs this instance submitted and has not taken yet, so that taking one here does not read it back; the
     * oldest are forgotten beyond a bound (another instance took them, or they wait long: they are read then).
     */
    private final Map<UUID, Run> submittedHere = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Run> eldest) {
                    return size() > SUBMITTED_KEPT;
                }
            });
    private final AtomicLong submissions = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean groupReady = new AtomicBoolean();
    private volatile Consumer consumer;
    private volatile long lastOutageLog;

    RedisRunQueue(RedisSupport redis, RedisRunJournal journal, HeldEntries held, QueueConfig config,
                  TenantShares.Share share, Duration ttl, Clock clock, String consumerName, RedisMemoryWatch memory) {
        this.memory = memory;
        this.held = held;
        this.shares = new TenantShares<>(share, Entry::tenant);
        this.redis = redis;
        this.journal = journal;
        this.config = config;
        this.ttl = ttl;
        this.clock = clock;
        this.consumerName = consumerName;
    }

    /** The memory watch's reading (no command, mostly), then one read-only script for the queue and the tenant. */
    @Override
    public Uni<Void> admit(String tenant) {
        return memory.admit().flatMap(roomy -> redis.run(ADMIT.with(List.of(queueKey(), redis.keys().unfinished(tenant)),
                        List.of(Integer.toString(config.maxQueued()), Integer.toString(config.maxUnfinishedPerTenant()),
                                Long.toString(clock.millis() - ttl.toMillis())))))
                .invoke(reply -> {
                    if (reply.toInteger() == 0) {
                        throw new CapacityExceededException(config.maxQueued());
                    }
                    if (reply.toInteger() < 0) {
                        throw RateLimitedException.unfinished(config.maxUnfinishedPerTenant());
                    }
                })
                .replaceWithVoid();
    }

    @Override
    public Uni<Boolean> resume(RunStatus expected, Run next, List<JournalEvent> events) {
        return redis.run(journal.transitionCall(expected, next, events, true)).map(reply -> reply.toInteger() == 1);
    }

    /**
     * Stores and queues the run; an executing instance with room for the run's tenant also takes the oldest unread
     * entry in the same script (usually this run), saving its reader's round trip, and starts it once the
     * submission has answered, so that the caller is already waiting for the run's end. An entry of another tenant
     * (older ones were waiting) takes its turn like one the reader read.
     */
    @Override
    public Uni<Void> submit(Run run) {
        return submit(run, true);
    }

    @Override
    public Uni<Void> submitAdmitted(Run run) {
        return submit(run, false);
    }

    private Uni<Void> submit(Run run, boolean checkMemory) {
        // Kept before the script runs: the entry can reach this instance's reader before the script's reply.
        submittedHere.put(run.runId(), run);
        String tenant = run.tenant();
        boolean take = reserveSlot(tenant);
        Uni<Entry> written = (checkMemory ? memory.admit() : Uni.createFrom().voidItem())
                .flatMap(admitted -> redis.run(submitCall(RunWrite.of(redis, run, ttl, clock), queueKey(),
                        redis.keys().unfinished(tenant), config.maxQueued(), config.maxUnfinishedPerTenant(),
                        submissions.getAndIncrement() % TRIM_EVERY == 0, take ? consumerName : null, tenant)))
                .map(reply -> {
                    if (reply.type() == ResponseType.MULTI) {
                        return new Entry(reply.get(1).toString(), parseRunId(reply.get(2).toString()),
                                reply.get(3).toString());
                    }
                    if (reply.toInteger() == 0) {
                        throw new CapacityExceededException(config.maxQueued());
                    }
                    if (reply.toInteger() < 0) {
                        throw RateLimitedException.unfinished(config.maxUnfinishedPerTenant());
                    }
                    return null;
                });
        return Uni.createFrom().emitter(emitter -> written.subscribe().with(entry -> {
            emitter.complete(null);
            if (entry != null && entry.tenant().equals(tenant)) {
                // The slot reserved for the tenant is this entry's.
                handle(entry, 1);
                return;
            }
            if (take) {
                shares.release(tenant);
            }
            if (entry != null) {
                shares.offer(entry);
            }
            dispatch();
        }, failure -> {
            submittedHere.remove(run.runId());
            if (take) {
                shares.release(tenant);
                dispatch();
            }
            emitter.fail(failure);
        }));
    }

    /** Whether a submission may take an entry: this instance executes runs and has a slot for the tenant now. */
    private boolean reserveSlot(String tenant) {
        return running.get() && consumer != null && groupReady.get() && shares.tryTake(tenant);
    }

    @Override
    public void start(Consumer consumer) {
        this.consumer = consumer;
        if (running.compareAndSet(false, true)) {
            LOG.infof("executing queued runs as consumer %s of group %s", consumerName, GROUP);
            read();
            every(claimPeriod(), this::claimIdle);
            every(heartbeatPeriod(), this::heartbeat);
        }
    }

    @Override
    public void stop() {
        running.set(false);
        // Entries waiting here go back now rather than after the claim time, then the consumer leaves the group if
        // nothing is pending for it. Awaited (bounded), since the process may exit right after: best effort, Redis
        // may be gone.
        try {
            requeueWaiting().chain(() -> redis.run(LEAVE.with(List.of(queueKey()), List.of(GROUP, consumerName))))
                    .ifNoItem().after(LEAVE_TIMEOUT).fail()
                    .await().indefinitely();
        } catch (RuntimeException lost) {
            LOG.debugf("consumer %s could not leave the group: %s", consumerName, lost.toString());
        }
    }

    @Override
    public Uni<Long> depth() {
        return redis.guard(stream().xlen(queueKey()));
    }

    public String consumerName() {
        return consumerName;
    }

    /**
     * Takes new entries while this instance has a free slot, blocking up to a second for them. An entry whose tenant
     * holds its share waits here (see {@link #dispatch}) and the reader goes on to the entries behind it.
     */
    private void read() {
        if (!running.get()) {
            return;
        }
        dispatch();
        int room = shares.free();
        if (room <= 0) {
            later(Duration.ofMillis(20), this::read);
            return;
        }
        ensureGroup()
                .flatMap(ok -> stream().xreadgroup(GROUP, consumerName, queueKey(), ">",
                        new XReadGroupArgs().count(room).block(Duration.ofSeconds(1))))
                .subscribe().with(messages -> {
                    messages.forEach(message -> shares.offer(entry(message)));
                    dispatch();
                    read();
                }, failure -> {
                    forgetGroupIfLost(failure);
                    outage(failure);
                    later(Duration.ofSeconds(1), this::read);
                });
    }

    /** Starts every waiting entry whose tenant may take a free slot now, in the order {@link TenantShares} gives. */
    private void dispatch() {
        Entry next;
        while ((next = shares.next()) != null) {
            handle(next, 1);
        }
    }

    /**
     * Takes over entries idle longer than {@code claimIdle}: their instance stopped refreshing them. A taken-over run
     * takes a slot even past its tenant's share: sent back to the stream, it would lose its delivery count, which is
     * what ends a run that keeps killing its executors.
     */
    private Uni<Void> claimIdle() {
        int room = shares.free();
        if (room <= 0) {
            return Uni.createFrom().voidItem();
        }
        return ensureGroup()
                .flatMap(ok -> stream().xautoclaim(queueKey(), GROUP, consumerName, config.claimIdle(), "0-0", room))
                .flatMap(claimed -> io.smallrye.mutiny.Multi.createFrom().iterable(claimed.getMessages())
                        .onItem().transformToUniAndConcatenate(this::takeOver)
                        .collect().last().replaceWithVoid())
                .onFailure().recoverWithItem(failure -> {
                    outage(failure);
                    return null;
                });
    }

    private Uni<Void> takeOver(StreamMessage<String, String, String> message) {
        Entry entry = entry(message);
        return stream().xpending(queueKey(), GROUP, StreamRange.of(message.id(), message.id()), 1)
                .map(pending -> pending.isEmpty() ? 1 : pending.get(0).getDeliveryCount())
                .invoke(deliveries -> {
                    LOG.infof("claimed run %s from an idle executor (delivery %d)", entry.runId(), deliveries);
                    shares.takeOver(entry.tenant());
                    handle(entry, deliveries);
                })
                .replaceWithVoid();
    }

    /** Executes the entry's run in the slot taken for it, and frees the slot when the run is done here. */
    private void handle(Entry entry, int deliveries) {
        Consumer target = consumer;
        String entryId = entry.id();
        UUID runId = entry.runId();
        if (runId == null || target == null) {
            shares.release(entry.tenant());
            ack(entryId);
            return;
        }
        inFlight.put(entryId, runId);
        held.hold(runId, entryId);
        Run submitted = submittedHere.remove(runId);
        Uni<Void> work = deliveries > 1 + config.maxClaims() ? target.abandon(runId, deliveries)
                : target.process(runId, deliveries == 1 ? submitted : null);
        work.onTermination().invoke((ok, failure, cancelled) -> {
                    boolean acknowledged = held.release(runId, entryId);
                    if (failure != null) {
                        // Leave the entry pending: another attempt (here or elsewhere) will claim it.
                        LOG.errorf(failure, "run %s could not be executed; it stays queued", runId);
                        inFlight.remove(entryId);
                    } else if (acknowledged) {
                        // The write that ended the run acknowledged the entry (see HeldEntries).
                        inFlight.remove(entryId);
                    } else {
                        ack(entryId);
                    }
                    shares.release(entry.tenant());
                    dispatch();
                })
                .subscribe().with(done -> { }, failure -> { });
    }

    /**
     * Resets the idle time of every entry whose run executes here, so that no one claims them while this instance
     * lives, and sends the entries waiting for their tenant's turn back to the stream, where an instance with room
     * for that tenant may take them: an entry waits here at most one heartbeat period (a third of the claim time).
     * They leave this instance even when Redis does not answer: unrefreshed, they are claimed once idle like a dead
     * instance's, and must not be started here as well.
     */
    private Uni<Void> heartbeat() {
        Uni<Void> refreshed = Uni.createFrom().voidItem();
        if (!inFlight.isEmpty()) {
            String[] ids = inFlight.keySet().toArray(String[]::new);
            refreshed = stream().xclaim(queueKey(), GROUP, consumerName, Duration.ZERO, new XClaimArgs().justId(), ids)
                    .replaceWithVoid();
        }
        return Uni.join().all(refreshed, requeueWaiting()).andCollectFailures().replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    outage(failure);
                    return null;
                });
    }

    /** Sends the entries waiting here back to the stream's tail, in one script. */
    private Uni<Void> requeueWaiting() {
        List<Entry> waiting = shares.drain();
        if (waiting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return redis.run(requeueCall(queueKey(), consumerName, waiting)).replaceWithVoid();
    }

    /** Acknowledges and deletes the entry, both in one round trip (a pipeline). */
    private void ack(String entryId) {
        redis.redis().getRedis().batch(List.of(Request.cmd(Command.XACK).arg(queueKey()).arg(GROUP).arg(entryId),
                        Request.cmd(Command.XDEL).arg(queueKey()).arg(entryId)))
                .subscribe().with(done -> inFlight.remove(entryId), failure -> {
                    // The run has ended and is stored; if the entry comes back, the consumer sees it ended.
                    inFlight.remove(entryId);
                    outage(failure);
                });
    }

    /** Creates the group once (and again if Redis lost it, e.g. after a restart without persistence). */
    private Uni<Void> ensureGroup() {
        if (groupReady.get()) {
            return Uni.createFrom().voidItem();
        }
        return stream().xgroupCreate(queueKey(), GROUP, "0", new XGroupCreateArgs().mkstream())
                .onFailure(failure -> RedisAccess.isError(failure, "BUSYGROUP")).recoverWithNull()
                .invoke(() -> groupReady.set(true))
                .replaceWithVoid();
    }

    private void forgetGroupIfLost(Throwable failure) {
        if (RedisAccess.isError(failure, "NOGROUP")) {
            groupReady.set(false);
        }
    }

    private void every(Duration period, java.util.function.Supplier<Uni<Void>> task) {
        later(period, () -> {
            if (!running.get()) {
                return;
            }
            task.get().subscribe().with(done -> every(period, task), failure -> every(period, task));
        });
    }

    private static void later(Duration delay, Runnable action) {
        Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                .subscribe().with(ignored -> action.run(), failure -> action.run());
    }

    private Duration claimPeriod() {
        return config.claimIdle().dividedBy(2);
    }

    private Duration heartbeatPeriod() {
        return config.claimIdle().dividedBy(3);
    }

    /** Redis being down is reported once in a while, not once per poll. */
    private void outage(Throwable failure) {
        long now = System.currentTimeMillis();
        if (now - lastOutageLog > 10_000) {
            lastOutageLog = now;
            LOG.warnf("run queue unavailable: %s", failure.getMessage());
        }
    }

    private static Entry entry(StreamMessage<String, String, String> message) {
        return new Entry(message.id(), parseRunId(message.payload().get("run_id")),
                message.payload().getOrDefault("tenant", ""));
    }

    private static UUID parseRunId(String runId) {
        try {
            return UUID.fromString(runId);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private ReactiveStreamCommands<String, String, String> stream() {
        return redis.redis().stream(String.class);
    }

    private String queueKey() {
        return redis.keys().queue();
    }
}
