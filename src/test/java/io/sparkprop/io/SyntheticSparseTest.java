package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticSparseTest {
    @Test
    void rowsHaveDistinctIncreasingColumnsAndThreeDecimalValues() {
        SyntheticSparse task = new SyntheticSparse(100_000, 30, 2, 42);
        int[] columns = new int[30];
        double[] values = new double[30];
        for (long i = 0; i < 2000; i++) {
            task.row(i, columns, values);
            for (int k = 0; k < 30; k++) {
                assertTrue(columns[k] >= 0 && columns[k] < 100_000);
                assertTrue(k == 0 || columns[k] > columns[k - 1], "row " + i + " columns increase");
                assertTrue(values[k] > 0 && values[k] <= 1);
                assertEquals(values[k], Double.parseDouble(Double.toString(values[k])));
                assertEquals(Math.rint(values[k] * 1000), values[k] * 1000, 1e-9, "three decimals");
            }
        }
        // All of a small width is drawn: 5 of 5 columns.
        SyntheticSparse full = new SyntheticSparse(5, 5, 3, 1);
        int[] all = new int[5];
        full.row(7, all, new double[5]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, all);
    }

    @Test
    void rowsDependOnlyOnTheSeedAndIndexAndLabelsFollowTheTeacher() {
        SyntheticSparse task = new SyntheticSparse(1000, 8, 3, 7);
        int[] columns = new int[8];
        double[] values = new double[8];
        int[] again = new int[8];
        double[] againValues = new double[8];
        int[] counts = new int[3];
        for (long i = 0; i < 3000; i++) {
            int label = task.row(i, columns, values);
            assertEquals(label, new SyntheticSparse(1000, 8, 3, 7).row(i, again, againValues));
            assertArrayEquals(columns, again);
            assertArrayEquals(values, againValues);
            double best = Double.NEGATIVE_INFINITY;
            int argMax = -1;
            for (int c = 0; c < 3; c++) {
                double score = 0;
                for (int k = 0; k < 8; k++) {
                    score += task.teacher(c, columns[k]) * values[k];
                }
                if (score > best) {
                    best = score;
                    argMax = c;
                }
            }
            assertEquals(argMax, label);
            counts[label]++;
        }
        for (int c = 0; c < 3; c++) {
            assertTrue(counts[c] > 800 && counts[c] < 1200, "class " + c + ": " + counts[c] + " of 3000 rows");
        }
        int[] otherSeed = new int[8];
        new SyntheticSparse(1000, 8, 3, 8).row(0, otherSeed, new double[8]);
        task.row(0, columns, values);
        assertTrue(!java.util.Arrays.equals(columns, otherSeed), "the seed matters");
    }

    @Test
    void refusesMoreNonZerosThanFeaturesAndFewerThanTwoClasses() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSparse(10, 11, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSparse(10, 0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSparse(10, 3, 1, 1));
    }
}
