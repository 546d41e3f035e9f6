package io.sparkprop.cli;

import io.sparkprop.engine.Backprop;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.spark.SparkBuildInfo;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints on every command: sparkprop's version as the build stamped it
 * (sparkprop-version.properties, filtered from the pom), and the Spark, Scala, Java and BLAS this
 * run would use, which is what a bug report needs and what differs between machines.
 */
final class VersionInfo implements IVersionProvider {
    private static final String RESOURCE = "sparkprop-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "sparkprop " + sparkpropVersion(),
            "Spark " + SparkBuildInfo.spark_version() + ", Scala " + scala.util.Properties.versionNumberString()
                    + ", Java " + Runtime.version(),
            "BLAS " + Backprop.blasName()
        };
    }

    /** The project version the build wrote into {@value #RESOURCE}. */
    static String sparkpropVersion() {
        try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: build with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
