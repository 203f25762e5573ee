package dev.agentruntime.tools.todo;

import dev.agentruntime.store.StoreBackend;
import dev.agentruntime.store.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Todos are kept where the runs are: in Redis when it is the store, else in this process. */
@ApplicationScoped
public class TodoRepositoryProducer {

    @Produces
    @ApplicationScoped
    TodoRepository todoRepository(StoreBackend backend, StoreConfig config, Clock clock) {
        return backend.redis().<TodoRepository>map(redis -> new RedisTodoRepository(redis, config.ttl()))
                .orElseGet(() -> new MemoryTodoRepository(clock, config.ttl()));
    }
}
