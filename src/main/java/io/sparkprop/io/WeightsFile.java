package io.sparkprop.io;

import io.sparkprop.engine.Network;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;

/**
 * {@code weights.bin}: the flat parameter vector as little-endian IEEE-754 float64 values and
 * nothing else, with the SHA-256 of its bytes computed as it is written or read (one pass, a
 * buffer at a time).
 */
final class WeightsFile {
    private static final int BUFFER_VALUES = 8192;

    private WeightsFile() {
    }

    /** Writes {@code params} to {@code out} and returns the SHA-256 of the bytes as lower-case hex. */
    static String write(double[] params, OutputStream out) throws IOException {
        MessageDigest digest = Sha256.digest();
        ByteBuffer buffer = ByteBuffer.allocate(8 * BUFFER_VALUES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < params.length; i++) {
            buffer.putDouble(params[i]);
            if (!buffer.hasRemaining() || i == params.length - 1) {
                digest.update(buffer.array(), 0, buffer.position());
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
        out.flush();
        return Sha256.hex(digest);
    }

    /** Values read from a weights file and the SHA-256 of its bytes. */
    record Read(double[] params, String sha256) {
    }

    /**
     * Reads exactly {@code count} values.
     *
     * @throws ModelStoreException when the stream ends early or holds more
     */
    static Read read(InputStream in, int count, String where) throws IOException {
        MessageDigest digest = Sha256.digest();
        DataInputStream data = new DataInputStream(in);
        double[] params = new double[count];
        byte[] bytes = new byte[8 * BUFFER_VALUES];
        for (int start = 0; start < count; start += BUFFER_VALUES) {
            int n = Math.min(BUFFER_VALUES, count - start);
            try {
                data.readFully(bytes, 0, 8 * n);
            } catch (EOFException e) {
                throw new ModelStoreException(where + " ended after fewer than " + count + " float64 values");
            }
            digest.update(bytes, 0, 8 * n);
            ByteBuffer.wrap(bytes, 0, 8 * n).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(params, start, n);
        }
        if (data.read() != -1) {
            throw new ModelStoreException(where + " holds more than " + count + " float64 values");
        }
        return new Read(params, Sha256.hex(digest));
    }

    /** The index of the first value that is NaN or infinite, or -1. */
    static int firstNonFinite(double[] params) {
        for (int i = 0; i < params.length; i++) {
            if (!Double.isFinite(params[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Where value {@code index} sits, e.g. {@code "layer 1 weight [3][2]"} or {@code "layer 2 bias [0]"}. */
    static String position(Network network, int index) {
        for (int l = 0; l < network.depth(); l++) {
            int bias = network.biasOffset(l);
            if (index < bias) {
                int offset = index - network.weightOffset(l);
                return "layer " + (l + 1) + " weight [" + offset / network.fanIn(l) + "][" + offset % network.fanIn(l)
                        + "]";
            }
            if (index < bias + network.units(l)) {
                return "layer " + (l + 1) + " bias [" + (index - bias) + "]";
            }
        }
        throw new IllegalArgumentException("index " + index + " is outside the network's parameters");
    }

}
