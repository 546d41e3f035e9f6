package io.sparkprop.engine;

import java.util.Locale;

/**
 * Arithmetic of the per-block work. Weights are always kept, broadcast and updated in float64,
 * and gradients are always summed across blocks in float64; {@link #FLOAT32} stores the blocks
 * and runs the forward and backward passes (GEMMs and activations) in float32, which halves the
 * cached data and roughly doubles GEMM throughput.
 */
public enum Precision {
    FLOAT64, FLOAT32;

    public static Precision parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "float64", "double", "f64" -> FLOAT64;
            case "float32", "float", "f32" -> FLOAT32;
            default -> throw new IllegalArgumentException("unknown precision '" + name + "' (expected float64 or float32)");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
