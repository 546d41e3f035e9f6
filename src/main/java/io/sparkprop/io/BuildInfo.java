package io.sparkprop.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What Maven wrote into the build: sparkprop's version (the shaded jar keeps no manifest to read it from). */
public final class BuildInfo {
    private static final String RESOURCE = "/io/sparkprop/build.properties";

    private BuildInfo() {
    }

    /** The project's version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} outside a Maven build. */
    public static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
