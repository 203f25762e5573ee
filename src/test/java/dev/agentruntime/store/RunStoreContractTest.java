package dev.agentruntime.store;

import dev.agentruntime.run.Run;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.agentruntime.testing.TestRuns.json;
import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link RunStore} does, proven on each backend below the HTTP level. */
class RunStoreContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void aSavedRunIsFoundAsSaved(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        Run run = TestRuns.planned("acme", store.clock().instant());

        store.backend().runs().save(run).await().atMost(WAIT);

        assertThat(json(store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow())).isEqualTo(json(run));
    }

    @OnEveryBackend
    void aTenantListsOnlyItsOwnRunsNewestFirstByPage(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        List<Run> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Run run = TestRuns.planned("acme", store.clock().instant());
            store.backend().runs().save(run).await().atMost(WAIT);
            store.backend().runs().save(TestRuns.planned("globex", store.clock().instant())).await().atMost(WAIT);
            acme.add(0, run);
            store.clock().advance(Duration.ofMillis(10));
        }

        assertThat(json(store.backend().runs().list("acme", 10, 0).await().atMost(WAIT))).isEqualTo(json(acme));
        assertThat(json(store.backend().runs().list("acme", 2, 1).await().atMost(WAIT))).isEqualTo(json(acme.subList(1, 3)));
        assertThat(store.backend().runs().list("initech", 10, 0).await().atMost(WAIT)).isEmpty();
    }

    @OnEveryBackend
    void aRunIsGoneOnceItsTtlHasPassedSinceItsCreation(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withTtl(Duration.ofHours(1)));
        Run old = TestRuns.planned("acme", store.clock().instant().minus(Duration.ofHours(1).plusSeconds(1)));
        Run fresh = TestRuns.planned("acme", store.clock().instant());

        store.backend().runs().save(old).await().atMost(WAIT);
        store.backend().runs().save(fresh).await().atMost(WAIT);

        assertThat(store.backend().runs().find(old.runId()).await().atMost(WAIT)).isEmpty();
        assertThat(json(store.backend().runs().list("acme", 10, 0).await().atMost(WAIT))).isEqualTo(json(List.of(fresh)));
    }
}
