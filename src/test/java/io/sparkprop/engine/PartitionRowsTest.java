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
}
