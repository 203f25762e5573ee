package dev.agentruntime.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script kept as a file under {@code src/main/resources/redis/}, called by its SHA-1 ({@code EVALSHA}) so its
 * text crosses the wire only when Redis does not know it yet. A line {@code --#include NAME} stands for the file
 * {@code NAME.lua}: a fragment shared by several scripts is one file, not pasted text.
 */
public record LuaScript(String name, String source, String sha1) {

    private static final Pattern INCLUDE = Pattern.compile("(?m)^--#include ([a-z_]+)$");

    /** One call of a script: its keys and arguments, in the order the script's header names them. */
    public record Invocation(LuaScript script, List<String> keys, List<String> args) {
    }

    /**
     * A call of this script. Each adapter builds its calls in one method per script whose parameters name the
     * keys and arguments, so positions are kept in step in one place.
     */
    public Invocation with(List<String> keys, List<String> args) {
        return new Invocation(this, keys, args);
    }

    /** Reads {@code redis/NAME.lua} from the class path; a missing file fails start-up, not the first call. */
    public static LuaScript load(String name) {
        String source = expand(read(name));
        return new LuaScript(name, source, sha1(source));
    }

    private static String expand(String source) {
        Matcher include = INCLUDE.matcher(source);
        StringBuilder expanded = new StringBuilder();
        while (include.find()) {
            include.appendReplacement(expanded, Matcher.quoteReplacement(read(include.group(1))));
        }
        return include.appendTail(expanded).toString();
    }

    private static String read(String name) {
        String path = "redis/" + name + ".lua";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Redis script " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }
}
