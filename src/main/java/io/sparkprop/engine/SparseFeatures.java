package io.sparkprop.engine;

import java.util.Arrays;

/**
 * Feature rows in compressed sparse row (CSR) form: row {@code r} holds the values
 * {@code values[k]} at the 0-based columns {@code indices[k]}, for {@code k} in
 * {@code rowStart[r] .. rowStart[r + 1] − 1}; every other feature is 0. Values are float64, or
 * float32 for {@link Precision#FLOAT32} training. Memory is {@code 4 (rows + 1)} bytes plus 12
 * (float64) or 8 (float32) bytes per non-zero, whatever the width: a row of 30 non-zeros out of
 * 100,000 features takes 364 bytes instead of 800,000.
 *
 * <p>Immutable by convention: the arrays are shared, not copied, and nobody writes them after
 * construction. Columns need not be sorted within a row, and may repeat (the values then add up);
 * a {@link Builder} writes them in the order given.
 */
public final class SparseFeatures implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int columns;
    private final int[] rowStart;
    private final int[] indices;
    private final double[] values;
    private final float[] values32;

    /** Float64 rows of {@code columns} features. */
    public SparseFeatures(int columns, int[] rowStart, int[] indices, double[] values) {
        this(columns, rowStart, indices, values, null, values.length);
    }

    /** Float32 rows of {@code columns} features. */
    public SparseFeatures(int columns, int[] rowStart, int[] indices, float[] values) {
        this(columns, rowStart, indices, null, values, values.length);
    }

    private SparseFeatures(int columns, int[] rowStart, int[] indices, double[] values, float[] values32,
                           int valueCount) {
        int rows = rowStart.length - 1;
        if (columns < 1 || rows < 1 || rowStart[0] != 0 || rowStart[rows] != indices.length
                || valueCount != indices.length) {
            throw new IllegalArgumentException("CSR arrays do not fit: " + rowStart.length + " row starts (first "
                    + (rowStart.length == 0 ? "none" : rowStart[0]) + ", last "
                    + (rowStart.length == 0 ? "none" : rowStart[rows]) + "), " + indices.length + " indices, "
                    + valueCount + " values, " + columns + " columns");
        }
        for (int r = 0; r < rows; r++) {
            if (rowStart[r + 1] < rowStart[r]) {
                throw new IllegalArgumentException("CSR row " + r + " ends at " + rowStart[r + 1]
                        + " before it starts at " + rowStart[r]);
            }
        }
        for (int index : indices) {
            if (index < 0 || index >= columns) {
                throw new IllegalArgumentException("CSR column " + index + " outside 0.." + (columns - 1));
            }
        }
        this.columns = columns;
        this.rowStart = rowStart;
        this.indices = indices;
        this.values = values;
        this.values32 = values32;
    }

    public int rows() {
        return rowStart.length - 1;
    }

    /** Features per row: the dense width. */
    public int columns() {
        return columns;
    }

    /** Stored entries (explicit zeros included). */
    public int nonZeros() {
        return indices.length;
    }

    public Precision precision() {
        return values != null ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /** {@code rows + 1} offsets into {@link #indices()}: row r spans rowStart[r] .. rowStart[r + 1] − 1. */
    public int[] rowStart() {
        return rowStart;
    }

    /** The 0-based column of every stored entry. */
    public int[] indices() {
        return indices;
    }

    /** The float64 values. */
    public double[] values() {
        if (values == null) {
            throw new IllegalStateException("these CSR rows hold float32 values");
        }
        return values;
    }

    /** The float32 values. */
    public float[] values32() {
        if (values32 == null) {
            throw new IllegalStateException("these CSR rows hold float64 values");
        }
        return values32;
    }

    /**
     * Bytes of the arrays (array headers aside): what caching the rows costs, proportional to the
     * non-zeros and independent of the width.
     */
    public long bytes() {
        return 4L * rowStart.length + 4L * indices.length + (values != null ? 8L : 4L) * indices.length;
    }

    /**
     * Accumulates CSR rows one at a time; the arrays grow by doubling and are trimmed by
     * {@link #build()}, so the result holds exactly its non-zeros.
     */
    public static final class Builder {
        private final int columns;
        private final Precision precision;
        private int[] rowStart;
        private int[] indices;
        private double[] values;
        private float[] values32;
        private int rows;
        private int size;

        /** @param rowsHint and {@code nonZerosHint}: initial capacities; exceeding them is fine */
        public Builder(int columns, Precision precision, int rowsHint, int nonZerosHint) {
            this.columns = columns;
            this.precision = precision;
            this.rowStart = new int[Math.max(1, rowsHint) + 1];
            int capacity = Math.max(16, nonZerosHint);
            this.indices = new int[capacity];
            if (precision == Precision.FLOAT64) {
                values = new double[capacity];
            } else {
                values32 = new float[capacity];
            }
        }

        /** Appends an entry to the current row (rounded to float32 for a float32 builder). */
        public Builder add(int column, double value) {
            if (size == indices.length) {
                int capacity = 2 * size;
                indices = Arrays.copyOf(indices, capacity);
                if (values != null) {
                    values = Arrays.copyOf(values, capacity);
                } else {
                    values32 = Arrays.copyOf(values32, capacity);
                }
            }
            indices[size] = column;
            if (values != null) {
                values[size] = value;
            } else {
                values32[size] = (float) value;
            }
            size++;
            return this;
        }

        /** Ends the current row (which may be empty: all zeros). */
        public Builder endRow() {
            if (rows + 2 > rowStart.length) {
                rowStart = Arrays.copyOf(rowStart, 2 * rowStart.length);
            }
            rows++;
            rowStart[rows] = size;
            return this;
        }

        public SparseFeatures build() {
            int[] starts = Arrays.copyOf(rowStart, rows + 1);
            int[] columnsOf = Arrays.copyOf(indices, size);
            return precision == Precision.FLOAT64
                    ? new SparseFeatures(columns, starts, columnsOf, Arrays.copyOf(values, size))
                    : new SparseFeatures(columns, starts, columnsOf, Arrays.copyOf(values32, size));
        }
    }
}
