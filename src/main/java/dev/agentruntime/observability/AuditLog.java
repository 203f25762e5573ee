package dev.agentruntime.observability;

import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.ErrorKind;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One structured line per run created, cancelled or refused, on the {@code audit} category: tenant, run id,
 * action, outcome and client address travel in the MDC (JSON fields in production). Never a credential.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger("audit");

    public void created(String tenant, String runId, String client) {
        write(tenant, runId, "create", "created", client);
    }

    public void replayed(String tenant, String runId, String client) {
        write(tenant, runId, "create", "replayed", client);
    }

    /**
     * A fork of {@code sourceId} was created as {@code runId} (the line names the new run, like a creation), or
     * {@code replayed} by its idempotency key.
     */
    public void forked(String tenant, String runId, String sourceId, boolean replayed, String client) {
        MDC.put("audit_forked_from", sourceId);
        try {
            write(tenant, runId, "fork", replayed ? "replayed" : "created", client, " forked_from=" + sourceId);
        } finally {
            MDC.remove("audit_forked_from");
        }
    }

    public void cancelled(String tenant, String runId, String client) {
        write(tenant, runId, "cancel", "accepted", client);
    }

    /** Logged as {@code refused:<kind>}, e.g. {@code refused:unauthorized}, {@code refused:rate_limited}. */
    public void refused(String tenant, String runId, String action, ErrorKind why, String client) {
        write(tenant, runId, action, "refused:" + why.wireName(), client);
    }

    /**
     * The same for a failure: the runtime's own say which kind; any other is audited as the store being
     * unavailable, the usual cause.
     */
    public void refused(String tenant, String runId, String action, Throwable failure, String client) {
        refused(tenant, runId, action, failure instanceof AgentException known ? known.kind()
                : ErrorKind.STORE_UNAVAILABLE, client);
    }

    /**
     * A step called a tool that does not come with the runtime (an MCP server's): who called what, and how it
     * ended. Never the arguments: they may hold anything the tenant sent.
     */
    public void toolCalled(String tenant, String runId, int step, String tool, String source, String outcome) {
        MDC.put("audit_tool", tool);
        MDC.put("audit_tool_source", source);
        MDC.put("audit_step", Integer.toString(step));
        try {
            write(tenant, runId, "call_tool", outcome, "-", " step=" + step + " tool=" + tool + " source=" + source);
        } finally {
            MDC.remove("audit_tool");
            MDC.remove("audit_tool_source");
            MDC.remove("audit_step");
        }
    }

    /**
     * A decision about a request for approval: who (the tenant, and the JWT subject when there is one; nobody for an
     * expiry), about which step and exactly which call (its input hash), and what.
     */
    public void approvalDecided(String tenant, String decidedBy, String runId, int step, String inputHash,
                                String decision) {
        MDC.put("audit_step", Integer.toString(step));
        MDC.put("audit_input_hash", inputHash);
        MDC.put("audit_decided_by", decidedBy == null ? "-" : decidedBy);
        try {
            write(tenant, runId, "decide_approval", decision, "-", " step=" + step + " input_hash=" + inputHash
                    + " decided_by=" + (decidedBy == null ? "-" : decidedBy));
        } finally {
            MDC.remove("audit_step");
            MDC.remove("audit_input_hash");
            MDC.remove("audit_decided_by");
        }
    }

    /** The caller's address as the server sees it (no proxy headers are trusted), for audit lines. */
    public static String clientOf(io.vertx.core.http.HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }

    private static void write(String tenant, String runId, String action, String outcome, String client) {
        write(tenant, runId, action, outcome, client, "");
    }

    private static void write(String tenant, String runId, String action, String outcome, String client,
                              String detail) {
        MDC.put("audit_tenant", tenant == null ? "-" : tenant);
        MDC.put("run_id", runId == null ? "-" : runId);
        MDC.put("audit_action", action);
        MDC.put("audit_outcome", outcome);
        MDC.put("client_address", client == null ? "-" : client);
        try {
            LOG.infof("audit %s %s tenant=%s run=%s client=%s%s", action, outcome, tenant, runId, client, detail);
        } finally {
            MDC.remove("audit_tenant");
            MDC.remove("run_id");
            MDC.remove("audit_action");
            MDC.remove("audit_outcome");
            MDC.remove("client_address");
        }
    }
}
