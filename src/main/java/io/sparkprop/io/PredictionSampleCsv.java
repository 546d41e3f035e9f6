package io.sparkprop.io;

import io.sparkprop.engine.PredictionSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value ModelStore#PREDICTIONS}: a {@link PredictionSample} as CSV, one row per sampled example,
 * {@code target,prediction} for one output or {@code target_0,prediction_0,target_1,...} for several;
 * values in Java's shortest round-trip form, so they read back to the bit.
 */
final class PredictionSampleCsv {
    private PredictionSampleCsv() {
    }

    static void write(PredictionSample sample, OutputStream out) {
        PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
        List<String> header = new ArrayList<>();
        for (int j = 0; j < sample.outputs(); j++) {
            String suffix = sample.outputs() == 1 ? "" : "_" + j;
            header.add("target" + suffix);
            header.add("prediction" + suffix);
        }
        w.print(String.join(",", header) + "\n");
        for (int r = 0; r < sample.rows(); r++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < sample.outputs(); j++) {
                line.append(j == 0 ? "" : ",").append(sample.target(r, j)).append(',').append(sample.prediction(r, j));
            }
            w.print(line.append('\n'));
        }
        w.flush();
    }

    /** @param where the file, for messages */
    static PredictionSample read(InputStream in, String where) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null || !header.startsWith("target")) {
            throw new ModelStoreException(where + " has no header line target,prediction,...");
        }
        int columns = header.split(",").length;
        if (columns % 2 != 0) {
            throw new ModelStoreException(where + ": the header has " + columns + " columns; expected pairs of "
                    + "target and prediction");
        }
        List<double[]> rows = new ArrayList<>();
        int lineNumber = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String[] cells = line.split(",");
            if (cells.length != columns) {
                throw new ModelStoreException(where + ":" + lineNumber + " has " + cells.length + " values; expected "
                        + columns);
            }
            double[] row = new double[columns];
            try {
                for (int c = 0; c < columns; c++) {
                    row[c] = Double.parseDouble(cells[c]);
                }
            } catch (NumberFormatException e) {
                throw new ModelStoreException(where + ":" + lineNumber + " holds a value that is not a number");
            }
            rows.add(row);
        }
        int outputs = columns / 2;
        double[] targets = new double[rows.size() * outputs];
        double[] predictions = new double[targets.length];
        for (int r = 0; r < rows.size(); r++) {
            for (int j = 0; j < outputs; j++) {
                targets[r * outputs + j] = rows.get(r)[2 * j];
                predictions[r * outputs + j] = rows.get(r)[2 * j + 1];
            }
        }
        return new PredictionSample(outputs, targets, predictions);
    }
}
