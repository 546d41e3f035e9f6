#!/usr/bin/env bash
# Wide sparse data (issue 12): epoch time and cached memory of CSR blocks, and the same rows dense.
#   1. where the engine's CSR loops cost what its GEMMs cost (bench.SparseCrossover, engine alone);
#   2. 100,000 features, K non-zeros a row (generate --nonzeros, seed 42, LIBSVM), network
#      100000-16-2 (relu, softmax), full batch, local[2], 2 partitions, 4 epochs (the first, with
#      JIT warm-up, not timed): median epoch and what Spark reports cached, for each ROWS:K case;
#   3. 20,000 rows x 5,000 features x 30 non-zeros, the same rows once as LIBSVM (CSR blocks) and
#      once as CSV (dense vectors, dense blocks), same network shape and settings.
#   scripts/bench-sparse.sh                               # all three
#   CASES="250000:30 1000000:30" scripts/bench-sparse.sh  # other ROWS:NONZEROS cases for part 2
#   PARTS="2 3" scripts/bench-sparse.sh                   # some parts only
# Data is generated once into $SPARKPROP_SPARSE_DIR (default /tmp/sparkprop-sparse); the driver
# heap (where local mode's executors run) is $SPARKPROP_DRIVER_MEMORY, default 4g. The machine
# may be shared: the load average is printed before every measurement.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api
sparkprop_build_if_needed
dir="${SPARKPROP_SPARSE_DIR:-/tmp/sparkprop-sparse}"
export SPARKPROP_DRIVER_MEMORY="${SPARKPROP_DRIVER_MEMORY:-4g}"
mkdir -p "$dir"

run() {
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "$@"
}

load() {
  cut -d' ' -f1-3 /proc/loadavg
}

# generate_once OUTPUT ARGS...: writes the data set unless a complete one is there.
generate_once() {
  local output=$1
  shift
  if [ ! -e "$output/_SUCCESS" ]; then
    run generate "$@" --seed 42 --classes 2 --partitions 2 --output "$output" --overwrite >&2
  fi
}

# train_row LABEL INPUT: trains 4 epochs and prints a table row from its output and log.
train_row() {
  local label=$1 input=$2 log
  log="$dir/train-$(basename "$input").log"
  local before
  before=$(load)
  run train --input "$input" --layers 'relu(16)|softmax(2)' --epochs 4 --lr 0.5 --partitions 2 > "$log" 2>&1
  local median cached heap rows
  median=$(awk '/^epoch/ && $2 > 1 { for (i = 1; i < NF; i++) if ($(i + 1) == "s") print $i }' "$log" \
    | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  cached=$(sed -n 's/.*cached blocks: [0-9,]* rows (\([^)]*\)); \(.*\)$/\1; \2/p' "$log" | tail -1)
  heap=$(awk '/^final:/ { for (i = 1; i <= NF; i++) if ($i == "heap") print $(i + 1) }' "$log")
  rows=$(awk '/^final:/ { print $2 }' "$log" | tr -d ,)
  printf '| %s | %s s | %.2f | %s | %s MiB | %s |\n' "$label" "$median" \
    "$(awk -v s="$median" -v n="$rows" 'BEGIN { print s / n * 1e6 }')" "$cached" "$heap" "$before"
}

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(lscpu | grep 'Model name' | tr -s ' '); $(nproc) cores;" \
  "heap $SPARKPROP_DRIVER_MEMORY; BLAS: OPENBLAS_NUM_THREADS=1"
parts="${PARTS:-1 2 3}"

if [[ " $parts " == *" 1 "* ]]; then
  echo
  echo "## 1. CSR loops against GEMM, engine alone (load $(load))"
  for units in 32 256; do
    OPENBLAS_NUM_THREADS=1 java $(cat "$SPARKPROP_DRIVER_JVM_OPTIONS") \
      -cp "$SPARKPROP_JAR:$(cat "$SPARKPROP_ROOT/target/spark-classpath.txt")" \
      io.sparkprop.bench.SparseCrossover 784 "$units" 16384 2>/dev/null
  done
fi

if [[ " $parts " == *" 2 "* ]]; then
  echo
  echo "## 2. 100,000 features, network 100000-16-2, full batch, median of epochs 2-4"
  echo "| rows x non-zeros | epoch | µs per row | cached blocks | peak heap | load before |"
  echo "|---|---|---|---|---|---|"
  for c in ${CASES:-250000:30 250000:60 1000000:30 1000000:60}; do
    rows=${c%%:*}
    nonzeros=${c##*:}
    data="$dir/wide-$rows-$nonzeros.libsvm"
    generate_once "$data" --rows "$rows" --features 100000 --nonzeros "$nonzeros"
    train_row "$rows x $nonzeros" "$data"
  done
fi

if [[ " $parts " == *" 3 "* ]]; then
  echo
  echo "## 3. The same 20,000 rows x 5,000 features x 30 non-zeros, CSR and dense"
  echo "| blocks | epoch | µs per row | cached blocks | peak heap | load before |"
  echo "|---|---|---|---|---|---|"
  generate_once "$dir/narrow-20000-30.libsvm" --rows 20000 --features 5000 --nonzeros 30
  generate_once "$dir/narrow-20000-30.csv" --rows 20000 --features 5000 --nonzeros 30
  train_row "CSR (LIBSVM input)" "$dir/narrow-20000-30.libsvm"
  train_row "dense (CSV input)" "$dir/narrow-20000-30.csv"
fi
