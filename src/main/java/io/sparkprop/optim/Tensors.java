package io.sparkprop.optim;

import io.sparkprop.engine.Network;
import java.io.Serializable;

/**
 * The parameter tensors of a flat parameter vector, in order: consecutive, non-overlapping index
 * ranges that cover it. For a {@link Network} they are each layer's weight matrix and then its
 * bias vector ({@link Network#weightOffset}, {@link Network#biasOffset}), so a 784-256-10 network
 * has four: W₁, b₁, W₂, b₂. Rules that work element by element ignore them; {@link Lamb} scales
 * its step per tensor. Immutable; serializable as part of an {@link UpdateState}.
 */
public final class Tensors implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Tensor k is {@code bounds[k] ..< bounds[k + 1]}. */
    private final int[] bounds;

    private Tensors(int[] bounds) {
        this.bounds = bounds;
    }

    /** The network's weight matrices and bias vectors, layer by layer: 2 × depth tensors. */
    public static Tensors of(Network network) {
        int[] bounds = new int[2 * network.depth() + 1];
        for (int l = 0; l < network.depth(); l++) {
            bounds[2 * l] = network.weightOffset(l);
            bounds[2 * l + 1] = network.biasOffset(l);
        }
        bounds[bounds.length - 1] = network.parameterCount();
        return new Tensors(bounds);
    }

    /** The whole vector of {@code length} entries as one tensor. */
    public static Tensors whole(int length) {
        Vectors.require(length >= 0, "a vector has 0 or more entries, got " + length);
        return new Tensors(new int[] {0, length});
    }

    /** How many tensors there are. */
    public int count() {
        return bounds.length - 1;
    }

    /** The first index of tensor {@code k}. */
    public int start(int k) {
        return bounds[k];
    }

    /** One past the last index of tensor {@code k}. */
    public int end(int k) {
        return bounds[k + 1];
    }

    /** The length of the vector the tensors cover. */
    public int parameterCount() {
        return bounds[bounds.length - 1];
    }
}
