package io.sparkprop.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.Model;
import io.sparkprop.onnx.OnnxExport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.SparkSession;

/** What the Spark ML models share for {@code exportOnnx}: their Params as the training settings, Spark's Hadoop settings. */
final class OnnxExports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExports() {
    }

    /**
     * The export of {@code model} with the Params of {@code stage} (set and default, as Spark's
     * {@code DefaultParamsWriter} encodes them) as its training settings.
     *
     * @param thresholds the label's thresholds, or null
     */
    static OnnxExport of(Params stage, Model model, double[] thresholds) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (ParamPair<?> pair : scala.jdk.javaapi.CollectionConverters.asJava(stage.extractParamMap().toSeq())) {
            params.put(pair.param().name(), json(pair));
        }
        return OnnxExport.of(model).withThresholds(thresholds).withTraining(params);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object json(ParamPair pair) {
        try {
            return JSON.readTree(pair.param().jsonEncode(pair.value()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Spark encoded param " + pair.param().name() + " as invalid JSON", e);
        }
    }

    /** The active Spark session's Hadoop settings (for paths such as hdfs:// or s3a://), or Hadoop's defaults. */
    static Configuration hadoop() {
        scala.Option<SparkSession> session = SparkSession.getActiveSession();
        if (session.isEmpty()) {
            session = SparkSession.getDefaultSession();
        }
        return session.isDefined() ? session.get().sparkContext().hadoopConfiguration() : new Configuration();
    }
}
