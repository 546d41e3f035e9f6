package io.sparkprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line in a child JVM, with the tests' classpath and Spark's JVM options. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code sparkprop args...}, its stdout and stderr going to these files. */
    static Process sparkprop(Path out, Path err, String... args) throws IOException {
        return start(command(args), out, err);
    }

    /** The command line of {@code sparkprop args...} in a child JVM. */
    static List<String> command(String... args) throws IOException {
        List<String> command = java();
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), SparkpropCli.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code sparkprop args...} the way scripts/lib.sh does: through Spark's submit entry
     * point with conf/spark-defaults.conf and the logging of conf/log4j2.properties (not the tests').
     */
    static Process submitted(Path out, Path err, String... args) throws IOException {
        List<String> command = java();
        command.addAll(List.of("-Xmx1g", "-Dlog4j2.configurationFile=conf/log4j2.properties",
                "-cp", System.getProperty("java.class.path"), "org.apache.spark.deploy.SparkSubmit",
                "--properties-file", "conf/spark-defaults.conf",
                "--class", SparkpropCli.class.getName(), "spark-internal")); // the classes are on the classpath
        command.addAll(List.of(args));
        return start(command, out, err);
    }

    /** java with Spark's JVM options. */
    private static List<String> java() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(Files.readString(Path.of("target", "jvm-options.txt")).trim().split("\\s+")));
        return command;
    }

    /** Starts {@code command} with the environment of the child JVMs, its output going to these files. */
    static Process start(List<String> command, Path out, Path err) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }
}
