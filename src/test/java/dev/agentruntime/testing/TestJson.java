package dev.agentruntime.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentruntime.api.JsonMapping;

/** The application's JSON settings for tests that run without Quarkus. */
public final class TestJson {

    private TestJson() {
    }

    /** {@code text} as a JSON string literal. */
    public static String quote(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ObjectMapper mapper() {
        // As Quarkus configures its mapper: unknown properties are ignored (quarkus.jackson.fail-on-unknown-properties).
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        new JsonMapping().customize(mapper);
        return mapper;
    }
}
