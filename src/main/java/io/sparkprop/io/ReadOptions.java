package io.sparkprop.io;

import io.sparkprop.engine.TargetSpec;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to read an input besides its path and format.
 *
 * @param labelColumn for CSV and column-per-feature Parquet: the label column's name or 0-based
 *        index; empty means the column named "label" if there is one, else the first column
 * @param features the model's input width when it is known: a CSV file with exactly this many
 *        columns and no label column named is then read as features only
 * @param targets what the labels must be (from the network's outputs and loss); when given, the
 *        reader checks every label where it can name the file and line
 */
public record ReadOptions(Optional<String> labelColumn, OptionalInt features, Optional<TargetSpec> targets) {
    public static ReadOptions defaults() {
        return new ReadOptions(Optional.empty(), OptionalInt.empty(), Optional.empty());
    }

    public ReadOptions withLabelColumn(String column) {
        return new ReadOptions(Optional.ofNullable(column), features, targets);
    }

    public ReadOptions withFeatures(int count) {
        return new ReadOptions(labelColumn, OptionalInt.of(count), targets);
    }

    public ReadOptions withTargets(TargetSpec spec) {
        return new ReadOptions(labelColumn, features, Optional.of(spec));
    }
}
