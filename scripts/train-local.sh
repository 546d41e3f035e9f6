#!/usr/bin/env bash
# Trains on this machine (local[*,4]: all cores, up to 4 attempts per task) through Spark's submit
# path, building first if needed.
# With no arguments: the built-in synthetic task (10 features, 10 classes of 3 Gaussian blobs,
# 20,000 rows), network sigmoid(64)|softmax(10), 150 full-batch epochs at learning rate 5.
# Any train option may follow and overrides these, e.g.
#   scripts/train-local.sh --input data.csv --layers 'sigmoid(128)|softmax(10)' --epochs 50
# The model goes to models/built-in unless --output says otherwise. --overwrite is always passed so
# that re-runs replace the previous model; it replaces only a sparkprop model or an empty
# directory, so an --output naming a directory of other files is refused (exit 4), never emptied.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_build_if_needed
sparkprop_submit --master "${SPARKPROP_MASTER:-local[*,4]}" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" \
  train --epochs 150 --lr 5 --output "$SPARKPROP_ROOT/models/built-in" --overwrite "$@"
