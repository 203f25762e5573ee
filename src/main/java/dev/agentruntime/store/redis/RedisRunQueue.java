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

/**
 * Runs queued on the Redis streams {@code runs:queue:{pK}}, one per partition (ADR 0032), each read by every
 * instance in the consumer group {@code executors}. An entry stays pending until its run has ended; an instance
 * refreshes the entries it holds (XCLAIM to itself, which resets their idle time) so that only entries of a dead
 * instance grow idle, and those are taken over with XAUTOCLAIM. An entry delivered more than {@code 1 + maxClaims} times is abandoned.
 * Each entry names its tenant; {@link TenantShares} decides whether it may start here now. One whose tenant holds its
 * share waits in this instance, so the reader goes on to the entries behind it, and goes back to the stream's tail at
 * the next heartbeat, so no instance keeps it from the others for longer (ADR 0024).
 */
public final class RedisRunQueue implements RunQueue {

    private static final Logger LOG = Logger.getLogger(RedisRunQueue.class);
    static final String GROUP = "executors";

    private static final LuaScript SUBMIT = LuaScript.load("run_submit");
    private static final LuaScript REQUEUE = LuaScript.load("run_requeue");
    private static final LuaScript LEAVE = LuaScript.load("run_leave");
    /** How long a stopping instance waits for its last two scripts: shutdown must not hang on a lost Redis. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);
    private static final int SUBMITTED_KEPT = 1024;
    /**
     * One submission in this many (per partition) also trims the tenant's index and set of unfinished runs of expired
     * entries (a command each): between trims they hold a few entries of runs that have expired, which listing skips
     * and the quota check drops when it matters.
     */
    static final int TRIM_EVERY = 64;

    /** How long a cluster's reader waits after a pass over every partition found nothing (it cannot block). */
    private static final Duration CLUSTER_IDLE_READ = Duration.ofMillis(250);

    /**
     * The run is stored and queued together, or neither when the queue is full; {@code taker}, when not null, takes
     * the oldest unread entry of the partition in the same step (see run_submit.lua). The rooms are what the run's
     * partition may hold: its share of the bounds ({@code exact} false), or the bounds less what the other
     * partitions hold; {@code unfinishedRoom} -1 when there is no maximum.
     */
    static LuaScript.Invocation submitCall(RunWrite run, String queue, String unfinished, long queuedRoom,
                                           long unfinishedRoom, boolean exact, boolean trim, String taker,
                                           String tenant) {
        return submitCall(run, queue, unfinished, queuedRoom, unfinishedRoom, exact, trim, taker, tenant, null);
    }

    /**
     * The same with {@code extra} when not null: a fork's events and its source's forks, or the run's start (which
     * the script writes only if {@code taker} takes this very run's entry).
     */
    static LuaScript.Invocation submitCall(RunWrite run, String queue, String unfinished, long queuedRoom,
                                           long unfinishedRoom, boolean exact, boolean trim, String taker,
                                           String tenant, SubmitExtra extra) {
        List<String> args = new ArrayList<>(run.args(Long.toString(queuedRoom), Long.toString(unfinishedRoom),
                trim ? "1" : "0", taker == null ? "" : taker, GROUP, tenant, exact ? "1" : "0",
                extra == null || extra.startedJson() == null ? "" : extra.startedJson()));
        if (extra == null) {
            return SUBMIT.with(run.keys(queue, unfinished), args);
        }
        args.addAll(extra.events());
        return SUBMIT.with(extra.forksKey() == null ? run.keys(queue, unfinished, extra.eventsKey())
                : run.keys(queue, unfinished, extra.eventsKey(), extra.forksKey()), args);
    }

    /**
     * What a submission writes besides the run: the run's event stream and events (type and data pairs), with either
     * its source's forks (a fork) or the run as its start leaves it (a run started by its submission, ADR 0035).
     */
    record SubmitExtra(String eventsKey, String forksKey, String startedJson, List<String> events) {
        static SubmitExtra fork(String eventsKey, String forksKey, List<String> events) {
            return new SubmitExtra(eventsKey, forksKey, null, events);
        }

        static SubmitExtra start(String eventsKey, String startedJson, List<String> events) {
            return new SubmitExtra(eventsKey, null, startedJson, events);
        }
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
     * so that no read of the run is needed to decide, and the partition whose stream holds it (entry ids are unique
     * per stream only). An entry queued by an earlier build has no tenant: such entries share the tenant "".
     */
    record Entry(String id, UUID runId, String tenant, int partition) {
    }

    /** The entry a submission's script took for this instance; {@code started}: its run, which it started. */
    private record Taken(Entry entry, boolean started) {
    }

    /** Queued entries and a tenant's unfinished runs, counted over some partitions. */
    private record Counts(long queued, long unfinished) {
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
    private final java.util.Set<Entry> inFlight = ConcurrentHashMap.newKeySet();
    /** The queue stream of each partition, and back. */
    private final String[] queues = new String[RunKeys.PARTITIONS];
    private final Map<String, Integer> partitionOfQueue = new java.util.HashMap<>();
    /** Where the reader starts its next pass, so that no partition is always read last. */
    private final java.util.concurrent.atomic.AtomicInteger nextRead = new java.util.concurrent.atomic.AtomicInteger();
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
    /** Submissions per partition, so that each partition's sets are trimmed on one in {@link #TRIM_EVERY}. */
    private final java.util.concurrent.atomic.AtomicLongArray submissions =
            new java.util.concurrent.atomic.AtomicLongArray(RunKeys.PARTITIONS);
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
        for (int partition : RunKeys.partitions()) {
            // Staggered, so that the partitions are not all trimmed on their first submissions.
            submissions.set(partition, java.util.concurrent.ThreadLocalRandom.current().nextInt(TRIM_EVERY));
            queues[partition] = redis.keys().queue(partition);
            partitionOfQueue.put(queues[partition], partition);
        }
    }

    /**
     * The memory watch's reading (no command, mostly), then the queue's entries and the tenant's unfinished runs
     * counted over every partition, reading only (one pipeline on one Redis). The submission checks again.
     */
    @Override
    public Uni<Void> admit(String tenant) {
        return memory.admit().flatMap(roomy -> counts(tenant, -1))
                .invoke(counts -> {
                    if (counts.queued() >= config.maxQueued()) {
                        throw new CapacityExceededException(config.maxQueued());
                    }
                    if (config.maxUnfinishedPerTenant() > 0 && counts.unfinished() >= config.maxUnfinishedPerTenant()) {
                        throw RateLimitedException.unfinished(config.maxUnfinishedPerTenant());
                    }
                })
                .replaceWithVoid();
    }

    /** Counts over every partition but {@code except} (-1: all); the unfinished ones only when there is a maximum. */
    private Uni<Counts> counts(String tenant, int except) {
        boolean quota = config.maxUnfinishedPerTenant() > 0;
        String cutoff = "(" + (clock.millis() - ttl.toMillis());
        List<List<Request>> groups = new ArrayList<>(RunKeys.PARTITIONS);
        for (int partition : RunKeys.partitions()) {
            if (partition != except) {
                Request length = Request.cmd(Command.XLEN).arg(queues[partition]);
                groups.add(quota ? List.of(length, Request.cmd(Command.ZCOUNT)
                        .arg(redis.keys().unfinished(partition, tenant)).arg(cutoff).arg("+inf")) : List.of(length));
            }
        }
        return redis.each(groups).map(replies -> {
            long queued = 0;
            long unfinished = 0;
            int stride = quota ? 2 : 1;
            for (int i = 0; i < replies.size(); i += stride) {
                queued += replies.get(i).toLong();
                unfinished += quota ? replies.get(i + 1).toLong() : 0;
            }
            return new Counts(queued, unfinished);
        });
    }

    @Override
    public Uni<Boolean> resume(RunStatus expected, Run next, List<JournalEvent> events) {
        return redis.run(journal.transitionCall(expected, next, events, true)).map(reply -> reply.toInteger() == 1);
    }

    /**
     * Stores and queues the run; an executing instance with room for the run's tenant also takes the oldest unread
     * entry in the same script (usually this run), saving its reader's round trip, and starts it once the
     * submission has answered, so that the caller is already waiting for the run's end. An entry of another tenant
     * (older ones were waiting) takes its turn like one the reader read. When the entry taken is this very run's, the
     * script also writes the submission's start (ADR 0035): the run's START and its submission are one write.
     */
    @Override
    public Uni<Void> submit(Submission submission) {
        return submit(submission, null);
    }

    /** The fork's id is in its source's partition ({@link #forkId}): its keys and the source's forks share a slot. */
    @Override
    public Uni<Void> submitFork(Run fork, List<JournalEvent> events) {
        if (RunKeys.partition(fork.runId()) != RunKeys.partition(fork.forkedFrom().runId())) {
            throw new IllegalArgumentException("fork " + fork.runId() + " is not in its source's partition");
        }
        return submit(Submission.of(fork), SubmitExtra.fork(redis.keys().events(fork.runId()),
                redis.keys().forks(fork.forkedFrom().runId()), pairs(events)));
    }

    @Override
    public UUID forkId(UUID source) {
        return RunKeys.inPartitionOf(source);
    }

    private List<String> pairs(List<JournalEvent> events) {
        List<String> pairs = new ArrayList<>(2 * events.size());
        for (JournalEvent event : events) {
            pairs.add(event.type().wireName());
            pairs.add(event.data() == null ? "{}" : redis.writeEvent(event.data()));
        }
        return pairs;
    }

    private Uni<Void> submit(Submission submission, SubmitExtra fork) {
        Run run = submission.run();
        // Kept before the script runs: the entry can reach this instance's reader before the script's reply.
        submittedHere.put(run.runId(), run);
        String tenant = run.tenant();
        int partition = RunKeys.partition(run.runId());
        boolean take = reserveSlot(tenant);
        // The start is made only when the script may write it: this instance takes an entry in it.
        Start start;
        SubmitExtra extra;
        try {
            start = take && submission.start() != null ? submission.start().get() : null;
            if (start != null) {
                start.check(run);
            }
            extra = start == null ? fork : SubmitExtra.start(redis.keys().events(run.runId()),
                    redis.writeRun(start.started()), pairs(start.events()));
        } catch (RuntimeException bug) {
            notSubmitted(run, take);
            return Uni.createFrom().failure(bug);
        }
        boolean trim = submissions.getAndIncrement(partition) % TRIM_EVERY == 0;
        int maxUnfinished = config.maxUnfinishedPerTenant();
        RunWrite write = RunWrite.of(redis, run, ttl, clock);
        String unfinished = redis.keys().unfinished(partition, tenant);
        String taker = take ? consumerName : null;
        // First within the partition's share of the bounds; past it, once more with the other partitions counted.
        Uni<Taken> written = (submission.admission() == Admission.AT_SUBMISSION ? memory.admit()
                : Uni.createFrom().voidItem())
                .flatMap(admitted -> redis.runReplicated(submitCall(write, queues[partition], unfinished,
                        config.maxQueued() / RunKeys.PARTITIONS,
                        maxUnfinished > 0 ? maxUnfinished / RunKeys.PARTITIONS : -1, false, trim, taker, tenant,
                        extra)))
                .flatMap(reply -> reply.type() != ResponseType.MULTI && reply.toInteger() == -2
                        ? counts(tenant, partition).flatMap(others -> redis.runReplicated(submitCall(write,
                                queues[partition], unfinished, config.maxQueued() - others.queued(),
                                maxUnfinished > 0 ? Math.max(0, maxUnfinished - others.unfinished()) : -1, true, trim,
                                taker, tenant, extra)))
                        : Uni.createFrom().item(reply))
                .map(reply -> {
                    if (reply.type() == ResponseType.MULTI) {
                        return new Taken(new Entry(reply.get(1).toString(), parseRunId(reply.get(2).toString()),
                                reply.get(3).toString(), partition), reply.get(0).toInteger() == 2);
                    }
                    if (reply.toInteger() == 0) {
                        throw new CapacityExceededException(config.maxQueued());
                    }
                    if (reply.toInteger() < 0) {
                        throw RateLimitedException.unfinished(config.maxUnfinishedPerTenant());
                    }
                    return null;
                });
        return Uni.createFrom().emitter(emitter -> written.subscribe().with(taken -> {
            emitter.complete(null);
            Entry entry = taken == null ? null : taken.entry();
            if (taken != null && taken.started()) {
                // The script stored the run started and took its entry: it goes on from there, in the reserved slot.
                handle(entry, 1, start);
                return;
            }
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
            notSubmitted(run, take);
            emitter.fail(failure);
        }));
    }

    /** Undoes what a submission that failed had kept: the run kept for its reader, the slot it reserved. */
    private void notSubmitted(Run run, boolean tookSlot) {
        submittedHere.remove(run.runId());
        if (tookSlot) {
            shares.release(run.tenant());
            dispatch();
        }
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
            requeueWaiting().chain(() -> Uni.join().all(java.util.Arrays.stream(queues)
                            .map(queue -> redis.run(LEAVE.with(List.of(queue), List.of(GROUP, consumerName))))
                            .toList()).andCollectFailures())
                    .ifNoItem().after(LEAVE_TIMEOUT).fail()
                    .await().indefinitely();
        } catch (RuntimeException lost) {
            LOG.debugf("consumer %s could not leave the group: %s", consumerName, lost.toString());
        }
    }

    @Override
    public Uni<Long> depth() {
        return redis.each(java.util.Arrays.stream(queues).map(queue -> List.of(Request.cmd(Command.XLEN).arg(queue)))
                .toList()).map(replies -> replies.stream().mapToLong(io.vertx.mutiny.redis.client.Response::toLong)
                .sum());
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
                .flatMap(ok -> redis.cluster() ? readEach(room) : readAll(room))
                .subscribe().with(entries -> {
                    // One command over many streams counts per stream: what is beyond the room goes back at once.
                    entries.subList(0, Math.min(room, entries.size())).forEach(shares::offer);
                    if (entries.size() > room) {
                        sendBack(entries.subList(room, entries.size())).subscribe().with(ok -> { }, this::outage);
                    }
                    dispatch();
                    if (entries.isEmpty() && redis.cluster()) {
                        later(CLUSTER_IDLE_READ, this::read);
                    } else {
                        read();
                    }
                }, failure -> {
                    forgetGroupIfLost(failure);
                    outage(failure);
                    later(Duration.ofSeconds(1), this::read);
                });
    }

    /**
     * On one Redis: one command reads every partition, blocking up to a second for new entries; each read starts one
     * partition further on, since the first streams named fill the room first.
     */
    private Uni<List<Entry>> readAll(int room) {
        Map<String, String> fromNew = new java.util.LinkedHashMap<>();
        int first = Math.floorMod(nextRead.getAndIncrement(), RunKeys.PARTITIONS);
        for (int i = 0; i < RunKeys.PARTITIONS; i++) {
            fromNew.put(queues[(first + i) % RunKeys.PARTITIONS], ">");
        }
        return stream().xreadgroup(GROUP, consumerName, fromNew,
                        new XReadGroupArgs().count(room).block(Duration.ofSeconds(1)))
                .map(messages -> messages == null ? List.<Entry>of() : messages.stream().map(this::entry).toList());
    }

    /**
     * On a cluster, where one command names one slot: the partitions one after another, without blocking, until
     * {@code room} entries are read; each pass starts one partition further on.
     */
    private Uni<List<Entry>> readEach(int room) {
        List<Entry> read = new ArrayList<>();
        int first = Math.floorMod(nextRead.getAndIncrement(), RunKeys.PARTITIONS);
        Uni<Void> pass = Uni.createFrom().voidItem();
        for (int i = 0; i < RunKeys.PARTITIONS; i++) {
            String queue = queues[(first + i) % RunKeys.PARTITIONS];
            pass = pass.flatMap(ok -> read.size() >= room ? Uni.createFrom().voidItem()
                    : stream().xreadgroup(GROUP, consumerName, queue, ">",
                                    new XReadGroupArgs().count(room - read.size()))
                            .invoke(messages -> {
                                if (messages != null) {
                                    messages.forEach(message -> read.add(entry(message)));
                                }
                            })
                            .replaceWithVoid());
        }
        return pass.replaceWith(read);
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
        return ensureGroup().flatMap(ok -> claimIdle(0))
                .onFailure().recoverWithItem(failure -> {
                    outage(failure);
                    return null;
                });
    }

    /** Every partition is looked at, one after another, while this instance has room. */
    private Uni<Void> claimIdle(int partition) {
        int room = shares.free();
        if (room <= 0 || partition >= RunKeys.PARTITIONS) {
            return Uni.createFrom().voidItem();
        }
        return stream().xautoclaim(queues[partition], GROUP, consumerName, config.claimIdle(), "0-0", room)
                .flatMap(claimed -> io.smallrye.mutiny.Multi.createFrom().iterable(claimed.getMessages())
                        .onItem().transformToUniAndConcatenate(this::takeOver)
                        .collect().last().replaceWithVoid())
                .flatMap(ok -> claimIdle(partition + 1));
    }

    private Uni<Void> takeOver(StreamMessage<String, String, String> message) {
        Entry entry = entry(message);
        return stream().xpending(message.key(), GROUP, StreamRange.of(message.id(), message.id()), 1)
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
        handle(entry, deliveries, null);
    }

    /** The same for a run its submission started ({@code start} not null): the consumer goes on from its start. */
    private void handle(Entry entry, int deliveries, Start start) {
        Consumer target = consumer;
        String entryId = entry.id();
        UUID runId = entry.runId();
        if (runId == null || target == null) {
            shares.release(entry.tenant());
            ack(entry);
            return;
        }
        inFlight.add(entry);
        held.hold(runId, entryId);
        Run submitted = submittedHere.remove(runId);
        Uni<Void> work = start != null ? target.proceed(start)
                : deliveries > 1 + config.maxClaims() ? target.abandon(runId, deliveries)
                : target.process(runId, deliveries == 1 ? submitted : null);
        work.onTermination().invoke((ok, failure, cancelled) -> {
                    boolean acknowledged = held.release(runId, entryId);
                    if (failure != null) {
                        // Leave the entry pending: another attempt (here or elsewhere) will claim it.
                        LOG.errorf(failure, "run %s could not be executed; it stays queued", runId);
                        inFlight.remove(entry);
                    } else if (acknowledged) {
                        // The write that ended the run acknowledged the entry (see HeldEntries).
                        inFlight.remove(entry);
                    } else {
                        ack(entry);
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
        List<Uni<Void>> sent = new ArrayList<>();
        sent.add(requeueWaiting());
        byPartition(List.copyOf(inFlight)).forEach((partition, entries) -> sent.add(stream()
                .xclaim(queues[partition], GROUP, consumerName, Duration.ZERO, new XClaimArgs().justId(),
                        entries.stream().map(Entry::id).toArray(String[]::new))
                .replaceWithVoid()));
        return Uni.join().all(sent).andCollectFailures().replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    outage(failure);
                    return null;
                });
    }

    /** Sends the entries waiting here back to the stream's tail, in one script. */
    private Uni<Void> requeueWaiting() {
        return sendBack(shares.drain());
    }

    /** Sends entries read here and not started back to their streams' tails, one script per partition. */
    private Uni<Void> sendBack(List<Entry> waiting) {
        if (waiting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sent = new ArrayList<>();
        byPartition(waiting).forEach((partition, entries) ->
                sent.add(redis.run(requeueCall(queues[partition], consumerName, entries)).replaceWithVoid()));
        return Uni.join().all(sent).andCollectFailures().replaceWithVoid();
    }

    private static Map<Integer, List<Entry>> byPartition(List<Entry> entries) {
        Map<Integer, List<Entry>> grouped = new java.util.TreeMap<>();
        entries.forEach(entry -> grouped.computeIfAbsent(entry.partition(), p -> new ArrayList<>()).add(entry));
        return grouped;
    }

    /** Acknowledges and deletes the entry, both in one round trip (a pipeline of one partition's stream). */
    private void ack(Entry entry) {
        String queue = queues[entry.partition()];
        redis.redis().getRedis().batch(List.of(Request.cmd(Command.XACK).arg(queue).arg(GROUP).arg(entry.id()),
                        Request.cmd(Command.XDEL).arg(queue).arg(entry.id())))
                .subscribe().with(done -> inFlight.remove(entry), failure -> {
                    // The run has ended and is stored; if the entry comes back, the consumer sees it ended.
                    inFlight.remove(entry);
                    outage(failure);
                });
    }

    /** Creates the groups once (and again if Redis lost one, e.g. after a restart without persistence). */
    private Uni<Void> ensureGroup() {
        if (groupReady.get()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(java.util.Arrays.stream(queues)
                        .map(queue -> stream().xgroupCreate(queue, GROUP, "0", new XGroupCreateArgs().mkstream())
                                .onFailure(failure -> RedisAccess.isError(failure, "BUSYGROUP")).recoverWithNull())
                        .toList()).andFailFast()
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

    /**
     * Redis being down is reported once in a while, not once per poll. After {@link #stop()} a failure is the stop's
     * own doing (the read blocked in Redis fails as the client closes under it): not a warning.
     */
    private void outage(Throwable failure) {
        if (!running.get()) {
            LOG.debugf("run queue stopped: %s", failure.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastOutageLog > 10_000) {
            lastOutageLog = now;
            LOG.warnf("run queue unavailable: %s", failure.getMessage());
        }
    }

    private Entry entry(StreamMessage<String, String, String> message) {
        return new Entry(message.id(), parseRunId(message.payload().get("run_id")),
                message.payload().getOrDefault("tenant", ""), partitionOfQueue.get(message.key()));
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
}
