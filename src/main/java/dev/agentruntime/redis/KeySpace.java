package dev.agentruntime.redis;

/**
 * Where an application's keys live on a Redis it may share: every key is its name behind one prefix
 * ({@code agent.store.key-prefix}). Only the prefix is common ground; each adapter lays out its own names in one
 * place (the run store's in {@code RunKeys}), so a change of layout (Redis Cluster's hash tags) is made there.
 */
public record KeySpace(String prefix) {

    public KeySpace {
        if (prefix == null) {
            throw new IllegalArgumentException("a key prefix may be empty, never null");
        }
    }

    public String key(String name) {
        return prefix + name;
    }
}
