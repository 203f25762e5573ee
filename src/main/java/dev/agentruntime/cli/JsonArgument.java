package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A JSON object given as an option, inline ({@code '{"expression": "1 + 1"}'}) or from a file ({@code @input.json}):
 * checked here, before anything is sent, so that a typo is a usage error that names the option and not a server's
 * 400. A file is read up to the API's body limit and no further.
 */
final class JsonArgument {

    /** The API refuses a larger body (quarkus.http.limits.max-body-size): no point reading more. */
    static final int MAX_BYTES = 1024 * 1024;

    private JsonArgument() {
    }

    /** {@code value} (or the file it names after {@code @}) as a JSON object; a {@link CliException} (usage) if not. */
    static JsonNode object(String option, String value, ObjectMapper json) {
        String text = value.startsWith("@") ? read(option, Path.of(value.substring(1))) : value;
        JsonNode parsed;
        try {
            // Strict: '{"a": 1} trailing' is a typo, not the object before it.
            parsed = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (IOException invalid) {
            String why = invalid.getMessage() == null ? invalid.getClass().getSimpleName()
                    : invalid.getMessage().lines().findFirst().orElse("");
            throw new CliException(ExitCode.USAGE, option + ": not valid JSON (" + why + ")");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new CliException(ExitCode.USAGE, option + ": must be a JSON object ({...}), got "
                    + (parsed == null || parsed.isMissingNode() ? "nothing" : parsed.getNodeType().name()
                    .toLowerCase(Locale.ROOT)));
        }
        return parsed;
    }

    private static String read(String option, Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException missing) {
            throw new CliException(ExitCode.USAGE, option + ": no such file: " + file);
        } catch (IOException unreadable) {
            throw new CliException(ExitCode.USAGE, option + ": cannot read " + file + " (" + unreadable.getMessage()
                    + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw new CliException(ExitCode.USAGE, option + ": " + file + " is larger than " + MAX_BYTES
                    + " bytes, the most the server accepts");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new CliException(ExitCode.USAGE, option + ": " + file + " is not UTF-8 text");
        }
    }
}
