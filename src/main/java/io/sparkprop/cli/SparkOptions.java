package io.sparkprop.cli;

import io.sparkprop.spark.KryoRegistrator;
import io.sparkprop.spark.TaskFailures;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where and how to run Spark; shared by every subcommand. */
final class SparkOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The default master: all cores, and up to 4 attempts per task as on a cluster, so a transient
     * failure (an I/O error) is retried; plain local[*] gives every task one attempt.
     */
    static final String LOCAL = "local[*,4]";

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[4,4] or spark://host:7077 (default: what spark-submit set, "
                    + "else " + SparkOptions.LOCAL + ")")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark configuration, repeatable")
    List<String> conf = new ArrayList<>();

    /**
     * A session for the job: the one already running in this JVM if any (left running), else a new
     * one that {@link Session#close()} stops. Kryo with our registrator unless configured otherwise;
     * always the {@link TaskFailures} plugin, so a data error ends a job at once and retries show.
     */
    Session open(String appName) {
        SparkConf sparkConf = new SparkConf(); // picks up what spark-submit passed as spark.* properties
        if (master != null) {
            sparkConf.setMaster(master);
        }
        sparkConf.setIfMissing("spark.master", LOCAL);
        sparkConf.setIfMissing("spark.app.name", appName);
        sparkConf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        sparkConf.setIfMissing("spark.kryo.registrator", KryoRegistrator.class.getName());
        // Per step, every task returns a full gradient; measured on a 235k-parameter network, these
        // two halve the fixed cost of a step (60-80 ms to 30-50 ms): results up to 64 MB travel with
        // the task status instead of through the block manager, and Kryo copies arrays in bulk.
        sparkConf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        sparkConf.setIfMissing("spark.kryo.unsafe", "true");
        for (String entry : conf) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--conf takes KEY=VALUE, got '" + entry + "'");
            }
            sparkConf.set(entry.substring(0, eq), entry.substring(eq + 1));
        }
        String plugins = sparkConf.get("spark.plugins", "");
        if (!List.of(plugins.split("\\s*,\\s*")).contains(TaskFailures.class.getName())) {
            sparkConf.set("spark.plugins", plugins.isBlank() ? TaskFailures.class.getName()
                    : plugins + "," + TaskFailures.class.getName());
        }
        boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        // A session already running in this JVM (a host program, tests) is used as it is: its
        // context's settings are fixed, and giving them again only earns Spark's warning.
        SparkSession spark = existing ? SparkSession.active() : SparkSession.builder().config(sparkConf).getOrCreate();
        Interruption interruption = interruption();
        interruption.handleSignals();
        Runnable cancelling = interruption.whenSignalled(() -> spark.sparkContext().cancelAllJobs());
        return new Session(spark, !existing, interruption, cancelling);
    }

    /** The command line's signal handling (none when the command runs without {@link SparkpropCli}). */
    private Interruption interruption() {
        CommandSpec parent = command == null ? null : command.parent();
        return parent != null && parent.userObject() instanceof SparkpropCli cli ? cli.interruption
                : Interruption.none();
    }

    /**
     * A Spark session for one command, and the signal handling that cancels its jobs.
     *
     * @param owned stop Spark when the command ends (it was not running before)
     */
    record Session(SparkSession spark, boolean owned, Interruption interruption, Runnable cancelling)
            implements AutoCloseable {
        @Override
        public void close() {
            cancelling.run();
            if (owned) {
                spark.stop();
            }
        }
    }
}
