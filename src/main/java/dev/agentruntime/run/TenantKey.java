package dev.agentruntime.run;

import java.util.Objects;

/**
 * A name that is unique only within its tenant (an {@code Idempotency-Key}, a token's subject), made unique across
 * tenants. Its one written form, {@link #id()}, is the one stored and audited so far ({@code acme/alice}); tenant
 * names have no {@code /}, so the first one ends the tenant.
 */
public record TenantKey(String tenant, String key) {

    public TenantKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
    }

    /** {@code tenant/key}. */
    public String id() {
        return tenant + "/" + key;
    }
}
