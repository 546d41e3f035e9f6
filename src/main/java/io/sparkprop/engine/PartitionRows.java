package io.sparkprop.engine;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One partition's blocks seen as a list of rows, so that a mini-batch step can pick any of them.
 * Blocks hold the same number of rows except the last, as the cached blocks do, which makes
 * finding row i a division.
 */
public final class PartitionRows {
    private final List<Block> blocks;
    private final int blockRows;
    private final int rows;

    public PartitionRows(List<Block> blocks) {
        this.blocks = blocks;
        this.blockRows = blocks.isEmpty() ? 1 : blocks.get(0).rows();
        int total = 0;
        for (int b = 0; b < blocks.size(); b++) {
            int n = blocks.get(b).rows();
            if (b < blocks.size() - 1 && n != blockRows) {
                throw new IllegalArgumentException("block " + b + " has " + n + " rows; all blocks but the last need "
                        + blockRows);
            }
            total += n;
        }
        this.rows = total;
    }

    public int rows() {
        return rows;
    }

    /**
     * The rows {@code indices} in that order, copied into new blocks of at most {@code chunkRows}
     * rows each, lazily: one chunk is alive at a time besides what the caller keeps.
     */
    public Iterator<Block> select(int[] indices, int chunkRows) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < indices.length;
            }

            @Override
            public Block next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(indices.length, next + chunkRows);
                Block chunk = gather(indices, next, to);
                next = to;
                return chunk;
            }
        };
    }

    private Block gather(int[] indices, int from, int to) {
        Block first = blocks.get(0);
        int in = first.inputs();
        int out = first.outputs();
        int n = to - from;
        boolean single = first.precision() == Precision.FLOAT32;
        double[] x = single ? null : new double[n * in];
        double[] y = single ? null : new double[n * out];
        float[] x32 = single ? new float[n * in] : null;
        float[] y32 = single ? new float[n * out] : null;
        double[] w = first.weights() == null ? null : new double[n];
        for (int r = 0; r < n; r++) {
            int row = indices[from + r];
            if (row < 0 || row >= rows) {
                throw new IndexOutOfBoundsException("row " + row + " of a partition with " + rows + " rows");
            }
            Block source = blocks.get(row / blockRows);
            int at = row % blockRows;
            if (w != null) {
                w[r] = source.weights()[at];
            }
            if (single) {
                System.arraycopy(source.features32(), at * in, x32, r * in, in);
                System.arraycopy(source.targets32(), at * out, y32, r * out, out);
            } else {
                System.arraycopy(source.features(), at * in, x, r * in, in);
                System.arraycopy(source.targets(), at * out, y, r * out, out);
            }
        }
        return single ? new Block(n, x32, y32, w) : new Block(n, x, y, w);
    }
}
