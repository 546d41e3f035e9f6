package io.sparkprop.engine;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One partition's blocks seen as a list of rows, so that a mini-batch step can pick any of them.
 * Blocks hold the same number of rows except the last, as the cached blocks do, which makes
 * finding row i a division. When any block is sparse, the chunks are CSR (a row of a dense block
 * contributes its non-zeros): gathering wide sparse rows into dense chunks would cost the memory
 * sparsity saves.
 */
public final class PartitionRows {
    private final List<Block> blocks;
    private final int blockRows;
    private final int rows;
    private final boolean sparse;
    /** The mean non-zeros per row of the sparse blocks, plus one: how large a chunk's arrays start. */
    private final int nonZerosPerRow;

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
        this.sparse = blocks.stream().anyMatch(Block::isSparse);
        long nonZeros = 0;
        long sparseRows = 0;
        for (Block block : blocks) {
            if (block.isSparse()) {
                nonZeros += block.sparseFeatures().nonZeros();
                sparseRows += block.rows();
            }
        }
        this.nonZerosPerRow = (int) (nonZeros / Math.max(1, sparseRows) + 1);
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
        if (sparse) {
            return gatherSparse(indices, from, to);
        }
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
            int row = checked(indices[from + r]);
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

    private int checked(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of a partition with " + rows + " rows");
        }
        return row;
    }

    /** {@link #gather} into a CSR block, in the precision of the first block. */
    private Block gatherSparse(int[] indices, int from, int to) {
        Block first = blocks.get(0);
        int in = first.inputs();
        int out = first.outputs();
        int n = to - from;
        boolean single = first.precision() == Precision.FLOAT32;
        SparseFeatures.Builder x = new SparseFeatures.Builder(in, first.precision(), n, (int) Math.min(Integer.MAX_VALUE - 8, (long) n * nonZerosPerRow));
        double[] y = single ? null : new double[n * out];
        float[] y32 = single ? new float[n * out] : null;
        double[] w = first.weights() == null ? null : new double[n];
        for (int r = 0; r < n; r++) {
            int row = checked(indices[from + r]);
            Block source = blocks.get(row / blockRows);
            int at = row % blockRows;
            if (w != null) {
                w[r] = source.weights()[at];
            }
            if (source.isSparse()) {
                copyRow(source.sparseFeatures(), at, x);
            } else if (single) {
                float[] dense = source.features32();
                for (int i = at * in; i < (at + 1) * in; i++) {
                    if (dense[i] != 0) {
                        x.add(i - at * in, dense[i]);
                    }
                }
            } else {
                double[] dense = source.features();
                for (int i = at * in; i < (at + 1) * in; i++) {
                    if (dense[i] != 0) {
                        x.add(i - at * in, dense[i]);
                    }
                }
            }
            x.endRow();
            if (single) {
                System.arraycopy(source.targets32(), at * out, y32, r * out, out);
            } else {
                System.arraycopy(source.targets(), at * out, y, r * out, out);
            }
        }
        return single ? new Block(x.build(), y32, w) : new Block(x.build(), y, w);
    }

    private static void copyRow(SparseFeatures source, int row, SparseFeatures.Builder x) {
        int[] start = source.rowStart();
        int[] columns = source.indices();
        if (source.precision() == Precision.FLOAT32) {
            float[] values = source.values32();
            for (int k = start[row]; k < start[row + 1]; k++) {
                x.add(columns[k], values[k]);
            }
        } else {
            double[] values = source.values();
            for (int k = start[row]; k < start[row + 1]; k++) {
                x.add(columns[k], values[k]);
            }
        }
    }
}
