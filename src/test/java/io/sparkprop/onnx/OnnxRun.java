package io.sparkprop.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.sparkprop.engine.Precision;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An ONNX Runtime session on an exported model, as the tests and the serving benchmark use it:
 * created with strict shape and type inference (the graph checks), fed rows of doubles in the
 * export's precision, read back as doubles.
 */
public final class OnnxRun implements AutoCloseable {
    public static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession session;

    private OnnxRun(OrtSession session) {
        this.session = session;
    }

    public static OnnxRun of(byte[] onnx) throws OrtException {
        try (OrtSession.SessionOptions options = strict()) {
            return new OnnxRun(ENV.createSession(onnx, options));
        }
    }

    public static OnnxRun of(Path onnx) throws OrtException {
        try (OrtSession.SessionOptions options = strict()) {
            return new OnnxRun(ENV.createSession(onnx.toString(), options));
        }
    }

    /** On one thread (one intra-op and one inter-op thread), for timings. */
    public static OnnxRun singleThreaded(Path onnx) throws OrtException {
        try (OrtSession.SessionOptions options = strict()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return new OnnxRun(ENV.createSession(onnx.toString(), options));
        }
    }

    private static OrtSession.SessionOptions strict() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.addConfigEntry("session.strict_shape_type_inference", "1");
        return options;
    }

    public OrtSession session() {
        return session;
    }

    /**
     * A run's float output ({@value OnnxExport#PROBABILITIES} or {@value OnnxExport#PREDICTION})
     * and its {@value OnnxExport#LABEL} (null for a regression), each flattened row by row.
     */
    public record Outputs(double[] values, long[] labels) {
    }

    /** Runs the first {@code rows} rows of {@code x}, row-major rows of {@code width} features. */
    public Outputs score(double[] x, int rows, int width, Precision precision) throws OrtException {
        long[] shape = {rows, width};
        OnnxTensor input;
        if (precision == Precision.FLOAT64) {
            input = OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(x, 0, rows * width), shape);
        } else {
            float[] f = new float[rows * width];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) x[i];
            }
            input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(f), shape);
        }
        try (input; OrtSession.Result result = session.run(Map.of(OnnxExport.FEATURES, input))) {
            boolean regression = result.get(OnnxExport.PREDICTION).isPresent();
            OnnxTensor values = (OnnxTensor) result.get(regression ? OnnxExport.PREDICTION : OnnxExport.PROBABILITIES)
                    .get();
            double[] flat;
            if (precision == Precision.FLOAT64) {
                DoubleBuffer buffer = values.getDoubleBuffer();
                flat = new double[buffer.remaining()];
                buffer.get(flat);
            } else {
                FloatBuffer buffer = values.getFloatBuffer();
                flat = new double[buffer.remaining()];
                for (int i = 0; i < flat.length; i++) {
                    flat[i] = buffer.get(i);
                }
            }
            long[] labels = null;
            if (!regression) {
                LongBuffer buffer = ((OnnxTensor) result.get(OnnxExport.LABEL).get()).getLongBuffer();
                labels = new long[buffer.remaining()];
                buffer.get(labels);
            }
            return new Outputs(flat, labels);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
