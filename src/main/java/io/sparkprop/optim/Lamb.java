package io.sparkprop.optim;

import java.util.List;
import java.util.Map;

/**
 * LAMB (You et al., 2019, "Large Batch Optimization for Deep Learning: Training BERT in 76
 * minutes", Algorithm 2): Adam's direction, with each parameter tensor's step scaled to the size
 * of that tensor.
 *
 * <pre>
 *   t ← t + 1
 *   m ← β1 m + (1 − β1) g                 (m, v start at 0)
 *   v ← β2 v + (1 − β2) g²                (element-wise)
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *   r = m̂ / (√v̂ + ε)                       Adam's step direction
 *   per tensor x (each weight matrix, and separately each bias vector):
 *     ratio = ‖x‖ / ‖r_x‖, or 1 when ‖x‖ = 0 or ‖r_x‖ = 0
 *     x ← x − η · ratio · r_x
 * </pre>
 *
 * <p>Why: with a large batch the gradient is less noisy, so one would like a larger η, but a
 * single η that suits one layer moves another, with smaller weights or larger updates, so far that
 * training diverges. The trust ratio makes the step of every tensor η times that tensor's norm:
 * η becomes a relative change per step, the same for every layer. That is what lets a batch of
 * thousands of rows train with few steps (see README, "Large batches"). The trust ratio is taken
 * per tensor as in the paper's per-layer form and the common implementations: the weight matrix
 * and the bias vector of a layer each get their own ({@link Tensors#of}). A zero norm on either
 * side gives ratio 1: zero weights (all-zero biases at the start) take a plain Adam step, from
 * which a ratio can grow; a zero direction (gradients all zero so far) leaves the tensor as it is.
 *
 * <p>Weight decay: the paper adds a decoupled λ·x to r. Here {@code weightDecay} stays what it is
 * for every optimizer, the L2 penalty whose gradient λW {@link UpdateState#step} adds to the
 * weight matrices' gradient before any rule sees it, so one setting means one thing; with LAMB
 * that penalty passes through the moments and the trust ratio (L2-regularised LAMB, as with Adam).
 * The paper's decoupled form is not offered.
 *
 * <p>ε defaults to Adam's 1e-8, the shared {@code epsilon} setting of the command line and the
 * Params. The paper's BERT runs and common implementations use 1e-6, chosen for half-precision
 * arithmetic; this update runs in float64, where ε only guards against dividing by zero, and a
 * user who wants the paper's value sets it.
 *
 * @param beta1 β1, decay of the first-moment (mean) estimate m, in [0, 1)
 * @param beta2 β2, decay of the second-moment (uncentred variance) estimate v, in [0, 1)
 * @param epsilon ε, added to √v̂, positive
 */
public record Lamb(double beta1, double beta2, double epsilon) implements Optimizer {

    /** @throws IllegalArgumentException naming the first value out of its range */
    public Lamb {
        Adam.requireHyperParameters(beta1, beta2, epsilon);
    }

    /** Adam's defaults, also the command line's: β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Lamb() {
        this(0.9, 0.999, 1e-8);
    }

    @Override
    public Kind kind() {
        return Kind.LAMB;
    }

    /** Adam's: the same hyper-parameters and moments. */
    @Override
    public Map<String, Double> parameters() {
        return new Adam(beta1, beta2, epsilon).parameters();
    }

    @Override
    public List<String> stateNames() {
        return new Adam(beta1, beta2, epsilon).stateNames();
    }

    /** One trust ratio for the whole vector, as if it were a single tensor. */
    @Override
    public void step(double[] params, double[] gradient, double learningRate, long t, double[][] state) {
        step(params, gradient, learningRate, t, state, Tensors.whole(params.length));
    }

    /** One trust ratio per tensor of {@code tensors}. */
    @Override
    public void step(double[] params, double[] gradient, double learningRate, long t, double[][] state,
                     Tensors tensors) {
        Vectors.requireSameLength(params, gradient);
        if (tensors.parameterCount() != params.length) {
            throw new IllegalArgumentException("the tensors cover " + tensors.parameterCount()
                    + " entries, the parameters " + params.length);
        }
        double[] m = state[0];
        double[] v = state[1];
        double correction1 = 1.0 - Math.pow(beta1, t);
        double correction2 = 1.0 - Math.pow(beta2, t);
        for (int k = 0; k < tensors.count(); k++) {
            int start = tensors.start(k);
            int end = tensors.end(k);
            // Pass 1: the moments, and the norms of the weights (before the step) and of r.
            double weightSquares = 0.0;
            double directionSquares = 0.0;
            for (int i = start; i < end; i++) {
                double g = gradient[i];
                m[i] = beta1 * m[i] + (1.0 - beta1) * g;
                v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
                double r = direction(m[i], v[i], correction1, correction2);
                weightSquares += params[i] * params[i];
                directionSquares += r * r;
            }
            double weightNorm = Math.sqrt(weightSquares);
            double directionNorm = Math.sqrt(directionSquares);
            double ratio = weightNorm > 0 && directionNorm > 0 ? weightNorm / directionNorm : 1.0;
            double scale = learningRate * ratio;
            // Pass 2: r again from the updated moments (the same bits), rather than a buffer as
            // long as the parameters allocated every step.
            for (int i = start; i < end; i++) {
                params[i] -= scale * direction(m[i], v[i], correction1, correction2);
            }
        }
    }

    /** Adam's step direction m̂ / (√v̂ + ε) for one parameter. */
    private double direction(double m, double v, double correction1, double correction2) {
        return (m / correction1) / (Math.sqrt(v / correction2) + epsilon);
    }
}
