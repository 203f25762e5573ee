package dev.agentruntime.security;

import dev.agentruntime.run.Run;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link TenantFilter} before any resource method runs. */
@RequestScoped
public class RequestTenant {

    /** The identity attribute that carries a JWT's subject. */
    public static final String SUBJECT = "subject";

    private Caller caller = Caller.of(Run.DEFAULT_TENANT, null);

    public String get() {
        return caller.tenant();
    }

    /** Who calls (the tenant, and the JWT's subject when there is one), calling from {@code client}. */
    public Caller caller(String client) {
        return caller.from(client);
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
