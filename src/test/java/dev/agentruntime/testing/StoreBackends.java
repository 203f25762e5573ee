package dev.agentruntime.testing;

import dev.agentruntime.limits.LimitsConfig;
import dev.agentruntime.limits.MemoryTenantLimits;
import dev.agentruntime.limits.RedisTenantLimits;
import dev.agentruntime.limits.TenantLimits;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.StoreBackend;
import dev.agentruntime.store.StoreConfig;
import dev.agentruntime.store.TenantShares;
import dev.agentruntime.store.memory.MemoryBackend;
import dev.agentruntime.store.redis.RedisBackend;
import dev.agentruntime.store.redis.RedisSupport;
import dev.agentruntime.tools.todo.MemoryTodoRepository;
import dev.agentruntime.tools.todo.RedisTodoRepository;
import dev.agentruntime.tools.todo.TodoRepository;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The state store's backends, built without Quarkus for the port contract tests: each test opens a fresh
 * {@link Fixture} on the memory store or on a real redis-server (one per test JVM, flushed for every fixture).
 * A new backend is proven by adding it to {@link Kind}.
 */
public final class StoreBackends {

    private StoreBackends() {
    }

    /** Settings a contract may change from the defaults. */
    public record Settings(Duration ttl, int maxRuns, int maxQueued, int maxUnfinished, int runsPerMinute,
                           long dailyTokens, Duration eventsRetention, int perTenant) {
        /** The executor slots of every fixture's queue. */
        public static final int SLOTS = 4;

        public static Settings defaults() {
            return new Settings(Duration.ofHours(1), 100, 1000, 0, 0, 0, Duration.ofHours(1), SLOTS);
        }

        public Settings withTtl(Duration value) {
            return new Settings(value, maxRuns, maxQueued, maxUnfinished, runsPerMinute, dailyTokens,
                    eventsRetention, perTenant);
        }

        public Settings withMaxQueued(int value) {
            return new Settings(ttl, maxRuns, value, maxUnfinished, runsPerMinute, dailyTokens, eventsRetention,
                    perTenant);
        }

        public Settings withMaxUnfinished(int value) {
            return new Settings(ttl, maxRuns, maxQueued, value, runsPerMinute, dailyTokens, eventsRetention,
                    perTenant);
        }

        public Settings withLimits(int perMinute, long tokens) {
            return new Settings(ttl, maxRuns, maxQueued, maxUnfinished, perMinute, tokens, eventsRetention,
                    perTenant);
        }

        public Settings withEventsRetention(Duration value) {
            return new Settings(ttl, maxRuns, maxQueued, maxUnfinished, runsPerMinute, dailyTokens, value,
                    perTenant);
        }

        /** How many of the {@link #SLOTS} slots one tenant may hold. */
        public Settings withPerTenant(int value) {
            return new Settings(ttl, maxRuns, maxQueued, maxUnfinished, runsPerMinute, dailyTokens, eventsRetention,
                    value);
        }

        TenantShares.Share share() {
            return new TenantShares.Share(SLOTS, perTenant);
        }
    }

    /** Every port of one backend, on a clock the test moves. */
    public record Fixture(Kind kind, StoreBackend backend, TodoRepository todos, TenantLimits limits,
                          MutableClock clock) {
    }

    public enum Kind {
        MEMORY {
            @Override
            public Fixture open(Settings settings) {
                MutableClock clock = new MutableClock(Instant.now());
                return new Fixture(this, MemoryBackend.create(store(settings), queue(settings), settings.share(), clock,
                        TestJson.mapper()),
                        new MemoryTodoRepository(clock, settings.ttl()), new MemoryTenantLimits(limits(settings), clock),
                        clock);
            }
        },
        REDIS {
            @Override
            public Fixture open(Settings settings) {
                return openRedis(this, SharedRedis.SINGLE, settings);
            }
        },
        /** The same adapters on a local three-primary Redis Cluster (issue 31). */
        REDIS_CLUSTER {
            @Override
            public Fixture open(Settings settings) {
                return openRedis(this, SharedRedis.CLUSTER, settings);
            }
        };

        public abstract Fixture open(Settings settings);

        public Fixture open() {
            return open(Settings.defaults());
        }
    }

    private static Fixture openRedis(Kind kind, SharedRedis shared, Settings settings) {
        return openRedis(kind, shared, settings, RedisSupport.Replicas.NONE);
    }

    /** A fixture on the local cluster whose writes that must not be lost wait for {@code replicas} (WAIT). */
    public static Fixture openCluster(RedisSupport.Replicas replicas) {
        return openRedis(Kind.REDIS_CLUSTER, SharedRedis.CLUSTER, Settings.defaults(), replicas);
    }

    private static Fixture openRedis(Kind kind, SharedRedis shared, Settings settings,
                                     RedisSupport.Replicas replicas) {
        shared.flush();
        MutableClock clock = new MutableClock(Instant.now());
        RedisSupport redis = new RedisSupport(shared.dataSource(), TestJson.mapper(), "test:", true,
                shared == SharedRedis.CLUSTER, replicas);
        return new Fixture(kind, RedisBackend.create(redis, store(settings), queue(settings), settings.share(), clock),
                new RedisTodoRepository(redis.access(), settings.ttl()),
                new RedisTenantLimits(redis.access(), limits(settings), clock), clock);
    }

    /** The shared Redis behind {@link Kind#REDIS} fixtures, for tests that look at what the store did. */
    public static io.quarkus.redis.datasource.ReactiveRedisDataSource sharedRedis() {
        return SharedRedis.SINGLE.dataSource();
    }

    /** The shared Redis Cluster behind {@link Kind#REDIS_CLUSTER} fixtures (started on first use). */
    public static RedisCluster sharedCluster() {
        SharedRedis.CLUSTER.dataSource();
        return SharedRedis.CLUSTER.cluster;
    }

    /**
     * One redis-server, and one Redis Cluster, with a client each, for the whole test JVM: starting one per test
     * would dominate the suite. The cluster starts only when a test uses it.
     */
    private enum SharedRedis {
        SINGLE, CLUSTER;

        private RedisProcess process;
        private RedisCluster cluster;
        private ReactiveRedisDataSourceImpl dataSource;

        synchronized ReactiveRedisDataSourceImpl dataSource() {
            if (cluster != null && !cluster.running()) {
                // Another class loader's copy of this class (Quarkus loads test classes apart) started a cluster on
                // the same fixed ports, which shut this one down first: start it again, with a new client.
                dataSource.getRedis().close();
                try {
                    cluster.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                cluster = null;
                dataSource = null;
            }
            if (dataSource == null) {
                // Sized like the application's pool (application.properties), so concurrency tests can queue.
                RedisOptions options = new RedisOptions().setMaxPoolSize(16).setMaxPoolWaiting(2048);
                try {
                    if (this == SINGLE) {
                        process = new RedisProcess();
                        process.start();
                        options.setConnectionString(process.uri());
                    } else {
                        cluster = RedisCluster.start();
                        options.setType(io.vertx.redis.client.RedisClientType.CLUSTER);
                        cluster.uris().forEach(options::addConnectionString);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                RedisCluster started = cluster;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        if (process != null) {
                            process.stop();
                        }
                        if (started != null) {
                            started.close();
                        }
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }));
                Vertx vertx = Vertx.vertx();
                Redis client = Redis.createClient(vertx, options);
                dataSource = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
            }
            return dataSource;
        }

        void flush() {
            ReactiveRedisDataSourceImpl redis = dataSource();
            if (cluster == null) {
                redis.execute("FLUSHALL").await().atMost(Duration.ofSeconds(5));
                return;
            }
            try {
                cluster.flushAll();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static StoreConfig store(Settings settings) {
        return new StoreConfig() {
            public Type type() {
                return Type.MEMORY;
            }

            public Duration ttl() {
                return settings.ttl();
            }

            public String keyPrefix() {
                return "test:";
            }

            public boolean compactRecords() {
                return true;
            }

            public int redisMemoryHeadroomPercent() {
                return 5;
            }

            public int redisWaitReplicas() {
                return 0;
            }

            public Duration redisWaitTimeout() {
                return Duration.ofMillis(100);
            }

            public Duration eventsRetention() {
                return settings.eventsRetention();
            }

            public Duration eventPollInterval() {
                return Duration.ofMillis(20);
            }

            public int memoryMaxRuns() {
                return settings.maxRuns();
            }

            public io.quarkus.runtime.configuration.MemorySize memoryMaxBytes() {
                return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.valueOf(64L << 20));
            }
        };
    }

    /**
     * Another instance on the Redis of the last {@link Kind#REDIS} fixture (not flushed), executing as consumer
     * {@code consumer} of the same queue, on the fixture's clock.
     */
    public static StoreBackend anotherRedisInstance(Fixture fixture, Settings settings, String consumer) {
        SharedRedis shared = fixture.kind() == Kind.REDIS_CLUSTER ? SharedRedis.CLUSTER : SharedRedis.SINGLE;
        RedisSupport redis = new RedisSupport(shared.dataSource(), TestJson.mapper(), "test:", true,
                shared == SharedRedis.CLUSTER);
        return RedisBackend.create(redis, store(settings), queue(settings, consumer), settings.share(),
                fixture.clock());
    }

    private static QueueConfig queue(Settings settings) {
        return queue(settings, "contract");
    }

    private static QueueConfig queue(Settings settings, String consumer) {
        return new QueueConfig() {
            public int maxQueued() {
                return settings.maxQueued();
            }

            public int maxUnfinishedPerTenant() {
                return settings.maxUnfinished();
            }

            public int maxConcurrent() {
                return Settings.SLOTS;
            }

            public java.util.OptionalInt maxConcurrentPerTenant() {
                return java.util.OptionalInt.of(settings.perTenant());
            }

            public Duration claimIdle() {
                return Duration.ofSeconds(2);
            }

            public int maxClaims() {
                return 2;
            }

            public Optional<String> consumerName() {
                return Optional.of(consumer);
            }
        };
    }

    private static LimitsConfig limits(Settings settings) {
        return new LimitsConfig() {
            public int runsPerMinute() {
                return settings.runsPerMinute();
            }

            public long dailyTokens() {
                return settings.dailyTokens();
            }

            public double dailyUsd() {
                return 0;
            }
        };
    }
}
