package dev.agentruntime.tools.todo;

import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link TodoRepository} does, on each backend: per tenant, oldest first, adds idempotent by id. */
class TodoRepositoryContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void anAddIsIdempotentByIdAndListsAreOldestFirstPerTenant(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        TodoRepository todos = store.todos();
        Instant now = store.clock().instant();
        Todo milk = new Todo("t1", "buy milk", false, now, null);
        Todo eggs = new Todo("t2", "buy eggs", false, now.plusMillis(5), null);

        assertThat(todos.insertIfAbsent("acme", milk).await().atMost(WAIT)).isEqualTo(milk);
        assertThat(todos.insertIfAbsent("acme", new Todo("t1", "other", false, now, null)).await().atMost(WAIT))
                .as("a retried add returns what is stored").isEqualTo(milk);
        todos.insertIfAbsent("acme", eggs).await().atMost(WAIT);
        todos.insertIfAbsent("globex", new Todo("t3", "secret", false, now, null)).await().atMost(WAIT);

        assertThat(todos.list("acme").await().atMost(WAIT)).containsExactly(milk, eggs);
        assertThat(todos.find("globex", "t1").await().atMost(WAIT)).isEmpty();
    }

    @OnEveryBackend
    void updatesAndDeletesReportWhetherTheTodoExisted(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        TodoRepository todos = store.todos();
        Todo milk = new Todo("t1", "buy milk", false, store.clock().instant(), null);
        todos.insertIfAbsent("acme", milk).await().atMost(WAIT);
        Todo done = milk.complete(store.clock().instant());

        assertThat(todos.update("acme", done).await().atMost(WAIT)).isTrue();
        assertThat(todos.find("acme", "t1").await().atMost(WAIT)).contains(done);
        assertThat(todos.update("acme", new Todo("nope", "x", true, milk.createdAt(), null)).await().atMost(WAIT))
                .isFalse();
        assertThat(todos.find("acme", "nope").await().atMost(WAIT)).isEmpty();

        assertThat(todos.delete("acme", "t1").await().atMost(WAIT)).isTrue();
        assertThat(todos.delete("acme", "t1").await().atMost(WAIT)).isFalse();
        assertThat(todos.list("acme").await().atMost(WAIT)).isEmpty();
    }
}
