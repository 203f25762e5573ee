package dev.agentruntime.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Turns an API key or a JWT into an identity whose principal is the tenant. */
@ApplicationScoped
public class TenantIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final AuthConfig config;
    private final ApiKeys apiKeys;
    private final JwtVerifier jwt;

    public TenantIdentityProvider(AuthConfig config, ApiKeys apiKeys, JwtVerifier jwt) {
        this.config = config;
        this.apiKeys = apiKeys;
        this.jwt = jwt;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        Optional<Caller> caller = config.mode() == AuthConfig.Mode.JWT ? jwt.callerOf(token)
                : apiKeys.tenantOf(token).map(tenant -> Caller.of(tenant, null));
        if (caller.isEmpty()) {
            String what = config.mode() == AuthConfig.Mode.JWT ? "the token is invalid or expired"
                    : "the API key is not valid";
            return Uni.createFrom().failure(new AuthenticationFailedException(what));
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.get().tenant()))
                .addRole("tenant");
        if (caller.get().subject() != null) {
            identity.addAttribute(RequestTenant.SUBJECT, caller.get().subject());
        }
        return Uni.createFrom().item(identity.build());
    }
}
