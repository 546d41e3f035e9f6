package io.sparkprop.cli;

import io.sparkprop.engine.Backprop;
import io.sparkprop.io.BuildInfo;
import org.apache.spark.SparkBuildInfo;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints on every command: sparkprop's version as the build stamped it
 * ({@link BuildInfo}), and the Spark, Scala, Java and BLAS this run would use, which is what a
 * bug report needs and what differs between machines.
 */
final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "sparkprop " + BuildInfo.version(),
            "Spark " + SparkBuildInfo.spark_version() + ", Scala " + scala.util.Properties.versionNumberString()
                    + ", Java " + Runtime.version(),
            "BLAS " + Backprop.blasName()
        };
    }
}
