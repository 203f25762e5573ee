package dev.agentruntime.security;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.TenantKey;
import jakarta.enterprise.context.RequestScoped;

/** The tenant of the current request, set by {@link TenantFilter} before any resource method runs. */
@RequestScoped
public class RequestTenant {

    /** The identity attribute that carries a JWT's subject. */
    public static final String SUBJECT = "subject";

    private String tenant = Run.DEFAULT_TENANT;
    private String subject;

    public String get() {
        return tenant;
    }

    /** Who acts, for audit and decisions: the tenant, and the JWT's subject when there is one ({@code acme/alice}). */
    public String actor() {
        return subject == null ? tenant : new TenantKey(tenant, subject).id();
    }

    void set(String tenant, String subject) {
        this.tenant = tenant;
        this.subject = subject;
    }
}
