package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The API contract on the embedded (memory) store, the default. */
@QuarkusTest
class MemoryRunApiTest extends RunApiContract {

    @Override
    String storeType() {
        return "memory";
    }

    @Test
    void withNoModelConfiguredTheRulesPlanWithoutAnyNetworkCall() {
        given().get("/api/v1/health").then().statusCode(200).body("planner", equalTo("rules"));
        waitFor("calculate 2 + 2").then().body("planner", equalTo("rules")).body("fallback_reason", nullValue());
    }
}
