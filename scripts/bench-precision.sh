#!/usr/bin/env bash
# Test accuracy of float64 against float32 training on Fashion-MNIST: the same network
# (784-256-128-10, sigmoid, softmax), seed, learning rate and number of full-batch epochs, each model
# then predicting the 10,000 test images; prints each precision's training time and test accuracy.
#   scripts/bench-precision.sh            # 100 epochs at learning rate 1
#   EPOCHS=300 LR=2 scripts/bench-precision.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api
data=/usr/share/datasets/fashion-mnist
if [ ! -e "$data/train-images-idx3-ubyte.gz" ]; then
  echo "bench-precision.sh: Fashion-MNIST is missing; run scripts/get-fashion-mnist.sh first" >&2
  exit 2
fi
sparkprop_build_if_needed
work="${SPARKPROP_BENCH_DIR:-/tmp/sparkprop-precision}"
mkdir -p "$work"

run() {
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "$@"
}

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), epochs ${EPOCHS:-100}, learning rate ${LR:-1}"
printf '| %9s | %14s | %13s | %13s |\n' precision "training time" "train accuracy" "test accuracy"
printf '|%s|%s|%s|%s|\n' ----------- ---------------- --------------- ---------------
for precision in float64 float32; do
  run train --input "$data/train-images-idx3-ubyte.gz" --layers 784,256,128,10 --partitions 2 \
    --epochs "${EPOCHS:-100}" --lr "${LR:-1}" --precision "$precision" \
    --output "$work/model-$precision" --overwrite > "$work/train-$precision.log"
  run predict --model "$work/model-$precision" --input "$data/t10k-images-idx3-ubyte.gz" \
    --output "$work/predictions-$precision" --overwrite > /dev/null
  seconds=$(awk '/^final:/ { for (i = 1; i <= NF; i++) if ($i == "s,") print $(i - 1) }' "$work/train-$precision.log")
  train=$(awk '/^final:/ { for (i = 1; i <= NF; i++) if ($i == "accuracy") print $(i + 1) }' "$work/train-$precision.log" | tr -d ,)
  test=$(cat "$work/predictions-$precision"/part-*.csv | awk -F, '$1 != "label" { n++; if ($1 == $2) c++ } END { printf "%.4f", c / n }')
  printf '| %9s | %12s s | %13s | %13s |\n' "$precision" "$seconds" "$train" "$test"
done
