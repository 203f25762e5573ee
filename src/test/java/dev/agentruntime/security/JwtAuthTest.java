package dev.agentruntime.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** JWT bearer tokens: the tenant comes from a claim; bad, expired, foreign or tenant-less tokens are 401. */
@QuarkusTest
@TestProfile(JwtAuthTest.Jwt.class)
class JwtAuthTest {

    static final String ISSUER = "https://issuer.test";
    static final RsaJsonWebKey SIGNER = key();
    static final RsaJsonWebKey STRANGER = key();

    public static class Jwt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(SIGNER.getPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----";
            return Map.of("agent.auth.mode", "jwt", "agent.auth.jwt.public-key", pem, "agent.auth.jwt.issuer", ISSUER,
                    "agent.approval.tools", "todo_store");
        }
    }

    @Test
    void aValidTokenActsForTheTenantInItsClaim() throws Exception {
        String acme = token(SIGNER, "acme", ISSUER, 300);
        String id = given().header("Authorization", "Bearer " + acme).header("Prefer", "wait=10")
                .contentType(ContentType.JSON).body(Map.of("prompt", "calculate 6 * 7")).post("/api/v1/runs")
                .then().statusCode(201).body("tenant", equalTo("acme")).body("result", equalTo(42))
                .extract().path("run_id");
        given().header("Authorization", "Bearer " + token(SIGNER, "globex", ISSUER, 300))
                .get("/api/v1/runs/" + id).then().statusCode(404);
        given().header("Authorization", "Bearer " + acme).get("/api/v1/runs/" + id).then().statusCode(200);
    }

    @Test
    void aDecisionRecordsTheTenantAndTheTokensSubject() throws Exception {
        String acme = token(SIGNER, "acme", ISSUER, 300);
        var paused = given().header("Authorization", "Bearer " + acme).header("Prefer", "wait=10")
                .contentType(ContentType.JSON).body(Map.of("prompt", "add todo to ask user-1")).post("/api/v1/runs")
                .then().statusCode(201).body("status", equalTo("awaiting_approval")).extract().jsonPath();
        given().header("Authorization", "Bearer " + acme).contentType(ContentType.JSON)
                .body(Map.of("input_hash", paused.getString("approval.input_hash")))
                .post("/api/v1/runs/" + paused.getString("run_id") + "/approve").then().statusCode(200)
                .body("approval.decided_by", equalTo("acme/user-1"));
    }

    @Test
    void badTokensAre401() throws Exception {
        for (String bad : new String[]{token(SIGNER, "acme", ISSUER, -60), token(STRANGER, "acme", ISSUER, 300),
                token(SIGNER, "acme", "https://someone.else", 300), token(SIGNER, null, ISSUER, 300),
                token(SIGNER, "bad tenant!", ISSUER, 300), "not.a.jwt", "e30.e30.e30"}) {
            given().header("Authorization", "Bearer " + bad).get("/api/v1/runs").then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("detail", equalTo("the token is invalid or expired"));
        }
        given().get("/api/v1/runs").then().statusCode(401).body("detail", containsString("Bearer <token>"));
    }

    private static String token(RsaJsonWebKey key, String tenant, String issuer, int expiresInSeconds)
            throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject("user-1");
        claims.setIssuedAt(NumericDate.now());
        NumericDate expiry = NumericDate.now();
        expiry.addSeconds(expiresInSeconds);
        claims.setExpirationTime(expiry);
        if (tenant != null) {
            claims.setClaim("tenant", tenant);
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static RsaJsonWebKey key() {
        try {
            return RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
