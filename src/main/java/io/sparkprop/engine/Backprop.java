package io.sparkprop.engine;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Iterator;

/**
 * Forward and backward passes of a {@link Network} over a batch of rows, with BLAS GEMM.
 *
 * <p>Matrices are column-major with one example per column (units × rows), which is exactly the
 * row-major layout of a {@link Block}; with the weight layout of {@link Network}, every product
 * is a single GEMM with no copies:
 * <pre>
 *   forward   Z_l  = W_lᵀ A_{l−1} + b_l 1ᵀ         dgemm("T","N"), bias pre-filled, beta = 1
 *   weights   ∂W_l += A_{l−1} δ_lᵀ                  dgemm("N","T"), beta = 1 (accumulates)
 *   errors    δ_{l−1} = (W_l δ_l) ⊙ f'(A_{l−1})      dgemm("N","N")
 * </pre>
 * Stateless apart from the BLAS handle; all scratch lives in a {@link Workspace}.
 *
 * <p>A sparse block ({@link Block#isSparse()}, CSR features) takes the same path from the first
 * hidden layer on; only the products with X change, into hand-written loops over the non-zeros
 * (netlib has no sparse BLAS): the forward {@code Z₁ = W₁ᵀ X + b₁ 1ᵀ} through a
 * {@link SparseInputLayer} (W₁ transposed once per task) and the gradient {@code ∂W₁ += X δ₁ᵀ}
 * through the workspace's {@link SparseInputGradient}, added into the sum once per task. The
 * error of the inputs, δ₀, is never needed, dense or sparse.
 */
public final class Backprop {
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private final Network network;

    public Backprop(Network network) {
        this.network = network;
    }

    /** The BLAS implementation in use, e.g. {@code VectorBLAS} or {@code JNIBLAS} (native). */
    public static String blasName() {
        return BLAS_INSTANCE.getClass().getSimpleName();
    }

    public Network network() {
        return network;
    }

    /**
     * Folds blocks into one gradient sum, with one workspace sized by the first block — one Spark
     * task's work, or one thread's.
     */
    public GradientSum sum(double[] params, Iterator<Block> blocks) {
        return sum(params, blocks, null);
    }

    /**
     * {@link #sum(double[], Iterator)} with the scratch of {@code ws} (null: a new one), which a
     * caller summing one batch after another keeps, so that its steps allocate no scratch.
     */
    public GradientSum sum(double[] params, Iterator<Block> blocks, Workspace ws) {
        long start = System.nanoTime();
        GradientSum sum = new GradientSum(params.length);
        SparseInputLayer first = null; // made on the first sparse block, for all that follow
        while (blocks.hasNext()) {
            Block block = blocks.next();
            if (ws == null) {
                ws = new Workspace(network, block.rows());
            }
            if (block.isSparse()) {
                first = inputLayer(first, params, block);
                sparsePass(params, first, block, ws, sum, true);
            } else {
                pass(params, block, ws, sum, true);
            }
        }
        if (first != null) {
            ws.sparseGradient().addTo(sum.gradient());
        }
        sum.addComputeNanos(System.nanoTime() - start);
        return sum;
    }

    /**
     * Forward passes over blocks, comparing outputs with targets: the {@link Metrics} of one Spark
     * task's blocks, or one thread's; weighted by the blocks' weights when they have them.
     */
    public Metrics evaluate(double[] params, Iterator<Block> blocks) {
        Metrics metrics = Metrics.forNetwork(network);
        Workspace ws = null;
        SparseInputLayer first = null;
        int last = network.depth() - 1;
        while (blocks.hasNext()) {
            Block block = blocks.next();
            if (ws == null) {
                ws = new Workspace(network, block.rows());
            }
            GradientSum batch = new GradientSum(0);
            first = forwardPass(params, first, block, ws, batch);
            if (block.precision() == Precision.FLOAT64) {
                metrics.add(ws.activations(last), block.targets(), block.rows(), batch.loss(), block.weights());
            } else {
                int n = block.rows() * network.outputSize();
                metrics.add(toDouble(ws.activations32(last), n), toDouble(block.targets32(), n), block.rows(),
                        batch.loss(), block.weights());
            }
        }
        return metrics;
    }

    /**
     * The outputs beside the targets of the first {@code maxRows} rows of {@code blocks}, in
     * order: what a plot of predicted against true values needs, without a pass over the rest.
     */
    public PredictionSample sample(double[] params, Iterator<Block> blocks, int maxRows) {
        int k = network.outputSize();
        int last = network.depth() - 1;
        double[] targets = new double[0];
        double[] outputs = new double[0];
        Workspace ws = null;
        SparseInputLayer first = null;
        while (blocks.hasNext() && targets.length < maxRows * k) {
            Block block = blocks.next();
            if (ws == null) {
                ws = new Workspace(network, block.rows());
            }
            first = forwardPass(params, first, block, ws, new GradientSum(0));
            int taken = targets.length;
            int n = Math.min(block.rows(), maxRows - taken / k) * k;
            targets = java.util.Arrays.copyOf(targets, taken + n);
            outputs = java.util.Arrays.copyOf(outputs, taken + n);
            if (block.precision() == Precision.FLOAT64) {
                System.arraycopy(block.targets(), 0, targets, taken, n);
                System.arraycopy(ws.activations(last), 0, outputs, taken, n);
            } else {
                System.arraycopy(toDouble(block.targets32(), n), 0, targets, taken, n);
                System.arraycopy(toDouble(ws.activations32(last), n), 0, outputs, taken, n);
            }
        }
        return new PredictionSample(k, targets, outputs);
    }

    /**
     * The forward pass of {@code block} into {@code ws}, its loss into {@code batch}; returns the
     * sparse first layer to use for the blocks that follow ({@code first}, or a new one).
     */
    private SparseInputLayer forwardPass(double[] params, SparseInputLayer first, Block block, Workspace ws,
                                         GradientSum batch) {
        if (!block.isSparse()) {
            pass(params, block, ws, batch, false);
            return first;
        }
        SparseInputLayer layer = inputLayer(first, params, block);
        sparsePass(params, layer, block, ws, batch, false);
        return layer;
    }

    private static double[] toDouble(float[] values, int n) {
        double[] result = new double[n];
        for (int i = 0; i < n; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** {@code first}, or a new one when there is none yet for the precision of {@code block}. */
    private SparseInputLayer inputLayer(SparseInputLayer first, double[] params, Block block) {
        return first != null && first.serves(block.precision()) ? first
                : SparseInputLayer.of(network, params, block.precision());
    }

    /**
     * Adds the gradient of the loss summed over {@code block}'s rows into {@code sum}, together
     * with the loss, the row count and the number of correct answers. Allocates nothing once the
     * workspace is large enough, for a dense block; a sparse block transposes the first layer's
     * weights on every call (as {@code params} may have changed), which {@link #sum} does once
     * for all its blocks.
     */
    public void accumulate(double[] params, Block block, Workspace ws, GradientSum sum) {
        if (block.isSparse()) {
            sparsePass(params, SparseInputLayer.of(network, params, block.precision()), block, ws, sum, true);
            ws.sparseGradient().addTo(sum.gradient());
        } else {
            pass(params, block, ws, sum, true);
        }
    }

    private void pass(double[] params, Block block, Workspace ws, GradientSum sum, boolean withGradient) {
        if (block.precision() == Precision.FLOAT32) {
            pass32(params, block, ws, sum, withGradient);
            return;
        }
        int rows = block.rows();
        forward(params, block.features(), rows, ws);
        int last = network.depth() - 1;
        int outUnits = network.outputSize();
        double[] out = ws.activations(last);
        double loss = network.loss().lossAndDelta(network.output().activation(), ws.outputZ(), out,
                block.targets(), ws.deltas(last), outUnits, rows, block.weights());
        double correct = countCorrect(out, block.targets(), outUnits, rows, block.weights());
        if (withGradient) {
            backward(params, block.features(), rows, ws, sum.gradient());
        }
        sum.addBatch(loss, rows, block.totalWeight(), correct);
    }

    /**
     * {@link #pass} over a sparse block: the first layer's products go through {@code first}
     * and the workspace's {@link SparseInputGradient} (added into {@code sum} by the caller).
     */
    private void sparsePass(double[] params, SparseInputLayer first, Block block, Workspace ws, GradientSum sum,
                            boolean withGradient) {
        if (block.precision() == Precision.FLOAT32) {
            sparsePass32(params, first, block, ws, sum, withGradient);
            return;
        }
        SparseFeatures x = block.sparseFeatures();
        int rows = block.rows();
        forwardSparse(params, first, x, ws);
        int last = network.depth() - 1;
        int outUnits = network.outputSize();
        double[] out = ws.activations(last);
        double loss = network.loss().lossAndDelta(network.output().activation(), ws.outputZ(), out,
                block.targets(), ws.deltas(last), outUnits, rows, block.weights());
        double correct = countCorrect(out, block.targets(), outUnits, rows, block.weights());
        if (withGradient) {
            double[] grad = sum.gradient();
            for (int l = last; l >= 1; l--) {
                backwardLayer(params, l, ws.activations(l - 1), rows, ws, grad);
            }
            ws.sparseGradient().add(x, ws.deltas(0));
            biasGradient(0, ws.deltas(0), rows, grad);
        }
        sum.addBatch(loss, rows, block.totalWeight(), correct);
    }

    /**
     * Computes the network's outputs for {@code rows} examples (features row-major) into
     * {@code out} (outputs row-major, {@code rows × outputSize}).
     */
    public void predict(double[] params, double[] features, int rows, Workspace ws, double[] out) {
        forward(params, features, rows, ws);
        System.arraycopy(ws.activations(network.depth() - 1), 0, out, 0, rows * network.outputSize());
    }

    /**
     * {@link #predict(double[], double[], int, Workspace, double[])} that also gives the output
     * layer's pre-activations (the logits of a sigmoid or softmax output) in {@code raw}, row-major
     * like {@code out}.
     */
    public void predict(double[] params, double[] features, int rows, Workspace ws, double[] raw, double[] out) {
        predict(params, features, rows, ws, out);
        System.arraycopy(ws.outputZ(), 0, raw, 0, rows * network.outputSize());
    }

    /**
     * {@link #predict(double[], double[], int, Workspace, double[], double[])} for CSR rows, whose
     * first layer is read from {@code first}: made from {@code params} with
     * {@link SparseInputLayer#of} (float64), once for any number of calls at those weights.
     */
    public void predict(double[] params, SparseInputLayer first, SparseFeatures x, Workspace ws, double[] raw,
                        double[] out) {
        int n = x.rows() * network.outputSize();
        forwardSparse(params, first, x, ws);
        System.arraycopy(ws.activations(network.depth() - 1), 0, out, 0, n);
        System.arraycopy(ws.outputZ(), 0, raw, 0, n);
    }

    private void forward(double[] params, double[] x, int rows, Workspace ws) {
        ws.ensureCapacity(rows);
        forwardLayers(params, x, rows, ws, 0);
    }

    /** The first layer on CSR rows, then {@link #forwardLayers} from the second on. */
    private void forwardSparse(double[] params, SparseInputLayer first, SparseFeatures x, Workspace ws) {
        int rows = x.rows();
        ws.ensureCapacity(rows);
        int units = network.units(0);
        double[] a = ws.activations(0);
        double[] z = network.depth() == 1 ? ws.outputZ() : a;
        int bias = network.biasOffset(0);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(params, bias, z, r * units, units);
        }
        first.multiply(x, z);
        network.layers().get(0).activation().apply(z, a, units, rows);
        forwardLayers(params, a, rows, ws, 1);
    }

    /** Layers {@code from} to the output, {@code input} being layer {@code from}'s input. */
    private void forwardLayers(double[] params, double[] input, int rows, Workspace ws, int from) {
        int last = network.depth() - 1;
        for (int l = from; l <= last; l++) {
            int fanIn = network.fanIn(l);
            int units = network.units(l);
            double[] a = ws.activations(l);
            double[] z = l == last ? ws.outputZ() : a;
            int bias = network.biasOffset(l);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(params, bias, z, r * units, units);
            }
            BLAS_INSTANCE.dgemm("T", "N", units, rows, fanIn, 1.0, params, network.weightOffset(l), fanIn,
                    input, 0, fanIn, 1.0, z, 0, units);
            network.layers().get(l).activation().apply(z, a, units, rows);
            input = a;
        }
    }

    /** Expects δ_L in the workspace; adds ∂W and ∂b of every layer into {@code grad}. */
    private void backward(double[] params, double[] x, int rows, Workspace ws, double[] grad) {
        for (int l = network.depth() - 1; l >= 0; l--) {
            backwardLayer(params, l, l == 0 ? x : ws.activations(l - 1), rows, ws, grad);
        }
    }

    /** Layer l's ∂W and ∂b from δ_l and its {@code input}; then δ_{l−1}, unless l is the first layer. */
    private void backwardLayer(double[] params, int l, double[] input, int rows, Workspace ws, double[] grad) {
        int fanIn = network.fanIn(l);
        int units = network.units(l);
        double[] delta = ws.deltas(l);
        BLAS_INSTANCE.dgemm("N", "T", fanIn, units, rows, 1.0, input, 0, fanIn, delta, 0, units,
                1.0, grad, network.weightOffset(l), fanIn);
        biasGradient(l, delta, rows, grad);
        if (l > 0) {
            double[] previous = ws.deltas(l - 1);
            BLAS_INSTANCE.dgemm("N", "N", fanIn, rows, units, 1.0, params, network.weightOffset(l), fanIn,
                    delta, 0, units, 0.0, previous, 0, fanIn);
            network.layers().get(l - 1).activation().backpropagate(ws.activations(l - 1), previous, fanIn, rows);
        }
    }

    /** ∂b_l += Σ_rows δ_l. */
    private void biasGradient(int l, double[] delta, int rows, double[] grad) {
        int units = network.units(l);
        int bias = network.biasOffset(l);
        for (int r = 0; r < rows; r++) {
            int col = r * units;
            for (int j = 0; j < units; j++) {
                grad[bias + j] += delta[col + j];
            }
        }
    }

    /**
     * The float32 pass over a float32 block: the weights are rounded to float32, the block's
     * gradient is computed in float32 (its GEMMs sum over the block's rows) and then added into the
     * float64 {@code sum}.
     */
    private void pass32(double[] params, Block block, Workspace ws, GradientSum sum, boolean withGradient) {
        int rows = block.rows();
        ws.ensureCapacity32(rows);
        float[] w = ws.params32(params);
        float[] x = block.features32();
        forwardLayers32(w, x, rows, ws, 0);
        int last = network.depth() - 1;
        int outUnits = network.outputSize();
        float[] out = ws.activations32(last);
        double loss = network.loss().lossAndDelta(network.output().activation(), ws.outputZ32(), out,
                block.targets32(), ws.deltas32(last), outUnits, rows, block.weights());
        double correct = countCorrect(out, block.targets32(), outUnits, rows, block.weights());
        if (!withGradient) {
            sum.addBatch(loss, rows, block.totalWeight(), correct);
            return;
        }

        float[] grad = ws.gradient32();
        for (int l = last; l >= 0; l--) {
            backwardLayer32(w, l, l == 0 ? x : ws.activations32(l - 1), rows, ws, grad);
        }
        double[] total = sum.gradient();
        for (int i = 0; i < total.length; i++) {
            total[i] += grad[i];
        }
        sum.addBatch(loss, rows, block.totalWeight(), correct);
    }

    /**
     * {@link #pass32} over a sparse float32 block: the first layer's weights come rounded from
     * {@code first}, its weight gradient goes into the workspace's {@link SparseInputGradient}
     * (in float64), and only the parameters after W₁ are converted and added per block.
     */
    private void sparsePass32(double[] params, SparseInputLayer first, Block block, Workspace ws, GradientSum sum,
                              boolean withGradient) {
        SparseFeatures x = block.sparseFeatures();
        int rows = block.rows();
        ws.ensureCapacity32(rows);
        int firstBias = network.biasOffset(0);
        float[] w = ws.params32(params, firstBias);
        int last = network.depth() - 1;
        int units = network.units(0);
        float[] a = ws.activations32(0);
        float[] z = last == 0 ? ws.outputZ32() : a;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(w, firstBias, z, r * units, units);
        }
        first.multiply(x, z);
        network.layers().get(0).activation().apply(z, a, units, rows);
        forwardLayers32(w, a, rows, ws, 1);
        int outUnits = network.outputSize();
        float[] out = ws.activations32(last);
        double loss = network.loss().lossAndDelta(network.output().activation(), ws.outputZ32(), out,
                block.targets32(), ws.deltas32(last), outUnits, rows, block.weights());
        double correct = countCorrect(out, block.targets32(), outUnits, rows, block.weights());
        if (withGradient) {
            float[] grad = ws.gradient32();
            for (int l = last; l >= 1; l--) {
                backwardLayer32(w, l, ws.activations32(l - 1), rows, ws, grad);
            }
            ws.sparseGradient().add(x, ws.deltas32(0));
            biasGradient32(0, ws.deltas32(0), rows, grad);
            double[] total = sum.gradient();
            for (int i = firstBias; i < total.length; i++) {
                total[i] += grad[i];
            }
        }
        sum.addBatch(loss, rows, block.totalWeight(), correct);
    }

    /** The float32 forward pass from layer {@code from} on, {@code input} being its input. */
    private void forwardLayers32(float[] w, float[] input, int rows, Workspace ws, int from) {
        int last = network.depth() - 1;
        for (int l = from; l <= last; l++) {
            int fanIn = network.fanIn(l);
            int units = network.units(l);
            float[] a = ws.activations32(l);
            float[] z = l == last ? ws.outputZ32() : a;
            int bias = network.biasOffset(l);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(w, bias, z, r * units, units);
            }
            BLAS_INSTANCE.sgemm("T", "N", units, rows, fanIn, 1f, w, network.weightOffset(l), fanIn,
                    input, 0, fanIn, 1f, z, 0, units);
            network.layers().get(l).activation().apply(z, a, units, rows);
            input = a;
        }
    }

    /**
     * Layer l's float32 ∂W and ∂b of this block (overwriting {@code grad}'s range of the layer),
     * then δ_{l−1} unless l is the first layer.
     */
    private void backwardLayer32(float[] w, int l, float[] in, int rows, Workspace ws, float[] grad) {
        int fanIn = network.fanIn(l);
        int units = network.units(l);
        float[] delta = ws.deltas32(l);
        BLAS_INSTANCE.sgemm("N", "T", fanIn, units, rows, 1f, in, 0, fanIn, delta, 0, units,
                0f, grad, network.weightOffset(l), fanIn);
        biasGradient32(l, delta, rows, grad);
        if (l > 0) {
            float[] previous = ws.deltas32(l - 1);
            BLAS_INSTANCE.sgemm("N", "N", fanIn, rows, units, 1f, w, network.weightOffset(l), fanIn,
                    delta, 0, units, 0f, previous, 0, fanIn);
            network.layers().get(l - 1).activation().backpropagate(ws.activations32(l - 1), previous, fanIn, rows);
        }
    }

    /** ∂b_l = Σ_rows δ_l of one float32 block (overwriting). */
    private void biasGradient32(int l, float[] delta, int rows, float[] grad) {
        int units = network.units(l);
        int bias = network.biasOffset(l);
        java.util.Arrays.fill(grad, bias, bias + units, 0f);
        for (int r = 0; r < rows; r++) {
            int col = r * units;
            for (int j = 0; j < units; j++) {
                grad[bias + j] += delta[col + j];
            }
        }
    }

    /**
     * The weight of the correct answers in a batch (their number when {@code weights} is null):
     * the arg-max output matches the arg-max target, or for a single output, both lie on the same
     * side of 0.5.
     */
    static double countCorrect(double[] out, double[] targets, int units, int rows, double[] weights) {
        double correct = 0;
        for (int r = 0; r < rows; r++) {
            int c = r * units;
            if (units == 1) {
                if ((out[c] >= 0.5) == (targets[c] >= 0.5)) {
                    correct += weights == null ? 1 : weights[r];
                }
            } else if (argMax(out, c, units) == argMax(targets, c, units)) {
                correct += weights == null ? 1 : weights[r];
            }
        }
        return correct;
    }

    /** {@link #countCorrect(double[], double[], int, int, double[])} for float32 outputs. */
    static double countCorrect(float[] out, float[] targets, int units, int rows, double[] weights) {
        double correct = 0;
        for (int r = 0; r < rows; r++) {
            int c = r * units;
            if (units == 1) {
                if ((out[c] >= 0.5f) == (targets[c] >= 0.5f)) {
                    correct += weights == null ? 1 : weights[r];
                }
            } else if (argMax(out, c, units) == argMax(targets, c, units)) {
                correct += weights == null ? 1 : weights[r];
            }
        }
        return correct;
    }

    static int argMax(float[] values, int from, int length) {
        int best = 0;
        for (int k = 1; k < length; k++) {
            if (values[from + k] > values[from + best]) {
                best = k;
            }
        }
        return best;
    }

    /** Index (0-based, within the run) of the largest of {@code length} values from {@code from}. */
    public static int argMax(double[] values, int from, int length) {
        int best = 0;
        for (int k = 1; k < length; k++) {
            if (values[from + k] > values[from + best]) {
                best = k;
            }
        }
        return best;
    }
}
