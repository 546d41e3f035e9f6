package io.sparkprop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.sparkprop.engine.Activation;
import io.sparkprop.engine.ClassThresholds;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.Standardization;
import io.sparkprop.io.ModelStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every exported model is loaded by ONNX Runtime with strict shape and type inference and run on
 * 1,000 rows and on one row; its outputs must equal sparkprop's own (the engine's forward pass,
 * in float64) within 1e-5 for a float32 export and 1e-12 for float64, and its labels must be the
 * labels sparkprop predicts: for every activation, every task (binary, multiclass, multi-label,
 * regression) and with and without standardisation.
 */
class OnnxExportTest {
    static final int ROWS = 1_000;
    static final int FEATURES = 7;

    /** Hidden activation × output layer × standardised or not × precision, and networks without hidden layers. */
    static Stream<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        String[] outputs = {"softmax(4)", "sigmoid(1)", "sigmoid(3)", "identity(2)", "tanh(1)", "relu(3)"};
        Activation[] hidden = {Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY};
        int i = 0;
        for (Activation h : hidden) {
            for (String output : outputs) {
                for (Precision precision : Precision.values()) {
                    String spec = h.id() + "(9)|" + h.id() + "(5)|" + output;
                    cases.add(Arguments.of(spec, i++ % 2 == 0, precision));
                }
            }
        }
        for (String single : new String[] {"softmax(4)", "sigmoid(1)", "identity(2)"}) { // no hidden layer
            cases.add(Arguments.of(single, true, Precision.FLOAT32));
            cases.add(Arguments.of(single, false, Precision.FLOAT64));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, standardised {1}, {2}")
    @MethodSource("models")
    void onnxRuntimeGivesSparkpropsOutputs(String spec, boolean standardised, Precision precision) throws OrtException {
        Model model = randomModel(Network.parse(spec, FEATURES), standardised, 11);
        byte[] onnx = OnnxExport.of(model).withPrecision(precision).toByteArray();
        double[] features = asServed(features(ROWS, FEATURES, 5), precision);
        double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
        try (OnnxRun run = OnnxRun.of(onnx)) {
            for (int rows : new int[] {ROWS, 1}) {
                double[] x = Arrays.copyOf(features, rows * FEATURES);
                Expected expected = Expected.of(model, x, rows);
                OnnxRun.Outputs got = run.score(x, rows, FEATURES, precision);
                assertEquals(expected.values.length, got.values().length);
                double worst = maxAbsDifference(expected.values, got.values());
                assertTrue(worst <= tolerance, spec + ": max |onnx - sparkprop| = " + worst + " > " + tolerance);
                if (expected.labels != null) {
                    assertArrayEquals(expected.labels, got.labels(), spec + ": labels");
                }
            }
        }
    }

    @Test
    void theGraphIsOpset17GemmsWithTheStandardisationInFront() throws Exception {
        Model model = randomModel(Network.parse("relu(6)|softmax(3)", FEATURES), true, 2);
        ModelProto onnx = ModelProto.parseFrom(OnnxExport.of(model).toByteArray());
        assertEquals(OnnxExport.IR_VERSION, onnx.getIrVersion());
        assertEquals(17, onnx.getOpsetImport(0).getVersion());
        assertEquals("", onnx.getOpsetImport(0).getDomain());
        assertEquals("sparkprop", onnx.getProducerName());
        assertEquals(List.of("Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax"),
                onnx.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(List.of("features"), onnx.getGraph().getInputList().stream().map(i -> i.getName()).toList());
        assertEquals(List.of("probabilities", "label"),
                onnx.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
    }

    @Test
    void inputsAndOutputsHaveTheirTypesAndADynamicBatch() throws OrtException {
        Model classifier = randomModel(Network.parse("tanh(4)|softmax(3)", FEATURES), false, 3);
        try (OnnxRun run = OnnxRun.of(OnnxExport.of(classifier).toByteArray())) {
            TensorInfo input = (TensorInfo) run.session().getInputInfo().get("features").getInfo();
            assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, input.type);
            assertArrayEquals(new long[] {-1, FEATURES}, input.getShape());
            TensorInfo probabilities = (TensorInfo) run.session().getOutputInfo().get("probabilities").getInfo();
            assertArrayEquals(new long[] {-1, 3}, probabilities.getShape());
            TensorInfo label = (TensorInfo) run.session().getOutputInfo().get("label").getInfo();
            assertEquals(ai.onnxruntime.OnnxJavaType.INT64, label.type);
            assertArrayEquals(new long[] {-1}, label.getShape());
        }
        Model regression = randomModel(Network.parse("relu(4)|identity(2)", FEATURES), false, 3);
        try (OnnxRun run = OnnxRun.of(OnnxExport.of(regression).withPrecision(Precision.FLOAT64).toByteArray())) {
            assertEquals(List.of("prediction"), List.copyOf(run.session().getOutputNames()));
            TensorInfo prediction = (TensorInfo) run.session().getOutputInfo().get("prediction").getInfo();
            assertEquals(ai.onnxruntime.OnnxJavaType.DOUBLE, prediction.type);
            assertArrayEquals(new long[] {-1, 2}, prediction.getShape());
        }
    }

    @Test
    void theMetadataSaysWhereTheModelCameFrom() throws OrtException {
        Model model = randomModel(Network.parse("sigmoid(4)|softmax(3)", FEATURES), false, 4)
                .withLabels(List.of("setosa", "versicolor", "virginica"));
        byte[] onnx = OnnxExport.of(model).withTraining(Map.of("epochs", 12, "optimizer", "adam"))
                .withThresholds(new double[] {0.5, 0.2, 0.3}).toByteArray();
        try (OnnxRun run = OnnxRun.of(onnx)) {
            Map<String, String> meta = run.session().getMetadata().getCustomMetadata();
            assertEquals(io.sparkprop.io.BuildInfo.version(), meta.get("sparkprop_version"));
            assertEquals(ModelStore.checksum(model), meta.get("weights_sha256"));
            assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", meta.get("labels"));
            assertEquals("[0.5,0.2,0.3]", meta.get("thresholds"));
            assertTrue(meta.get("training").contains("\"optimizer\":\"adam\""), meta.get("training"));
            assertEquals("multiclass", meta.get("task"));
            assertEquals("float32", meta.get("dtype"));
            assertTrue(java.time.Instant.parse(meta.get("created_at")).isAfter(java.time.Instant.now().minusSeconds(60)));
            assertEquals(model.network().toString(), meta.get("network"));
            assertEquals("sparkprop", run.session().getMetadata().getProducerName());
        }
    }

    /** The label with thresholds is the class sparkprop's scorer predicts with them (Spark's rule). */
    @Test
    void thresholdsDecideTheLabelAsInSpark() throws OrtException {
        Model model = randomModel(Network.parse("tanh(5)|softmax(3)", FEATURES), false, 6);
        for (double[] thresholds : new double[][] {{0.2, 0.5, 0.3}, {0.9, 0.0, 0.4}, {1, 1, 1}}) {
            for (Precision precision : Precision.values()) {
                double[] x = asServed(features(ROWS, FEATURES, 8), precision);
                double[] outputs = model.predict(x, ROWS);
                byte[] onnx = OnnxExport.of(model).withThresholds(thresholds).withPrecision(precision).toByteArray();
                try (OnnxRun run = OnnxRun.of(onnx)) {
                    long[] labels = run.score(x, ROWS, FEATURES, precision).labels();
                    for (int r = 0; r < ROWS; r++) {
                        int best = ClassThresholds.predict(Arrays.copyOfRange(outputs, 3 * r, 3 * r + 3), thresholds);
                        assertEquals(best, labels[r], "row " + r + " with thresholds " + Arrays.toString(thresholds));
                    }
                }
            }
        }
    }

    /** sparkprop predicts class 1 when p ≥ 0.5; ONNX's ArgMax would take the first of [0.5, 0.5]. */
    @Test
    void aBinaryTieAtOneHalfIsClassOneAsInSparkprop() throws OrtException {
        Network network = Network.parse("relu(3)|sigmoid(1)", FEATURES);
        Model zero = new Model(network, new double[network.parameterCount()]); // every output exactly 0.5
        for (Precision precision : Precision.values()) {
            try (OnnxRun run = OnnxRun.of(OnnxExport.of(zero).withPrecision(precision).toByteArray())) {
                OnnxRun.Outputs out = run.score(features(3, FEATURES, 1), 3, FEATURES, precision);
                assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, out.values());
                assertArrayEquals(new long[] {1, 1, 1}, out.labels());
            }
        }
    }

    @Test
    void thresholdsThatDoNotFitAreRefused() {
        Model multiclass = randomModel(Network.parse("relu(3)|softmax(3)", FEATURES), false, 1);
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(multiclass).withThresholds(new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(multiclass).withThresholds(new double[] {0, 0, 1}));
        Model multilabel = randomModel(Network.parse("relu(3)|sigmoid(3)", FEATURES), false, 1);
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.of(multilabel).withThresholds(new double[] {1, 1, 1}));
    }

    @Test
    void aModelTooLargeForOneFileIsRefusedWithItsSize() {
        Network wide = Network.parse("relu(1024)|softmax(10)", 300_000); // 307M parameters
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> OnnxExport.checkSize(wide, Precision.FLOAT64));
        assertTrue(e.getMessage().contains("2 GiB") && e.getMessage().contains("float32"), e.getMessage());
        OnnxExport.checkSize(wide, Precision.FLOAT32); // 1.2 GiB: fits
        assertFalse(e.getMessage().contains("\n"));
    }

    /** What sparkprop predicts: the outputs ONNX's float outputs must match, and the labels. */
    record Expected(double[] values, long[] labels) {
        static Expected of(Model model, double[] x, int rows) {
            double[] out = model.predict(x, rows);
            int k = model.network().outputSize();
            return switch (Metrics.taskOf(model.network())) {
                case REGRESSION -> new Expected(out, null);
                case MULTICLASS -> {
                    long[] labels = new long[rows];
                    for (int r = 0; r < rows; r++) {
                        int best = 0;
                        for (int j = 1; j < k; j++) {
                            best = out[r * k + j] > out[r * k + best] ? j : best;
                        }
                        labels[r] = best;
                    }
                    yield new Expected(out, labels);
                }
                case BINARY -> {
                    double[] probabilities = new double[2 * rows];
                    long[] labels = new long[rows];
                    for (int r = 0; r < rows; r++) {
                        probabilities[2 * r] = 1 - out[r];
                        probabilities[2 * r + 1] = out[r];
                        labels[r] = out[r] >= 0.5 ? 1 : 0;
                    }
                    yield new Expected(probabilities, labels);
                }
                case MULTILABEL -> {
                    long[] labels = new long[out.length];
                    for (int i = 0; i < out.length; i++) {
                        labels[i] = out[i] >= 0.5 ? 1 : 0;
                    }
                    yield new Expected(out, labels);
                }
            };
        }
    }

    static Model randomModel(Network network, boolean standardised, long seed) {
        Random random = new Random(seed);
        double[] params = new double[network.parameterCount()];
        for (int l = 0; l < network.depth(); l++) {
            double scale = 1.5 / Math.sqrt(network.fanIn(l));
            for (int i = network.weightOffset(l); i < network.biasOffset(l) + network.units(l); i++) {
                params[i] = random.nextGaussian() * scale;
            }
        }
        Standardization st = null;
        if (standardised) {
            double[] mean = new double[network.inputSize()];
            double[] sd = new double[network.inputSize()];
            for (int j = 0; j < mean.length; j++) {
                mean[j] = 5 + random.nextGaussian();
                sd[j] = 0.5 + 3 * random.nextDouble();
            }
            st = new Standardization(mean, sd);
        }
        return new Model(network, params, st);
    }

    /** Rows of features around 5 with spread 3, as raw data is (the standardised models centre them). */
    static double[] features(int rows, int width, long seed) {
        Random random = new Random(seed);
        double[] x = new double[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = 5 + 3 * random.nextGaussian();
        }
        return x;
    }

    static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /**
     * The features as a served model receives them: rounded to float32 for a float32 export, so
     * that sparkprop and ONNX Runtime see the same inputs and only the model is compared.
     */
    static double[] asServed(double[] x, Precision precision) {
        if (precision == Precision.FLOAT64) {
            return x;
        }
        double[] rounded = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            rounded[i] = (float) x[i];
        }
        return rounded;
    }

    static double maxAbsDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
