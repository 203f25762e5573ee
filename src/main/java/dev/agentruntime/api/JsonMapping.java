package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The wire format, shared by the API and the stores: snake_case names, ISO-8601 times, and exact decimals
 * (0.3 stays 0.3, 100 never becomes 1E+2).
 */
@Singleton
public class JsonMapping implements ObjectMapperCustomizer {

    /** {@code value} as JSON; a value the mapper cannot write is a bug, not a client error. */
    public static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(new WireNames());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    }

    /**
     * snake_case for the runtime's own types. The MCP server extension writes its protocol records with this mapper
     * too, and MCP spells its names in camelCase ({@code isError}, {@code structuredContent}): those keep theirs.
     */
    static final class WireNames extends PropertyNamingStrategies.NamingBase {

        private static final PropertyNamingStrategies.NamingBase SNAKE =
                (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

        @Override
        public String translate(String name) {
            return SNAKE.translate(name);
        }

        @Override
        public String nameForField(MapperConfig<?> config, AnnotatedField field, String defaultName) {
            return protocol(field) ? defaultName : translate(defaultName);
        }

        @Override
        public String nameForGetterMethod(MapperConfig<?> config, AnnotatedMethod method, String defaultName) {
            return protocol(method) ? defaultName : translate(defaultName);
        }

        @Override
        public String nameForSetterMethod(MapperConfig<?> config, AnnotatedMethod method, String defaultName) {
            return protocol(method) ? defaultName : translate(defaultName);
        }

        @Override
        public String nameForConstructorParameter(MapperConfig<?> config, AnnotatedParameter parameter,
                                                  String defaultName) {
            return protocol(parameter) ? defaultName : translate(defaultName);
        }

        private static boolean protocol(AnnotatedMember member) {
            return member.getDeclaringClass().getName().startsWith("io.quarkiverse.mcp.");
        }
    }
}
