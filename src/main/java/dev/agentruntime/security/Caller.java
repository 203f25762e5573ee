package dev.agentruntime.security;

import dev.agentruntime.run.TenantKey;

/**
 * Who calls, as a face (HTTP API, MCP server, command line) resolves it and hands it to the use cases: the tenant,
 * the JWT's subject when there is one, and where the call came from (for audit lines: an address, {@code mcp}).
 */
public record Caller(String tenant, String subject, String client) {

    /** An identity as authentication establishes it; where it calls from is the face's to add ({@link #from}). */
    public static Caller of(String tenant, String subject) {
        return new Caller(tenant, subject, null);
    }

    public Caller from(String client) {
        return new Caller(tenant, subject, client);
    }

    /** Who acts, for audit and decisions: the tenant, and the subject when there is one ({@code acme/alice}). */
    public String actor() {
        return subject == null ? tenant : new TenantKey(tenant, subject).id();
    }
}
