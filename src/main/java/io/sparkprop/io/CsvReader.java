package io.sparkprop.io;

import io.sparkprop.engine.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads comma-separated numbers, one example per line, into {@link LabeledData} with dense
 * feature vectors. The first non-blank line is a header when any of its fields is not a number; a
 * directory's later files may repeat the header, which is then skipped. Every value is checked as
 * it is parsed, and a bad one fails the job with an {@link InvalidDataException} naming the file,
 * the line number and the column: {@code file:/d/train.csv:1234: column 3 ('f2') holds 'x7';
 * expected a finite number}.
 *
 * <p>Fields are separated by commas, may have spaces or tabs around them and may be enclosed in
 * double quotes. Numbers are plain decimals, parsed to exactly the doubles of
 * {@link Double#parseDouble}.
 */
final class CsvReader {
    private final SparkSession spark;

    CsvReader(SparkSession spark) {
        this.spark = spark;
    }

    LabeledData read(String path, ReadOptions options) {
        TextFiles files = TextFiles.list(spark, path);
        TextFiles.FirstLine first = files.firstLine();
        CsvFields fields = new CsvFields(16);
        byte[] bytes = first.text().getBytes(StandardCharsets.UTF_8);
        int columns = fields.split(bytes, bytes.length);
        if (fields.badQuoteField() >= 0) {
            throw first.error(LabelColumn.describe(fields.badQuoteField(), null) + " " + fields.badQuote());
        }
        String[] header = null;
        if (!isNumeric(fields)) {
            header = new String[columns];
            for (int c = 0; c < columns; c++) {
                header[c] = fields.text(c).trim();
            }
        }
        boolean unlabelled = options.mayLackLabels() && options.labelColumn().isEmpty() && options.features().isPresent()
                && options.features().getAsInt() == columns;
        LabelColumn label = unlabelled ? null : LabelColumn.choose(options.labelColumn(), header, columns, path);
        Layout layout = new Layout(first.file(), header, columns, label, options.targets().orElse(null));
        JavaRDD<Row> rows = files.parse(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                () -> new LineParser(layout));
        StructType schema = unlabelled ? new StructType(new StructField[] {DataLoader.SCHEMA.fields()[0]})
                : DataLoader.SCHEMA;
        return new LabeledData(spark.createDataFrame(rows, schema), layout.features(), "csv " + path);
    }

    /**
     * Whether a line looks like data rather than a header: every field not empty is a number (an
     * empty field is a data error, reported as such; a header may have an empty name, as pandas
     * writes for the index column).
     */
    private static boolean isNumeric(CsvFields fields) {
        for (int c = 0; c < fields.count(); c++) {
            if (!fields.isEmpty(c) && !Double.isFinite(fields.number(c))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What every line must look like, from the first line.
     *
     * @param firstFile the file of the first line, for messages
     * @param header the columns' names, or null without a header
     * @param label null when the data has no label column
     * @param targets what labels must be, or null to accept any finite number
     */
    private record Layout(String firstFile, String[] header, int columns, LabelColumn label, TargetSpec targets)
            implements java.io.Serializable {
        int features() {
            return label == null ? columns : columns - 1;
        }

        int labelIndex() {
            return label == null ? -1 : label.index();
        }

        String column(int c) {
            return LabelColumn.describe(c, header == null ? null : header[c]);
        }

        /** Said after a problem in column {@code c}. */
        String note(int c) {
            return c == labelIndex() ? label.guessNote() : "";
        }
    }

    /** Parses the lines of one partition into rows of (features, label) or (features). */
    private static final class LineParser implements TextFiles.LineParser<Row> {
        private final Layout layout;
        private final int labelIndex;
        private final CsvFields fields;

        LineParser(Layout layout) {
            this.layout = layout;
            this.labelIndex = layout.labelIndex();
            this.fields = new CsvFields(layout.columns());
        }

        @Override
        public Row parse(TextFiles.Line line) {
            int count = fields.split(line.bytes(), line.length());
            if (line.firstInFile() && layout.header() != null && isHeader(line)) {
                return null;
            }
            if (fields.badQuoteField() >= 0) {
                throw line.error(layout.column(fields.badQuoteField()) + " " + fields.badQuote());
            }
            if (count != layout.columns()) {
                throw line.error("found " + count + " field" + (count == 1 ? "" : "s") + ", expected "
                        + layout.columns() + " like the " + (layout.header() != null ? "header" : "first line"));
            }
            double[] x = new double[layout.features()];
            double label = 0;
            for (int c = 0, j = 0; c < count; c++) {
                double value = fields.number(c);
                if (!Double.isFinite(value)) {
                    throw badValue(line, c);
                }
                if (c == labelIndex) {
                    label = value;
                } else {
                    x[j++] = value;
                }
            }
            if (labelIndex < 0) {
                return RowFactory.create(Vectors.dense(x));
            }
            if (layout.targets() != null) {
                String problem = layout.targets().problem(label);
                if (problem != null) {
                    throw line.error(problem + layout.label().guessNote());
                }
            }
            return RowFactory.create(Vectors.dense(x), label);
        }

        /**
         * Whether the first line of a later file is the header again (then skipped). A first line
         * that is not numbers, yet not the header, is refused: its columns may be in another order.
         */
        private boolean isHeader(TextFiles.Line line) {
            if (isNumeric(fields)) {
                return false;
            }
            String[] names = new String[fields.count()];
            for (int c = 0; c < names.length; c++) {
                names[c] = fields.text(c).trim();
            }
            if (Arrays.equals(names, layout.header())) {
                return true;
            }
            throw line.error("this header differs from the header of " + layout.firstFile() + ": "
                    + difference(names, layout.header()));
        }

        /** The first difference between two headers, short even for thousands of columns. */
        private static String difference(String[] here, String[] there) {
            for (int c = 0; c < Math.min(here.length, there.length); c++) {
                if (!here[c].equals(there[c])) {
                    return "column " + c + " is '" + TextFiles.shorten(here[c]) + "' here, '"
                            + TextFiles.shorten(there[c]) + "' there";
                }
            }
            return here.length + " columns here, " + there.length + " there";
        }

        private InvalidDataException badValue(TextFiles.Line line, int c) {
            String where = layout.column(c);
            String problem = fields.isEmpty(c) ? where + " is empty; expected a finite number"
                    : where + " holds '" + TextFiles.shorten(fields.text(c)) + "'; expected a finite number";
            return line.error(problem + layout.note(c));
        }
    }
}
