package io.sparkprop.cli;

import io.sparkprop.io.ScratchDirectories;
import io.sparkprop.spark.SparkSettings;
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
     * one that {@link Session#close()} stops, with {@link SparkSettings#applyDefaults}: Kryo with our
     * registrator and the per-step settings unless configured otherwise, and always the
     * TaskFailures plugin, so a data error ends a job at once and retries show.
     */
    Session open(String appName) {
        SparkConf sparkConf = new SparkConf(); // picks up what spark-submit passed as spark.* properties
        if (master != null) {
            sparkConf.setMaster(master);
        }
        sparkConf.setIfMissing("spark.master", LOCAL);
        sparkConf.setIfMissing("spark.app.name", appName);
        for (String entry : conf) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--conf takes KEY=VALUE, got '" + entry + "'");
            }
            sparkConf.set(entry.substring(0, eq), entry.substring(eq + 1));
        }
        SparkSettings.applyDefaults(sparkConf); // after --conf, which wins over every default
        if (sparkConf.get("spark.master").startsWith("local")) {
            // Running tasks report the records they have read with their heartbeats, which train's
            // live line shows; in-process heartbeats cost nothing, so every 2 s instead of 10 s.
            sparkConf.setIfMissing("spark.executor.heartbeatInterval", "2s");
        }
        boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        // A session already running in this JVM (a host program, tests) is used as it is: its
        // context's settings are fixed, and giving them again only earns Spark's warning.
        ScratchDirectories scratch = existing ? null : scratch(sparkConf);
        SparkSession spark;
        try {
            spark = existing ? SparkSession.active() : SparkSession.builder().config(sparkConf).getOrCreate();
        } catch (RuntimeException e) {
            if (scratch != null) {
                scratch.close();
            }
            throw e;
        }
        Interruption interruption = interruption();
        interruption.handleSignals();
        Runnable cancelling = interruption.whenSignalled(() -> spark.sparkContext().cancelAllJobs());
        return new Session(spark, !existing, interruption, cancelling, scratch);
    }

    /**
     * Points Spark's scratch on this machine at a directory of this run's, which the session
     * deletes when it ends, and removes what runs killed earlier left there (see
     * {@link ScratchDirectories}); the base is {@code spark.local.dir}, else the JVM's temporary
     * directory. Where Spark takes its scratch from the environment instead (SPARK_LOCAL_DIRS,
     * a YARN container), those directories are the cluster manager's to clean: nothing changes.
     */
    private static ScratchDirectories scratch(SparkConf sparkConf) {
        if (System.getenv("SPARK_LOCAL_DIRS") != null || System.getenv("SPARK_EXECUTOR_DIRS") != null
                || System.getenv("CONTAINER_ID") != null) {
            return null;
        }
        List<java.nio.file.Path> bases = new ArrayList<>();
        for (String base : sparkConf.get("spark.local.dir", System.getProperty("java.io.tmpdir")).split(",")) {
            if (!base.isBlank()) {
                bases.add(java.nio.file.Path.of(base.trim()));
            }
        }
        ScratchDirectories scratch = ScratchDirectories.create(bases);
        sparkConf.set("spark.local.dir", scratch.localDirs());
        return scratch;
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
     * @param scratch the run's scratch directories, deleted once Spark has stopped; null for none
     */
    record Session(SparkSession spark, boolean owned, Interruption interruption, Runnable cancelling,
                   ScratchDirectories scratch) implements AutoCloseable {
        @Override
        public void close() {
            cancelling.run();
            if (owned) {
                spark.stop();
            }
            if (scratch != null) {
                scratch.close();
            }
        }
    }
}
