package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionRowsTest {
    /** Blocks of 3, 3 and 2 rows; row i has features (i, 10 i) and target 100 i. */
    private static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        int[] sizes = {3, 3, 2};
        int row = 0;
        for (int n : sizes) {
            double[] x = new double[2 * n];
            double[] y = new double[n];
            for (int r = 0; r < n; r++, row++) {
                x[2 * r] = row;
                x[2 * r + 1] = 10 * row;
                y[r] = 100 * row;
            }
            blocks.add(new Block(n, x, y));
        }
        return blocks;
    }

    @Test
    void gathersRowsInTheGivenOrderIntoChunks() {
        PartitionRows rows = new PartitionRows(blocks());
        assertEquals(8, rows.rows());
        Iterator<Block> chunks = rows.select(new int[] {7, 0, 4, 3, 5}, 2);
        Block first = chunks.next();
        assertArrayEquals(new double[] {7, 70, 0, 0}, first.features());
        assertArrayEquals(new double[] {700, 0}, first.targets());
        assertArrayEquals(new double[] {4, 40, 3, 30}, chunks.next().features());
        Block last = chunks.next();
        assertEquals(1, last.rows());
        assertArrayEquals(new double[] {500}, last.targets());
        assertEquals(false, chunks.hasNext());
    }

    @Test
    void gathersFloat32Blocks() {
        List<Block> single = new ArrayList<>();
        single.add(new Block(2, new float[] {1, 2, 3, 4}, new float[] {5, 6}));
        Block chunk = new PartitionRows(single).select(new int[] {1}, 8).next();
        assertArrayEquals(new float[] {3, 4}, chunk.features32());
        assertArrayEquals(new float[] {6}, chunk.targets32());
    }

    @Test
    void rejectsUnevenBlocksAndRowsOutOfRange() {
        List<Block> uneven = blocks();
        uneven.add(0, new Block(1, new double[] {0, 0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new PartitionRows(uneven));
        assertThrows(IndexOutOfBoundsException.class, () -> new PartitionRows(blocks()).select(new int[] {8}, 2).next());
    }

    /** The rows of {@link #blocks()} as CSR blocks of 3, 3 and 2 rows; row 0 is all zeros. */
    private static List<Block> sparseBlocks(double[] weights) {
        List<Block> sparse = new ArrayList<>();
        int row = 0;
        for (Block dense : blocks()) {
            int n = dense.rows();
            SparseFeatures.Builder x = new SparseFeatures.Builder(2, Precision.FLOAT64, 1, 1);
            for (int r = 0; r < n; r++) {
                if (dense.features()[2 * r] != 0) {
                    x.add(1, dense.features()[2 * r + 1]).add(0, dense.features()[2 * r]); // unsorted columns
                }
                x.endRow();
            }
            double[] w = weights == null ? null : java.util.Arrays.copyOfRange(weights, row, row + n);
            sparse.add(new Block(x.build(), dense.targets(), w));
            row += n;
        }
        return sparse;
    }

    private static double[] dense(Block block) {
        return TestData.dense(block.sparseFeatures());
    }

    @Test
    void gathersCsrRowsInTheGivenOrderIntoCsrChunks() {
        double[] weights = {1, 2, 3, 4, 5, 6, 7, 8};
        PartitionRows rows = new PartitionRows(sparseBlocks(weights));
        assertEquals(8, rows.rows());
        Iterator<Block> chunks = rows.select(new int[] {7, 0, 4, 3, 5}, 2);
        Block first = chunks.next();
        assertEquals(true, first.isSparse());
        assertEquals(2, first.inputs());
        assertArrayEquals(new int[] {0, 2, 2}, first.sparseFeatures().rowStart()); // row 0 stays empty
        assertArrayEquals(new int[] {1, 0}, first.sparseFeatures().indices());
        assertArrayEquals(new double[] {7, 70, 0, 0}, dense(first));
        assertArrayEquals(new double[] {700, 0}, first.targets());
        assertArrayEquals(new double[] {8, 1}, first.weights());
        Block second = chunks.next();
        assertArrayEquals(new double[] {4, 40, 3, 30}, dense(second));
        assertArrayEquals(new double[] {5, 4}, second.weights());
        Block last = chunks.next();
        assertEquals(1, last.rows());
        assertArrayEquals(new double[] {5, 50}, dense(last));
        assertArrayEquals(new double[] {500}, last.targets());
        assertEquals(false, chunks.hasNext());
    }

    @Test
    void aDenseBlockAmongCsrOnesGivesItsNonZeros() {
        List<Block> mixed = sparseBlocks(null);
        mixed.set(1, blocks().get(1)); // rows 3, 4, 5 dense
        Block chunk = new PartitionRows(mixed).select(new int[] {4, 1, 0}, 8).next();
        assertEquals(true, chunk.isSparse());
        assertArrayEquals(new int[] {0, 2, 4, 4}, chunk.sparseFeatures().rowStart());
        assertArrayEquals(new double[] {4, 40, 1, 10, 0, 0}, dense(chunk));
        assertArrayEquals(new double[] {400, 100, 0}, chunk.targets());
    }

    @Test
    void gathersFloat32CsrBlocks() {
        SparseFeatures x = new SparseFeatures(3, new int[] {0, 1, 3}, new int[] {2, 0, 1}, new float[] {1, 2, 3});
        Block chunk = new PartitionRows(List.of(new Block(x, new float[] {5, 6}, null))).select(new int[] {1, 0}, 8)
                .next();
        assertEquals(Precision.FLOAT32, chunk.precision());
        assertArrayEquals(new int[] {0, 2, 3}, chunk.sparseFeatures().rowStart());
        assertArrayEquals(new int[] {0, 1, 2}, chunk.sparseFeatures().indices());
        assertArrayEquals(new float[] {2, 3, 1}, chunk.sparseFeatures().values32());
        assertArrayEquals(new float[] {6, 5}, chunk.targets32());
    }
}
