package io.sparkprop.io;

import io.sparkprop.engine.TargetSpec;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to read an input besides its path and format.
 *
 * @param labelColumn for CSV and column-per-feature Parquet: the label column's name or 0-based
 *        index; empty means the column named "label" if there is one, else the first column
 * @param features the model's input width when it is known: LIBSVM data then has this width (a
 *        larger index is an error)
 * @param targets what the labels must be (from the network's outputs and loss); when given, the
 *        reader checks every label where it can name the file and line
 * @param mayLackLabels with {@code features}: a CSV file with exactly that many columns and no
 *        label column named is read as features only (for predictions)
 */
public record ReadOptions(Optional<String> labelColumn, OptionalInt features, Optional<TargetSpec> targets,
                          boolean mayLackLabels) {
    public ReadOptions(Optional<String> labelColumn, OptionalInt features, Optional<TargetSpec> targets) {
        this(labelColumn, features, targets, false);
    }

    public static ReadOptions defaults() {
        return new ReadOptions(Optional.empty(), OptionalInt.empty(), Optional.empty());
    }

    public ReadOptions withLabelColumn(String column) {
        return new ReadOptions(Optional.ofNullable(column), features, targets, mayLackLabels);
    }

    public ReadOptions withFeatures(int count) {
        return new ReadOptions(labelColumn, OptionalInt.of(count), targets, mayLackLabels);
    }

    public ReadOptions withTargets(TargetSpec spec) {
        return new ReadOptions(labelColumn, features, Optional.of(spec), mayLackLabels);
    }

    /** Allows unlabelled CSV data of the model's width (see {@code mayLackLabels}). */
    public ReadOptions allowingUnlabelled() {
        return new ReadOptions(labelColumn, features, targets, true);
    }
}
