#!/usr/bin/env bash
# Ingest benchmark: `train --epochs 1` on Fashion-MNIST's 60,000 training images read as IDX, as
# CSV (60,000 x 785, header, label first, pixels 0..255) and as LIBSVM (non-zero pixels), the
# three runs alternated ROUNDS times (default 2) on the same recipe, local[2], 2 partitions;
# wall clock from JVM start to the end of training, as a user waits for it.
#   ROUNDS=3 scripts/bench-ingest.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=/usr/share/datasets/fashion-mnist
if [ ! -e "$dir/train-images-idx3-ubyte.gz" ]; then
  echo "bench-ingest.sh: Fashion-MNIST is missing; run scripts/get-fashion-mnist.sh first" >&2
  exit 2
fi
sparkprop_build_if_needed
out="$SPARKPROP_ROOT/target/bench-ingest"
mkdir -p "$out"
if [ ! -s "$out/fashion.libsvm" ]; then
  java -cp "$SPARKPROP_JAR" io.sparkprop.bench.IdxToText "$dir/train-images-idx3-ubyte.gz" \
    "$dir/train-labels-idx1-ubyte.gz" "$out/fashion.csv" "$out/fashion.libsvm"
fi

echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "inputs:  $(du -h "$out/fashion.csv" | cut -f1) CSV, $(du -h "$out/fashion.libsvm" | cut -f1) LIBSVM, IDX gzipped"
recipe=(--layers 'relu(256)|relu(128)|softmax(10)' --epochs 1 --batch-size 1024 --optimizer adam --lr 0.002
        --precision float32 --partitions 2 --quiet)
for round in $(seq 1 "${ROUNDS:-2}"); do
  for input in "$dir/train-images-idx3-ubyte.gz" "$out/fashion.csv" "$out/fashion.libsvm"; do
    start=$(date +%s.%N)
    sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" train \
      --input "$input" "${recipe[@]}" > "$out/last.out" 2> "$out/last.err" || { tail -5 "$out/last.err"; exit 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v i="$(basename "$input")" -v r="$round" \
      -v f="$(grep '^final' "$out/last.out" | sed 's/^final: *//')" \
      'BEGIN { printf "round %d  %-28s %6.1f s   %s\n", r, i, e - s, f }'
  done
done
