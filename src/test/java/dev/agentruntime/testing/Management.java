package dev.agentruntime.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Requests to the management interface (/q/health, /q/metrics, /q/openapi), which tests serve on its test port. */
public final class Management {

    private Management() {
    }

    public static int port() {
        try {
            return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class)
                    .orElse(9001);
        } catch (IllegalStateException noConfigInThisJvm) {
            return 9001;
        }
    }

    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    /** The packaged application (what @QuarkusIntegrationTest starts) keeps its configured management port. */
    public static RequestSpecification givenPackaged() {
        return RestAssured.given().port(ConfigProvider.getConfig().getValue("quarkus.management.port", Integer.class));
    }
}
