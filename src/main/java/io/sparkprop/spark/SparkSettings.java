package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings a sparkprop job runs best with. Spark reads every one of them when the
 * context starts (the serializer, the executors' direct-result limit, the plugins), so they cannot
 * be applied to a running session: {@link #applyDefaults} puts them into a configuration before
 * the session is built (the command line does), and {@link #missing} tells, at run time, which of
 * them a live session lacks.
 *
 * <p>Per step, every task returns a full gradient: measured on a 235k-parameter network, the
 * direct-result limit and unsafe Kryo halve the fixed cost of a step (60-80 ms to 30-50 ms).
 */
public final class SparkSettings {
    /** One recommended setting: its key, the value sparkprop gives it, and why. */
    public enum Setting {
        /** Kryo instead of Java serialization: smaller and faster blocks, gradients and metrics. */
        KRYO_SERIALIZER("spark.serializer", "org.apache.spark.serializer.KryoSerializer",
                "Kryo serialises blocks, gradient sums and metrics smaller and faster than Java serialization"),
        /** Our classes registered with Kryo, so registrationRequired works and class names are not sent. */
        KRYO_REGISTRATOR("spark.kryo.registrator", KryoRegistrator.class.getName(),
                "registers sparkprop's classes with Kryo (needed with spark.kryo.registrationRequired=true)"),
        /** Kryo copies primitive arrays in bulk. */
        KRYO_UNSAFE("spark.kryo.unsafe", "true", "Kryo copies the weight and gradient arrays in bulk"),
        /** Every task's gradient travels with its status instead of through the block manager. */
        DIRECT_RESULT_SIZE("spark.task.maxDirectResultSize", "64m",
                "task results (a full gradient per task and step) up to 64 MB travel with the task status "
                        + "instead of through the block manager"),
        /** A data error ends the job at once, and retried tasks are logged in one line. */
        TASK_FAILURES_PLUGIN("spark.plugins", TaskFailures.class.getName(),
                "a data error ends a job at once instead of after spark.task.maxFailures attempts");

        private final String key;
        private final String value;
        private final String purpose;

        Setting(String key, String value, String purpose) {
            this.key = key;
            this.value = value;
            this.purpose = purpose;
        }

        /** The configuration key, e.g. {@code spark.task.maxDirectResultSize}. */
        public String key() {
            return key;
        }

        /** The value sparkprop sets (for the plugin: the class it adds to the list). */
        public String value() {
            return value;
        }

        /** What the setting buys, in a few words. */
        public String purpose() {
            return purpose;
        }

        /**
         * Whether {@code conf} has the setting: Kryo as the serializer, our registrator among the
         * registrators, unsafe Kryo on, a direct-result limit of at least 64 MB, our plugin among the plugins.
         */
        public boolean isIn(SparkConf conf) {
            return switch (this) {
                case KRYO_SERIALIZER -> value.equals(conf.get(key, ""));
                case KRYO_REGISTRATOR, TASK_FAILURES_PLUGIN -> names(conf.get(key, "")).contains(value);
                case KRYO_UNSAFE -> conf.getBoolean(key, false);
                case DIRECT_RESULT_SIZE -> conf.getSizeAsBytes(key, "1m") >= JavaUtils.byteStringAsBytes(value);
            };
        }

        /**
         * Gives {@code conf} the setting where it has none (with {@code setIfMissing}, so a value
         * the user gave wins); the plugin is added to any plugins already listed.
         */
        void applyTo(SparkConf conf) {
            if (this == TASK_FAILURES_PLUGIN) {
                String plugins = conf.get(key, "");
                if (!names(plugins).contains(value)) {
                    conf.set(key, plugins.isBlank() ? value : plugins + "," + value);
                }
            } else {
                conf.setIfMissing(key, value);
            }
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /**
     * How often executors sample their memory for Spark's executor metrics, which {@link MemoryUse}
     * reports: Spark's default samples only at heartbeats (every 10 s), which misses most peaks.
     * A sample reads a few of the JVM's memory counters.
     */
    public static final String METRICS_POLLING_INTERVAL = "100ms";

    private SparkSettings() {
    }

    /**
     * Gives {@code conf} every {@link Setting} it does not set itself, and adds the
     * {@link TaskFailures} plugin to its plugins, and samples executors' memory every
     * {@value #METRICS_POLLING_INTERVAL} unless it says otherwise; returns {@code conf}. Call it on the
     * configuration a session is built from: a running session keeps the settings it started with.
     */
    public static SparkConf applyDefaults(SparkConf conf) {
        for (Setting setting : Setting.values()) {
            setting.applyTo(conf);
        }
        conf.setIfMissing("spark.executor.metrics.pollingInterval", METRICS_POLLING_INTERVAL);
        return conf;
    }

    /** The settings {@code conf} lacks, in declaration order; empty when it has them all. */
    public static List<Setting> missing(SparkConf conf) {
        List<Setting> missing = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            if (!setting.isIn(conf)) {
                missing.add(setting);
            }
        }
        return missing;
    }

    /** The settings the running {@code spark} session lacks (see {@link #missing(SparkConf)}). */
    public static List<Setting> missing(SparkSession spark) {
        return missing(spark.sparkContext().getConf());
    }

    /** The entries of a comma-separated class list such as {@code spark.plugins}. */
    private static List<String> names(String list) {
        return List.of(list.trim().split("\\s*,\\s*"));
    }
}
