package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparkprop.spark.SparkSettings.Setting;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {

    @Test
    void defaultsFillWhatIsMissingAndKeepWhatIsSet() {
        SparkConf conf = new SparkConf(false);
        assertEquals(List.of(Setting.values()), SparkSettings.missing(conf));
        assertSame(conf, SparkSettings.applyDefaults(conf));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals(KryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
        assertEquals("true", conf.get("spark.kryo.unsafe"));
        assertEquals("64m", conf.get("spark.task.maxDirectResultSize"));
        assertEquals(TaskFailures.class.getName(), conf.get("spark.plugins"));
        assertEquals(List.of(), SparkSettings.missing(conf));

        SparkConf own = new SparkConf(false).set("spark.task.maxDirectResultSize", "16m")
                .set("spark.kryo.unsafe", "false").set("spark.plugins", "com.example.Plugin");
        SparkSettings.applyDefaults(own);
        assertEquals("16m", own.get("spark.task.maxDirectResultSize"));
        assertEquals("false", own.get("spark.kryo.unsafe"));
        assertEquals("com.example.Plugin," + TaskFailures.class.getName(), own.get("spark.plugins"));
        assertEquals(List.of(Setting.KRYO_UNSAFE, Setting.DIRECT_RESULT_SIZE), SparkSettings.missing(own));
        SparkSettings.applyDefaults(own);
        assertEquals("com.example.Plugin," + TaskFailures.class.getName(), own.get("spark.plugins"),
                "the plugin is listed once");
    }

    @Test
    void aSettingCountsWhenItIsAtLeastAsGood() {
        SparkConf conf = new SparkConf(false).set("spark.task.maxDirectResultSize", "128m")
                .set("spark.kryo.registrator", "com.example.Registrator, " + KryoRegistrator.class.getName())
                .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        List<Setting> missing = SparkSettings.missing(conf);
        assertEquals(List.of(Setting.KRYO_SERIALIZER, Setting.KRYO_UNSAFE, Setting.TASK_FAILURES_PLUGIN), missing);
        assertEquals("spark.kryo.unsafe=true", Setting.KRYO_UNSAFE.toString());
    }

    @Test
    void aLiveSessionIsCheckedAsItRuns() {
        // The tests' session is configured as in production.
        assertEquals(List.of(), SparkSettings.missing(LocalSpark.session()));
    }
}
