package io.sparkprop.engine;

import java.util.SplittableRandom;

/**
 * Seeded weight initialisation. Biases start at zero. Weights of layer l are drawn uniformly from
 * [−r, r] with
 * <ul>
 *   <li>He: r = √(6 / fanIn) for relu layers (keeps the variance of activations through relus),</li>
 *   <li>Glorot/Xavier: r = √(6 / (fanIn + fanOut)) for every other activation.</li>
 * </ul>
 * The same seed and network always give the same vector.
 */
public final class Initializer {
    private Initializer() {
    }

    public static double[] initialize(Network network, long seed) {
        double[] params = new double[network.parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int l = 0; l < network.depth(); l++) {
            int fanIn = network.fanIn(l);
            int fanOut = network.units(l);
            double r = network.layers().get(l).activation() == Activation.RELU
                    ? Math.sqrt(6.0 / fanIn)
                    : Math.sqrt(6.0 / (fanIn + fanOut));
            int from = network.weightOffset(l);
            int to = network.biasOffset(l);
            for (int i = from; i < to; i++) {
                params[i] = random.nextDouble(-r, r);
            }
        }
        return params;
    }
}
