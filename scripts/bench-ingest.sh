#!/usr/bin/env bash
# Ingest benchmark: `train --epochs 1` on Fashion-MNIST's 60,000 training images read as IDX, as
# CSV (60,000 x 785, header, label first, pixels 0..255) and as LIBSVM (non-zero pixels), the
# three runs alternated ROUNDS times (default 2) on the same recipe, local[2], 2 partitions, in
# the order IDX, CSV, LIBSVM in odd rounds and the reverse in even ones (so a drift within a round
# falls on both ends); wall clock from JVM start to the end of training, as a user waits for it,
# and the CPU seconds (user + system) of the JVM, which waiting for a core on a shared machine
# does not inflate.
#   ROUNDS=3 scripts/bench-ingest.sh
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
recipe=(--layers 'relu(256)|relu(128)|softmax(10)' --epochs 1 --batch-size 1024 --optimizer adam --lr 0.002
        --precision float32 --partitions 2 --quiet)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
inputs=("$dir/train-images-idx3-ubyte.gz" "$out/fashion.csv" "$out/fashion.libsvm")
TIMEFORMAT='%R %U %S'
: > "$out/runs.txt"
for round in $(seq 1 "${ROUNDS:-2}"); do
  order=(0 1 2)
  if [ $((round % 2)) -eq 0 ]; then order=(2 1 0); fi
  for i in "${order[@]}"; do
    input=${inputs[$i]}
    { time sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" train \
        --input "$input" "${recipe[@]}" > "$out/last.out" 2> "$out/last.err"; } 2> "$out/last.time" \
      || { tail -5 "$out/last.err"; exit 1; }
    read -r wall user sys < "$out/last.time"
    awk -v w="$wall" -v c="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" -v i="$(basename "$input")" \
      -v r="$round" -v f="$(grep '^final' "$out/last.out" | sed 's/^final: *//')" \
      'BEGIN { printf "round %d  %-28s %6.1f s  CPU %6.1f s   %s\n", r, i, w, c, f }' | tee -a "$out/runs.txt"
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
# Medians per input, and the text formats over IDX (ratio of the medians).
awk '{ wall[$3] = wall[$3] " " $4; cpu[$3] = cpu[$3] " " $7 }
  function median(list,   v, n, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    idx = "train-images-idx3-ubyte.gz"
    for (i in wall) printf "median    %-28s %6.1f s  CPU %6.1f s   (/ IDX: wall %.2f, CPU %.2f)\n", i, median(wall[i]),
      median(cpu[i]), median(wall[i]) / median(wall[idx]), median(cpu[i]) / median(cpu[idx])
  }' "$out/runs.txt" | sort
