package dev.agentruntime.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test started (a Redis, instances of the app, a load driver), stopped after it in the reverse order whatever
 * it asserted: one teardown for the tests that start several processes, in place of fields and an
 * {@code @AfterEach} each. Registered per test: {@code @RegisterExtension final Started started = new Started();}.
 */
public final class Started implements AfterEachCallback {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Stopped after the test, before whatever was added earlier. */
    public synchronized <T extends AutoCloseable> T add(T closeable) {
        started.add(closeable);
        return closeable;
    }

    /** A redis-server on a free port, running. */
    public RedisProcess redis() throws IOException {
        RedisProcess redis = add(new RedisProcess());
        redis.start();
        return redis;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }
}
