package io.sparkprop.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares the weights of two model directories, for scripts/cluster-test.sh (a cluster-trained
 * model against the same training in local mode). Reads both {@code weights.bin} files
 * (little-endian float64) and checks every weight's relative difference
 * {@code |a − b| / max(|a|, |b|)} against a tolerance.
 *
 * <pre>java -cp target/test-classes io.sparkprop.cluster.CompareModels MODEL_A MODEL_B [TOLERANCE]</pre>
 *
 * Exit code 0 when every weight is within the tolerance (default 1e-10), 1 when one is not, 2 when
 * the models cannot be compared (missing file, different sizes, non-finite weights).
 */
public final class CompareModels {
    private CompareModels() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: CompareModels MODEL_A MODEL_B [TOLERANCE]");
            System.exit(2);
        }
        double tolerance = args.length == 3 ? Double.parseDouble(args[2]) : 1e-10;
        double[] a = weights(Path.of(args[0]));
        double[] b = weights(Path.of(args[1]));
        if (a.length != b.length) {
            System.err.printf("CompareModels: %s has %d weights, %s has %d%n", args[0], a.length, args[1], b.length);
            System.exit(2);
        }
        double maxRelative = 0;
        double maxAbsolute = 0;
        int worst = 0;
        int identical = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                System.err.printf("CompareModels: weight %d is not finite: %s vs %s%n", i, a[i], b[i]);
                System.exit(2);
            }
            if (Double.doubleToLongBits(a[i]) == Double.doubleToLongBits(b[i])) {
                identical++;
                continue;
            }
            double absolute = Math.abs(a[i] - b[i]);
            double relative = absolute / Math.max(Math.abs(a[i]), Math.abs(b[i]));
            maxAbsolute = Math.max(maxAbsolute, absolute);
            if (relative > maxRelative) {
                maxRelative = relative;
                worst = i;
            }
        }
        System.out.printf("%d weights, %d bit-identical; max relative difference %.3g (weight %d: %s vs %s), "
                + "max absolute difference %.3g; tolerance %.3g%n", a.length, identical, maxRelative, worst,
                a[worst], b[worst], maxAbsolute, tolerance);
        System.exit(maxRelative <= tolerance ? 0 : 1);
    }

    private static double[] weights(Path model) throws IOException {
        Path file = model.resolve("weights.bin");
        if (!Files.isRegularFile(file)) {
            System.err.println("CompareModels: " + file + " is missing");
            System.exit(2);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0 || bytes.length % Double.BYTES != 0) {
            System.err.println("CompareModels: " + file + " has " + bytes.length + " bytes, not a whole number of "
                    + "float64 values");
            System.exit(2);
        }
        double[] values = new double[bytes.length / Double.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }
}
