package dev.agentruntime.store.redis;

import dev.agentruntime.redis.RedisAccess;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.util.List;

/**
 * The connection everything an event stream reads goes over: the run when a stream opens, the check of its
 * Last-Event-ID, an ended run's history and the shared poll of live events ({@link EventPoller}). Taken once and
 * held, so that a crowd of followers never takes from the pool the connections the executors write with; opened
 * again after it breaks. Commands on it are pipelined, never blocking.
 */
final class FollowerConnection {

    private final RedisAccess redis;
    private volatile RedisConnection connection;
    private Uni<RedisConnection> connecting;

    FollowerConnection(RedisAccess redis) {
        this.redis = redis;
    }

    Uni<Response> send(Request request) {
        return redis.guard(connected().flatMap(open -> open.send(request)).onFailure().invoke(this::dropOnBreak));
    }

    Uni<List<Response>> batch(List<Request> requests) {
        return redis.guard(connected().flatMap(open -> open.batch(requests)).onFailure().invoke(this::dropOnBreak));
    }

    private Uni<RedisConnection> connected() {
        RedisConnection open = connection;
        if (open != null) {
            return Uni.createFrom().item(open);
        }
        synchronized (this) {
            if (connection != null) {
                return Uni.createFrom().item(connection);
            }
            if (connecting == null) {
                // Callers that arrive while it connects wait for the same connection.
                connecting = redis.redis().getRedis().connect()
                        .invoke(made -> {
                            made.exceptionHandler(failure -> drop(made));
                            made.endHandler(() -> drop(made));
                            connection = made;
                        })
                        .onTermination().invoke(() -> {
                            synchronized (this) {
                                connecting = null;
                            }
                        })
                        .memoize().indefinitely();
            }
            return connecting;
        }
    }

    /** A Redis error reply (NOSCRIPT, OOM…) leaves the connection usable; anything else may have broken it. */
    private void dropOnBreak(Throwable failure) {
        if (!(failure instanceof io.vertx.redis.client.impl.types.ErrorType)) {
            RedisConnection open = connection;
            if (open != null) {
                drop(open);
            }
        }
    }

    private void drop(RedisConnection broken) {
        synchronized (this) {
            if (connection != broken) {
                return;
            }
            connection = null;
        }
        broken.close().subscribe().with(ok -> { }, failure -> { });
    }
}
