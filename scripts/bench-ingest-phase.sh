#!/usr/bin/env bash
# Load-and-cache phase only: Fashion-MNIST's 60,000 training images read from the path into
# train's cached blocks (stacked, cached, counted), by sparkprop's CSV, LIBSVM and IDX readers and
# by Spark's own CSV source (+ VectorAssembler) and libsvm source, in one local[2] session,
# the variants alternated in every round (io.sparkprop.bench.IngestPhase). The CSV and LIBSVM
# copies are the ones of scripts/bench-ingest.sh (target/bench-ingest, made here if missing).
#   ROUNDS=5 WARMUP=1 scripts/bench-ingest-phase.sh
#   ONLY='ours CSV,ours IDX' scripts/bench-ingest-phase.sh     # some variants only (names as in the table)
# A profile of one variant, with Java Flight Recorder:
#   SPARKPROP_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/csv.jfr,settings=profile \
#     ONLY='ours CSV' ROUNDS=3 scripts/bench-ingest-phase.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api

sparkprop_require_fashion_mnist
sparkprop_build_if_needed
dir=$FASHION_MNIST_DIR
out="$SPARKPROP_ROOT/target/bench-ingest"
sparkprop_fashion_mnist_text "$out"

sparkprop_print_machine
echo "inputs:  $(du -h "$out/fashion.csv" | cut -f1) CSV, $(du -h "$out/fashion.libsvm" | cut -f1) LIBSVM, IDX gzipped"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
sparkprop_submit --master "local[2]" --class io.sparkprop.bench.IngestPhase "$SPARKPROP_JAR" \
  "$out/fashion.csv" "$out/fashion.libsvm" "$dir/train-images-idx3-ubyte.gz" "${ROUNDS:-3}" "${WARMUP:-1}" "${ONLY:-}" \
  2> "$out/phase.err" || { tail -20 "$out/phase.err"; exit 1; }
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
