package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;

/** Counts the bytes a JSON value takes when written, without keeping them, and stops once past a bound. */
final class OutputSize extends OutputStream {

    private final long bound;
    private long count;

    private OutputSize(long bound) {
        this.bound = bound;
    }

    /** The size of {@code value} as JSON, or a number above {@code bound} as soon as it is known to exceed it. */
    static long of(ObjectMapper mapper, JsonNode value, long bound) {
        OutputSize counter = new OutputSize(bound);
        try {
            mapper.writeValue(counter, value);
        } catch (Past enough) {
            return counter.count;
        } catch (IOException e) {
            // Past a buffer's worth, Jackson wraps what the stream throws mid-value (JsonMappingException).
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof Past) {
                    return counter.count;
                }
            }
            throw new IllegalStateException("cannot measure a JSON value", e);
        }
        return counter.count;
    }

    @Override
    public void write(int b) {
        count++;
        check();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        count += length;
        check();
    }

    private void check() {
        if (count > bound) {
            throw new Past();
        }
    }

    /** Stops writing a value already known to be too large. */
    private static final class Past extends RuntimeException {
        Past() {
            super(null, null, false, false);
        }
    }
}
