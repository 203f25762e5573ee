package dev.agentruntime.tools.todo;

import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;

import java.time.Duration;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link TodoRepository} does, on each backend: per tenant, oldest first, adds idempotent by id. */
class TodoRepositoryContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int MAX = 100;

    @OnEveryBackend
    void anAddIsIdempotentByIdAndListsAreOldestFirstPerTenant(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        TodoRepository todos = store.todos();
        Instant now = store.clock().instant();
        Todo milk = new Todo("t1", "buy milk", false, now, null);
        Todo eggs = new Todo("t2", "buy eggs", false, now.plusMillis(5), null);

        assertThat(todos.insertIfAbsent("acme", milk, MAX).await().atMost(WAIT)).contains(milk);
        assertThat(todos.insertIfAbsent("acme", new Todo("t1", "other", false, now, null), MAX).await().atMost(WAIT))
                .as("a retried add returns what is stored").contains(milk);
        todos.insertIfAbsent("acme", eggs, MAX).await().atMost(WAIT);
        todos.insertIfAbsent("globex", new Todo("t3", "secret", false, now, null), MAX).await().atMost(WAIT);

        assertThat(todos.page("acme", 10, 0).await().atMost(WAIT))
                .isEqualTo(new TodoRepository.Page(List.of(milk, eggs), 2, 0));
        assertThat(todos.find("globex", "t1").await().atMost(WAIT)).isEmpty();
    }

    @OnEveryBackend
    void completionsAndDeletesReportWhetherTheTodoExisted(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        TodoRepository todos = store.todos();
        Todo milk = new Todo("t1", "buy milk", false, store.clock().instant(), null);
        todos.insertIfAbsent("acme", milk, MAX).await().atMost(WAIT);
        Instant now = store.clock().instant().plusSeconds(5);

        assertThat(todos.complete("acme", "t1", now).await().atMost(WAIT)).contains(milk.complete(now));
        assertThat(todos.find("acme", "t1").await().atMost(WAIT)).contains(milk.complete(now));
        assertThat(todos.complete("acme", "nope", now).await().atMost(WAIT)).isEmpty();
        assertThat(todos.complete("globex", "t1", now).await().atMost(WAIT)).as("another tenant's").isEmpty();

        assertThat(todos.delete("acme", "t1").await().atMost(WAIT)).isTrue();
        assertThat(todos.delete("acme", "t1").await().atMost(WAIT)).isFalse();
        assertThat(todos.page("acme", 10, 0).await().atMost(WAIT).total()).isZero();
    }

    /** Issue 13, item 11: on Redis, 50 concurrent completions used to store up to 50 different completed_at. */
    @OnEveryBackend
    void concurrentCompletionsAgreeOnOneCompletedAt(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        TodoRepository todos = store.todos();
        Instant created = store.clock().instant();
        todos.insertIfAbsent("acme", new Todo("t1", "buy milk", false, created, null), MAX).await().atMost(WAIT);

        List<Uni<Optional<Todo>>> completions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            completions.add(todos.complete("acme", "t1", created.plusMillis(i + 1)));
        }
        List<Optional<Todo>> answers = Uni.join().all(completions).andFailFast().await().atMost(WAIT);

        Set<Instant> completedAt = answers.stream().map(done -> done.orElseThrow().completedAt())
                .collect(Collectors.toSet());
        assertThat(completedAt).hasSize(1);
        assertThat(todos.find("acme", "t1").await().atMost(WAIT).orElseThrow().completedAt())
                .isEqualTo(completedAt.iterator().next());
    }

    /** Issue 13, item 1: a tenant could add todos without end, and every list copied all of them. */
    @OnEveryBackend
    void aTenantKeepsAtMostItsCapAndListsComeInPagesWithExactCounts(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        TodoRepository todos = store.todos();
        Instant start = store.clock().instant();
        for (int i = 0; i < 5; i++) {
            Todo todo = new Todo("t" + i, "todo " + i, false, start.plusMillis(i), null);
            assertThat(todos.insertIfAbsent("acme", todo, 5).await().atMost(WAIT)).contains(todo);
        }
        Todo sixth = new Todo("t5", "one too many", false, start.plusMillis(5), null);
        assertThat(todos.insertIfAbsent("acme", sixth, 5).await().atMost(WAIT)).as("over the cap").isEmpty();
        assertThat(todos.find("acme", "t5").await().atMost(WAIT)).isEmpty();
        assertThat(todos.insertIfAbsent("globex", sixth, 5).await().atMost(WAIT)).as("another tenant").contains(sixth);
        todos.complete("acme", "t1", start.plusSeconds(1)).await().atMost(WAIT);
        todos.complete("acme", "t3", start.plusSeconds(1)).await().atMost(WAIT);

        TodoRepository.Page page = todos.page("acme", 2, 1).await().atMost(WAIT);
        assertThat(page.todos()).extracting(Todo::id).containsExactly("t1", "t2");
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.completed()).isEqualTo(2);
        assertThat(todos.page("acme", 10, 4).await().atMost(WAIT).todos()).extracting(Todo::id).containsExactly("t4");
        assertThat(todos.page("acme", 10, 9).await().atMost(WAIT).todos()).isEmpty();

        todos.delete("acme", "t0").await().atMost(WAIT);
        assertThat(todos.insertIfAbsent("acme", sixth, 5).await().atMost(WAIT)).as("room again").contains(sixth);
    }
}
