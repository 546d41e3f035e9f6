package io.sparkprop.io;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which column of a table (CSV, column-per-feature Parquet) holds the label, and whether the user
 * chose it or it was guessed: a guessed label column is named in label errors, with how to choose.
 *
 * @param index 0-based
 * @param name the column's name, or null when the columns have none (CSV without header)
 * @param guessed no column was asked for and none is named "label": the first column was taken
 */
record LabelColumn(int index, String name, boolean guessed) implements java.io.Serializable {
    /**
     * @param wanted the label column's name or 0-based index; empty means the column named
     *        "label" if there is one, else the first column
     * @param names the columns' names, or null when they have none
     * @param columns the number of columns
     * @param path for messages
     * @throws InvalidDataException if there is no such column, or no column besides the label
     */
    static LabelColumn choose(Optional<String> wanted, String[] names, int columns, String path) {
        if (columns < 2) {
            throw new InvalidDataException(path + ": only " + columns + " column; expected a label and at least one "
                    + "feature");
        }
        int named = names == null ? -1 : Arrays.asList(names).indexOf(wanted.orElse("label"));
        if (named >= 0) {
            return new LabelColumn(named, names[named], false);
        }
        if (wanted.isEmpty()) {
            return new LabelColumn(0, names == null ? null : names[0], true);
        }
        String asked = wanted.get();
        if (asked.matches("\\d+")) {
            int index = Integer.parseInt(asked);
            if (index < columns) {
                return new LabelColumn(index, names == null ? null : names[index], false);
            }
            throw new InvalidDataException(path + ": label column " + index + " does not exist; the input has "
                    + columns + " columns (0.." + (columns - 1) + ")");
        }
        throw new InvalidDataException(path + ": no label column '" + asked + "'" + (names != null
                ? " (columns: " + String.join(", ", names) + ")"
                : "; the input has no header, so give the label column as a 0-based index"));
    }

    /** {@code column 3 ('y')}, or {@code column 3} without names. */
    String describe() {
        return describe(index, name);
    }

    /** {@code column 3 ('y')}, or {@code column 3} when {@code name} is null. */
    static String describe(int index, String name) {
        return name == null ? "column " + index : "column " + index + " ('" + name + "')";
    }

    /**
     * Appended to a problem with a label, so a user whose label column was guessed wrongly sees
     * why: {@code  (the label is column 0, guessed: no column is named 'label'; choose one with
     * --label-col)}. Empty when the user chose the column.
     */
    String guessNote() {
        return guessed ? " (the label is " + describe() + ", guessed: no column is named 'label'; choose one with "
                + "--label-col)" : "";
    }
}
