#!/usr/bin/env bash
# Time-to-accuracy on Fashion-MNIST, side by side in one run (issue 12): the README's recipe
# (relu 256-128, Adam 0.002 with cosine over EPOCHS epochs, batch 1024, standardised, float32,
# local[2], 2 partitions) with barrier steps and with one Spark job per step, then PyTorch's CPU
# build on the same recipe and 2 threads (Debian's python3-torch; skipped when it is missing).
# Prints each run's seconds of epochs (the sum of the epoch lines: data cached, as PyTorch's is in
# memory) and its test accuracy.
#   EPOCHS=12 ROUNDS=1 scripts/bench-time-to-accuracy.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api

sparkprop_require_fashion_mnist
dir=$FASHION_MNIST_DIR
sparkprop_build_if_needed
out="$SPARKPROP_ROOT/target/bench-time-to-accuracy"
mkdir -p "$out"
epochs=${EPOCHS:-12}

sparkprop_print_machine
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"

sparkprop_run() { # MODE
  local mode=$1
  rm -rf "$out/model-$mode" "$out/test-$mode.json"
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" train \
    --input "$dir/train-images-idx3-ubyte.gz" --layers 'relu(256)|relu(128)|softmax(10)' \
    --epochs "$epochs" --batch-size 1024 --optimizer adam --lr 0.002 --lr-schedule cosine \
    --standardize --precision float32 --partitions 2 --sync "$mode" --output "$out/model-$mode" \
    > "$out/train-$mode.out" 2> "$out/train-$mode.err"
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" evaluate \
    --model "$out/model-$mode" --input "$dir/t10k-images-idx3-ubyte.gz" --output "$out/test-$mode.json" \
    > /dev/null 2> "$out/evaluate-$mode.err"
  awk -v mode="$mode" -v acc="$(grep -o '"accuracy" *: *[0-9.]*' "$out/test-$mode.json" | head -n 1 | grep -o '[0-9.]*$')" \
    '/^epoch +[0-9]+ / { for (i = 1; i <= NF; i++) if ($(i + 1) == "s" && $i ~ /^[0-9.]+$/) { s += $i; break };
                         for (i = 1; i <= NF; i++) if ($(i + 1) == "ms/step") o = o " " $i; n++ }
     END { printf "sparkprop --sync %-8s %d epochs in %.1f s, test accuracy %s; overhead per step (ms):%s\n",
                  mode, n, s, acc, o }' "$out/train-$mode.out"
}

# The cached training blocks (the trainer logs their exact bytes): float32 holds 4 bytes a value.
cached_bytes() { # LOG
  grep -h -o 'cached blocks: [0-9,]* rows.*MiB of arrays' "$1" | head -n 1 | tr -d , |
    awk '{ printf "cached:  %d rows, %.1f MiB of arrays, %.0f bytes per row\n", $3, $(NF - 3), $(NF - 3) * 1048576 / $3 }'
}

for round in $(seq 1 "${ROUNDS:-1}"); do
  echo "--- round $round"
  sparkprop_run barrier
  sparkprop_run jobs
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    THREADS=2 /usr/bin/python3 "$SPARKPROP_ROOT/scripts/fashion_mnist_pytorch.py" "$dir" "$epochs" | tail -n 1
  else
    echo "pytorch: not installed (apt-get install python3-torch), skipped"
  fi
done
cached_bytes "$out/train-barrier.err"
grep -h '^memory:' "$out/train-barrier.out" "$out/train-barrier.err" | head -n 1
cmp -s "$out/model-barrier/weights.bin" "$out/model-jobs/weights.bin" \
  && echo "barrier and job-per-step models: bitwise equal" || echo "barrier and job-per-step models DIFFER"
