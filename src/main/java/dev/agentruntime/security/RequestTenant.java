package dev.agentruntime.security;

import dev.agentruntime.run.Run;
import jakarta.enterprise.context.RequestScoped;

/** The tenant of the current request, set by {@link TenantFilter} before any resource method runs. */
@RequestScoped
public class RequestTenant {

    private String tenant = Run.DEFAULT_TENANT;

    public String get() {
        return tenant;
    }

    void set(String tenant) {
        this.tenant = tenant;
    }
}
