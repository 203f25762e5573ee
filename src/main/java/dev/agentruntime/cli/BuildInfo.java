package dev.agentruntime.cli;

import io.quarkus.runtime.ImageMode;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code --version}: the version and the build this process is (the jar on which JVM, or the native binary), read
 * from a resource Maven fills in, because the engine's configuration is not loaded for a client command.
 */
public final class BuildInfo implements CommandLine.IVersionProvider {

    static final String RESOURCE = "/dev/agentruntime/cli/build.properties";

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the build");
            }
            build.load(in);
        }
        String kind = ImageMode.current().isNativeImage() ? "native binary"
                : "jar on Java " + System.getProperty("java.version");
        return new String[] {"agent-runtime " + build.getProperty("version") + " (" + kind + ", Quarkus "
                + build.getProperty("quarkus") + ")"};
    }
}
