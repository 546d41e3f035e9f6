package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {
    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.session();
    private final DataLoader loader = new DataLoader(spark);

    private List<Row> rows(LabeledData data) {
        return data.frame().collectAsList();
    }

    @Test
    void csvWithoutHeaderTakesTheLabelFromTheFirstColumnByDefault() throws IOException {
        Path csv = write("plain.csv", "1,0.5,-2e-3", "0,7,8");
        LabeledData data = loader.load(csv.toString(), DataFormat.detect(csv.toString()), Optional.empty());
        assertEquals(2, data.featureCount());
        List<Row> rows = rows(data);
        assertArrayEquals(new double[] {0.5, -0.002}, ((Vector) rows.get(0).get(0)).toArray());
        assertEquals(1.0, rows.get(0).getDouble(1));
        assertEquals(0.0, rows.get(1).getDouble(1));
    }

    @Test
    void csvWithHeaderFindsTheLabelByNameOrIndex() throws IOException {
        Path csv = write("named.csv", "x,y,label", "1,2,3", "4,5,6");
        List<Row> byDefault = rows(loader.load(csv.toString(), DataFormat.CSV, Optional.empty()));
        assertEquals(3.0, byDefault.get(0).getDouble(1));
        assertArrayEquals(new double[] {1, 2}, ((Vector) byDefault.get(0).get(0)).toArray());

        List<Row> byName = rows(loader.load(csv.toString(), DataFormat.CSV, Optional.of("y")));
        assertEquals(5.0, byName.get(1).getDouble(1));
        assertArrayEquals(new double[] {4, 6}, ((Vector) byName.get(1).get(0)).toArray());

        List<Row> byIndex = rows(loader.load(csv.toString(), DataFormat.CSV, Optional.of("0")));
        assertEquals(4.0, byIndex.get(1).getDouble(1));

        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> loader.load(csv.toString(), DataFormat.CSV, Optional.of("z")));
        assertTrue(e.getMessage().contains("no label column 'z' (columns: x, y, label)"), e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> loader.load(csv.toString(), DataFormat.CSV, Optional.of("3")));
        assertTrue(e.getMessage().contains("label column 3 does not exist; the input has 3 columns"), e.getMessage());
    }

    @Test
    void csvOfExactlyTheModelsWidthIsReadAsFeaturesOnly() throws IOException {
        Path csv = write("features.csv", "1,2", "3,4");
        LabeledData data = loader.load(csv.toString(), DataFormat.CSV, Optional.empty(), OptionalInt.of(2));
        assertEquals(2, data.featureCount());
        assertEquals(List.of("features"), List.of(data.frame().columns()));
        assertArrayEquals(new double[] {3, 4}, ((Vector) rows(data).get(1).get(0)).toArray());
    }

    @Test
    void libsvmIsReadAsSparseVectors() throws IOException {
        Path file = write("small.libsvm", "1 1:0.5 3:2", "0 2:-1");
        LabeledData data = loader.load(file.toString(), DataFormat.detect(file.toString()), Optional.empty());
        assertEquals(3, data.featureCount());
        List<Row> rows = rows(data);
        assertArrayEquals(new double[] {0.5, 0, 2}, ((Vector) rows.get(0).get(0)).toArray());
        assertEquals(0.0, rows.get(1).getDouble(1));
        assertEquals(5, loader.load(file.toString(), DataFormat.LIBSVM, Optional.empty(), OptionalInt.of(5))
                .featureCount());
    }

    @Test
    void parquetWithNumericColumnsOrAVectorColumn() {
        String columns = dir.resolve("columns.parquet").toString();
        spark.sql("SELECT CAST(id AS DOUBLE) AS a, id * 2 AS b, CAST(id % 2 AS INT) AS label FROM range(4)")
                .coalesce(1).write().parquet(columns);
        LabeledData numeric = loader.load(columns, DataFormat.detect(columns), Optional.empty());
        assertEquals(2, numeric.featureCount());
        Row third = rows(numeric).get(3);
        assertArrayEquals(new double[] {3, 6}, ((Vector) third.get(0)).toArray());
        assertEquals(1.0, third.getDouble(1));

        String vectors = dir.resolve("vectors.parquet").toString();
        numeric.frame().write().parquet(vectors);
        LabeledData roundTrip = loader.load(vectors, DataFormat.PARQUET, Optional.empty());
        assertEquals(2, roundTrip.featureCount());
        assertEquals(4, roundTrip.frame().count());
    }

    @Test
    void syntheticRowsDoNotDependOnPartitioning() {
        SyntheticClusters task = SyntheticClusters.standard(5);
        List<Row> one = rows(loader.synthetic(task, 50, 1));
        List<Row> three = rows(loader.synthetic(task, 50, 3));
        assertEquals(one, three);
        assertEquals(10, ((Vector) one.get(0).get(0)).size());
    }

    @Test
    void syntheticRegressionRowsCarryTheTargetAsLabel() {
        SyntheticRegression task = SyntheticRegression.standard(5);
        LabeledData data = loader.synthetic(task, 40, 3);
        assertEquals(10, data.featureCount());
        assertEquals(task.describe(), data.source());
        List<Row> rows = rows(data);
        assertEquals(rows, rows(loader.synthetic(task, 40, 1)));
        double[] x = new double[10];
        double y = task.rows().row(17, x);
        assertArrayEquals(x, ((Vector) rows.get(17).get(0)).toArray());
        assertEquals(y, rows.get(17).getDouble(1));
    }

    @Test
    void formatsAreDetectedFromNamesOrRefused() {
        assertEquals(DataFormat.CSV, DataFormat.detect("s3a://bucket/data/train.csv.gz"));
        assertEquals(DataFormat.LIBSVM, DataFormat.detect("hdfs:///a9a.svm"));
        assertEquals(DataFormat.PARQUET, DataFormat.detect("/data/features.parquet/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataFormat.detect("data.txt"));
        assertTrue(e.getMessage().contains("pass --format"));
    }

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        return file;
    }
}
