package dev.agentruntime.api;

import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * The sessions of the runtime's MCP server, by tenant: who opened each, how many each tenant and all together hold,
 * and how many event streams each has open. The extension keeps the sessions themselves ({@link ConnectionManager})
 * and ends them on {@code DELETE} or when they idle out without telling anyone, so a session it no longer has is
 * forgotten here whenever sessions are counted. A legacy SSE session lives as long as its stream and counts as long
 * as that is open; its id is learnt from its first message, whose tenant owns it from then on.
 */
@Singleton
public class McpSessions {

    /** Why a session is refused. */
    enum Refusal { TENANT_FULL, SERVER_FULL }

    /** A session being opened: counted from the moment it is let through until it is known to exist or not. */
    static final class Reservation {
        private final String tenant;
        private final boolean legacy;
        private boolean settled;

        private Reservation(String tenant, boolean legacy) {
            this.tenant = tenant;
            this.legacy = legacy;
        }
    }

    /** A reservation, or why there is none. */
    record Attempt(Reservation reservation, Refusal refusal) {
    }

    private final ConnectionManager connections;
    private final McpServerConfig config;
    private final Map<String, String> owners = new HashMap<>();
    private final Map<String, String> legacyOwners = new HashMap<>();
    private final Map<String, Integer> held = new HashMap<>();
    private final Map<String, Integer> streams = new HashMap<>();
    private int total;

    public McpSessions(ConnectionManager connections, McpServerConfig config) {
        this.connections = connections;
        this.config = config;
    }

    /**
     * Room for one more session of {@code tenant} (a Streamable HTTP {@code initialize}, or a legacy SSE stream),
     * held until {@link #opened} or {@link #release}.
     */
    synchronized Attempt open(String tenant, boolean legacy) {
        forgetEnded();
        if (held.getOrDefault(tenant, 0) >= config.maxSessionsPerTenant()) {
            return new Attempt(null, Refusal.TENANT_FULL);
        }
        if (total >= config.maxSessions()) {
            return new Attempt(null, Refusal.SERVER_FULL);
        }
        held.merge(tenant, 1, Integer::sum);
        total++;
        return new Attempt(new Reservation(tenant, legacy), null);
    }

    /** The {@code initialize} answer named the session (null: no session was opened). */
    synchronized void opened(Reservation reservation, String sessionId) {
        if (reservation.settled || reservation.legacy) {
            return;
        }
        reservation.settled = true;
        if (sessionId == null) {
            count(reservation.tenant, -1);
        } else {
            owners.put(sessionId, reservation.tenant);
        }
    }

    /** The exchange is over: a reservation that opened no session (or a legacy stream that closed) is given back. */
    synchronized void release(Reservation reservation) {
        if (!reservation.settled) {
            reservation.settled = true;
            count(reservation.tenant, -1);
        }
    }

    /** Is {@code sessionId} a live Streamable HTTP session of {@code tenant}? Another tenant's is not there at all. */
    synchronized boolean owns(String tenant, String sessionId) {
        return tenant.equals(owners.get(sessionId)) && connections.has(sessionId);
    }

    /**
     * May {@code tenant} post to legacy session {@code sessionId}? The first tenant to post to a live legacy session
     * owns it.
     */
    synchronized boolean ownsLegacy(String tenant, String sessionId) {
        if (owners.containsKey(sessionId) || !connections.has(sessionId)) {
            return false;
        }
        return tenant.equals(legacyOwners.computeIfAbsent(sessionId, id -> tenant));
    }

    /** One more event stream on the session, if it has room. */
    synchronized boolean openStream(String sessionId) {
        int open = streams.getOrDefault(sessionId, 0);
        if (open >= config.maxStreamsPerSession()) {
            return false;
        }
        streams.put(sessionId, open + 1);
        return true;
    }

    synchronized void closeStream(String sessionId) {
        streams.computeIfPresent(sessionId, (id, open) -> open > 1 ? open - 1 : null);
    }

    /** Drops the sessions the extension ended ({@code DELETE}, idle time): their room is free again. */
    private void forgetEnded() {
        owners.entrySet().removeIf(session -> {
            boolean ended = !connections.has(session.getKey());
            if (ended) {
                count(session.getValue(), -1);
            }
            return ended;
        });
        legacyOwners.keySet().removeIf(id -> !connections.has(id));
    }

    private void count(String tenant, int change) {
        held.computeIfPresent(tenant, (name, count) -> count + change > 0 ? count + change : null);
        total += change;
    }
}
