package io.sparkprop.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the malformed inputs of {@code src/test/resources/bad-input} (committed; run again only to
 * change them): one small Parquet file or IDX pair per mistake, each with the mistake at a known
 * place. Run from the project directory after {@code mvn -o test-compile}:
 * <pre>
 * java $(cat target/jvm-options.txt) -cp target/test-classes:target/classes:$(cat target/spark-classpath.txt) \
 *     io.sparkprop.io.BadInputCorpus src/test/resources/bad-input
 * </pre>
 */
public final class BadInputCorpus {
    private BadInputCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/bad-input");
        Path parquet = Files.createDirectories(root.resolve("parquet"));
        Path idx = Files.createDirectories(root.resolve("idx"));
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            writeParquet(spark, parquet);
        } finally {
            spark.stop();
        }
        writeIdx(idx);
    }

    private static void writeParquet(SparkSession spark, Path dir) throws IOException {
        StructType numbers = schema("label", DataTypes.IntegerType, "a", DataTypes.DoubleType, "b", DataTypes.DoubleType);
        write(spark, dir.resolve("null-feature.parquet"), numbers,
                row(0, 0.5, 1.0), row(1, 1.5, 2.0), row(2, 2.5, null), row(0, 3.5, 4.0));
        write(spark, dir.resolve("nan-feature.parquet"), numbers,
                row(0, 0.5, 1.0), row(1, Double.NaN, 2.0), row(2, 2.5, 3.0));
        write(spark, dir.resolve("inf-feature.parquet"), numbers,
                row(0, 0.5, 1.0), row(1, 1.5, 2.0), row(2, 2.5, 3.0), row(1, 3.5, Double.POSITIVE_INFINITY));
        write(spark, dir.resolve("string-column.parquet"),
                schema("label", DataTypes.IntegerType, "a", DataTypes.DoubleType, "name", DataTypes.StringType),
                row(0, 0.5, "x"), row(1, 1.5, "y"));
        write(spark, dir.resolve("label-out-of-range.parquet"), numbers, row(0, 0.5, 1.0), row(7, 1.5, 2.0));
        write(spark, dir.resolve("label-negative.parquet"), numbers, row(0, 0.5, 1.0), row(1, 1.5, 2.0),
                row(-1, 2.5, 3.0));
        write(spark, dir.resolve("label-missing.parquet"), numbers, row(0, 0.5, 1.0), row(null, 1.5, 2.0));
        write(spark, dir.resolve("label-fractional.parquet"),
                schema("label", DataTypes.DoubleType, "a", DataTypes.DoubleType, "b", DataTypes.DoubleType),
                row(0.0, 0.5, 1.0), row(1.0, 1.5, 2.0), row(1.5, 2.5, 3.0));
        // No column named 'label': the first column is taken as the label, and it holds features.
        write(spark, dir.resolve("guessed-label.parquet"),
                schema("x0", DataTypes.DoubleType, "x1", DataTypes.DoubleType, "x2", DataTypes.DoubleType),
                row(0.0, 0.5, 1.0), row(0.25, 1.5, 2.0));

        StructType vectors = schema("features", SQLDataTypes.VectorType(), "label", DataTypes.DoubleType);
        write(spark, dir.resolve("nan-in-vector.parquet"), vectors,
                row(Vectors.dense(0.5, 1.0, 1.5), 0.0), row(Vectors.dense(1.5, 2.0, 2.5), 1.0),
                row(Vectors.dense(2.5, Double.NaN, 3.5), 2.0));
        StructType vectorLabels = schema("features", SQLDataTypes.VectorType(), "label", SQLDataTypes.VectorType());
        write(spark, dir.resolve("vector-label.parquet"), vectorLabels,
                row(Vectors.dense(0.5, 1.0), Vectors.dense(1.5, -1.0)),
                row(Vectors.dense(1.5, 2.0), Vectors.dense(3.5, -2.0)),
                row(Vectors.dense(-0.5, 0.0), Vectors.dense(-0.5, 0.0)),
                row(Vectors.dense(1.0, -1.0), Vectors.dense(0.0, 2.0)));
        write(spark, dir.resolve("bad-vector-label.parquet"), vectorLabels,
                row(Vectors.dense(0.5, 1.0), Vectors.dense(1.5, -1.0)),
                row(Vectors.dense(1.5, 2.0), Vectors.dense(3.5, Double.NaN)));

        byte[] whole = Files.readAllBytes(dir.resolve("null-feature.parquet"));
        Files.write(dir.resolve("truncated.parquet"), Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(dir.resolve("not-parquet.parquet"), "label,a,b\n0,0.5,1.0\n", StandardCharsets.US_ASCII);
    }

    /** Writes the rows as one Parquet file at {@code target} (Spark writes a directory; its one part is kept). */
    private static void write(SparkSession spark, Path target, StructType schema, Row... rows) throws IOException {
        Path out = Files.createTempDirectory("corpus");
        Path parts = out.resolve("data");
        spark.createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(parts.toString());
        try (Stream<Path> files = Files.list(parts)) {
            Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.copy(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static StructType schema(Object... namesAndTypes) {
        StructField[] fields = new StructField[namesAndTypes.length / 2];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = new StructField((String) namesAndTypes[2 * i], (DataType) namesAndTypes[2 * i + 1], true,
                    Metadata.empty());
        }
        return new StructType(fields);
    }

    private static Row row(Object... values) {
        return RowFactory.create(values);
    }

    /** 2 × 2 images; the labels file holds {@code labels}, the images file {@code images} images of the 4 promised. */
    private static void writeIdx(Path dir) throws IOException {
        idx(dir, "short", 3, new int[] {0, 1, 2, 1}); // the images file stops after 3 of its 4 images
        idx(dir, "shortlabels", 4, new int[] {0, 1}); // the labels file stops after 2 of its 4 labels
        idx(dir, "badlabel", 4, new int[] {0, 1, 5, 2}); // label 5 for a network of 3 classes
        // A gzipped images file cut inside its compressed data: only a task reading it finds out.
        byte[] whole = gzip(Files.readAllBytes(dir.resolve("badlabel-images-idx3-ubyte")));
        Files.write(dir.resolve("cutgz-images-idx3-ubyte.gz"), Arrays.copyOf(whole, whole.length - 12));
        Files.write(dir.resolve("cutgz-labels-idx1-ubyte.gz"),
                gzip(Files.readAllBytes(dir.resolve("short-labels-idx1-ubyte"))));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static void idx(Path dir, String prefix, int images, int[] labels) throws IOException {
        ByteArrayOutputStream imageBytes = new ByteArrayOutputStream();
        DataOutputStream img = new DataOutputStream(imageBytes);
        img.writeInt(0x00000803);
        img.writeInt(4);
        img.writeInt(2);
        img.writeInt(2);
        for (int i = 0; i < images * 4; i++) {
            img.writeByte(i * 17);
        }
        ByteArrayOutputStream labelBytes = new ByteArrayOutputStream();
        DataOutputStream lab = new DataOutputStream(labelBytes);
        lab.writeInt(0x00000801);
        lab.writeInt(4);
        for (int label : labels) {
            lab.writeByte(label);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), imageBytes.toByteArray());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labelBytes.toByteArray());
    }
}
