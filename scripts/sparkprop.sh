#!/usr/bin/env bash
# Runs any sparkprop command on this machine through Spark's submit path, building first if needed:
#   scripts/sparkprop.sh train --input data.csv --layers 'sigmoid(64)|softmax(10)' --output model
#   scripts/sparkprop.sh predict --model model --input data.csv --output predictions
#   scripts/sparkprop.sh generate --rows 100000 --output blobs.csv
# Master: $SPARKPROP_MASTER, default local[*,4] (all cores, up to 4 attempts per task).
# Driver heap: $SPARKPROP_DRIVER_MEMORY, default 4g.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_build_if_needed
sparkprop_submit --master "${SPARKPROP_MASTER:-local[*,4]}" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "$@"
