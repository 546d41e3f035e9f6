package io.sparkprop.engine;

/**
 * The logistic sigmoid of {@link VectorKernels}, one value at a time: the exponential from
 * additions, multiplications, fused multiply-adds and bit shifts only, each exactly rounded, so
 * these loops give the same bits as the SIMD ones. They run where the JVM has no
 * {@code jdk.incubator.vector} module (see {@link Activation}), so that a model does not depend on
 * whether a JVM had it: a local driver without it and executors with it train the same weights.
 * (About 6 ns per value against 1 ns for the SIMD loops and 4 ns for a loop of {@link Math#exp},
 * whose last bit differs.)
 */
final class PortableSigmoid {
    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^52: adding it rounds to an integer, which then sits in the low bits of the mantissa. */
    static final double SHIFTER = 6755399441055744.0;
    static final long EXPONENT_BIAS = 1023L - Double.doubleToRawLongBits(SHIFTER);
    static final double MIN = -708.0;
    static final double MAX = 709.0;
    /** 1/k! for k = 13 .. 0: Taylor series of e^r, |r| ≤ ln2/2, truncation below 2e-16 relative. */
    static final double[] TAYLOR = new double[14];

    static {
        double factorial = 1;
        for (int k = 0; k <= 13; k++) {
            factorial *= Math.max(k, 1);
            TAYLOR[13 - k] = 1.0 / factorial;
        }
    }

    static final float LOG2E_F = 1.44269504f;
    static final float LN2_HI_F = 0.693359375f;
    static final float LN2_LO_F = -2.12194440e-4f;
    /** 1.5·2^23, the float counterpart of {@link #SHIFTER}. */
    static final float SHIFTER_F = 12582912f;
    static final int EXPONENT_BIAS_F = 127 - Float.floatToRawIntBits(SHIFTER_F);
    static final float MIN_F = -87f;
    static final float MAX_F = 88f;
    /** 1/k! for k = 8 .. 0: truncation below float32's precision for |r| ≤ ln2/2. */
    static final float[] TAYLOR_F = new float[9];

    static {
        double factorial = 1;
        for (int k = 0; k <= 8; k++) {
            factorial *= Math.max(k, 1);
            TAYLOR_F[8 - k] = (float) (1.0 / factorial);
        }
    }

    private PortableSigmoid() {
    }

    /** a[i] = 1 / (1 + e^{−z[i]}) for {@code from} ≤ i < n; z and a may be the same array. */
    static void sigmoid(double[] z, double[] a, int from, int n) {
        for (int i = from; i < n; i++) {
            a[i] = 1.0 / (1.0 + exp(-z[i]));
        }
    }

    /** The float32 sigmoid, for {@code from} ≤ i < n. */
    static void sigmoid(float[] z, float[] a, int from, int n) {
        for (int i = from; i < n; i++) {
            a[i] = 1f / (1f + exp(-z[i]));
        }
    }

    /** e^x, x clamped to [−708, 709]; within 2 ulp of {@link Math#exp}. */
    static double exp(double x) {
        x = Math.min(Math.max(x, MIN), MAX);
        double t = Math.fma(x, LOG2E, SHIFTER);
        double n = t - SHIFTER;
        double r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        double p = TAYLOR[0];
        for (int k = 1; k < TAYLOR.length; k++) {
            p = Math.fma(p, r, TAYLOR[k]);
        }
        return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) + EXPONENT_BIAS) << 52);
    }

    /** e^x in float32, x clamped to [−87, 88]. */
    static float exp(float x) {
        x = Math.min(Math.max(x, MIN_F), MAX_F);
        float t = Math.fma(x, LOG2E_F, SHIFTER_F);
        float n = t - SHIFTER_F;
        float r = Math.fma(n, -LN2_HI_F, x);
        r = Math.fma(n, -LN2_LO_F, r);
        float p = TAYLOR_F[0];
        for (int k = 1; k < TAYLOR_F.length; k++) {
            p = Math.fma(p, r, TAYLOR_F[k]);
        }
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) + EXPONENT_BIAS_F) << 23);
    }
}
