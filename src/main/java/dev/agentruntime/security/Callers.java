package dev.agentruntime.security;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.UnauthorizedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Who is calling, read without blocking: the tenant (and a JWT's subject) of the current request's identity, which
 * authentication establishes lazily. Never {@code SecurityIdentity#getPrincipal()} on the event loop: with lazy
 * authentication that call may have to authenticate, and throws there ({@code BlockingOperationNotAllowed}).
 */
@ApplicationScoped
public class Callers {

    private static final Caller ANYONE = Caller.of(Run.DEFAULT_TENANT, null);

    private final AuthConfig config;
    private final CurrentIdentityAssociation identities;

    public Callers(AuthConfig config, CurrentIdentityAssociation identities) {
        this.config = config;
        this.identities = identities;
    }

    /** The caller; {@link UnauthorizedException} without valid credentials (tenant {@code default} with auth off). */
    public Uni<Caller> required() {
        if (config.mode() == AuthConfig.Mode.OFF) {
            return Uni.createFrom().item(ANYONE);
        }
        return identities.getDeferredIdentity()
                .onFailure(AuthenticationFailedException.class).transform(failure -> new UnauthorizedException(
                        failure.getMessage() == null ? "the credentials are not valid" : failure.getMessage()))
                .map(identity -> caller(identity).orElseThrow(() -> new UnauthorizedException(missing(config))));
    }

    /** What a caller without credentials is told, on the API and the MCP endpoint alike. */
    static String missing(AuthConfig config) {
        return "credentials are missing: send Authorization: Bearer <" + (config.mode() == AuthConfig.Mode.JWT
                ? "token" : "API key") + ">" + (config.mode() == AuthConfig.Mode.API_KEY ? " or X-API-Key: <API key>"
                : "");
    }

    /** The caller when there is one: empty for an anonymous request or one with invalid credentials. */
    public Uni<Optional<Caller>> optional() {
        if (config.mode() == AuthConfig.Mode.OFF) {
            return Uni.createFrom().item(Optional.of(ANYONE));
        }
        return identities.getDeferredIdentity().map(Callers::caller)
                .onFailure(AuthenticationFailedException.class).recoverWithItem(Optional.empty());
    }

    /**
     * The caller of a plain Vert.x route (no request context there): the identity that authentication established
     * for {@code request}; empty when anonymous or invalid.
     */
    public Uni<Optional<Caller>> of(RoutingContext request) {
        if (config.mode() == AuthConfig.Mode.OFF) {
            return Uni.createFrom().item(Optional.of(ANYONE));
        }
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(request, null);
        return identity == null ? Uni.createFrom().item(Optional.empty())
                : identity.map(found -> found == null ? Optional.<Caller>empty() : caller(found))
                .onFailure(AuthenticationFailedException.class).recoverWithItem(Optional.empty());
    }

    private static Optional<Caller> caller(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return Optional.empty();
        }
        Object subject = identity.getAttribute(RequestTenant.SUBJECT);
        return Optional.of(Caller.of(identity.getPrincipal().getName(),
                subject == null ? null : subject.toString()));
    }
}
