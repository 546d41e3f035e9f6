#!/usr/bin/env bash
# Time per mini-batch step against data size at a fixed batch (issue 12: a step's share costs
# O(share), so the step time stays flat from 250k to 16M rows). Synthetic classification data with
# 20 features and 2 classes, network relu(64)|softmax(2), batch 4096, float32, local[2], 2
# partitions. The figure is the mean time per step over the epochs after the first (which pays the
# JIT and the job's start), with enough epochs for about 1,000 measured steps with one job per step
# and 4,000 with barrier steps.
#   scripts/bench-step-flatness.sh                         # 250k, 1M, 4M and 16M rows
#   ROWS="250000 1000000" MODES=barrier scripts/bench-step-flatness.sh
# Data is generated once into $SPARKPROP_FLATNESS_DIR (default /tmp/sparkprop-flatness) as Parquet.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api
sparkprop_build_if_needed
dir="${SPARKPROP_FLATNESS_DIR:-/tmp/sparkprop-flatness}"
mkdir -p "$dir"

run() {
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "$@"
}

sparkprop_print_machine
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %10s | %-7s | %14s | %14s | %18s | %14s |\n' rows sync "steps measured" "ms per step" \
  "overhead per step" "cached per row"
printf '|%s|%s|%s|%s|%s|%s|\n' ------------ --------- ---------------- ---------------- -------------------- \
  ----------------
for rows in ${ROWS:-250000 1000000 4000000 16000000}; do
  data="$dir/rows-$rows.parquet"
  if [ ! -e "$data/_SUCCESS" ]; then
    run generate --rows "$rows" --features 20 --classes 2 --partitions 2 --output "$data" --overwrite >&2
  fi
  for mode in ${MODES:-barrier jobs}; do
    log="$dir/train-$rows-$mode.log"
    rm -rf "$dir/model"
    measured=4000
    [ "$mode" = barrier ] || measured=1000
    per_epoch=$(( (rows + 4095) / 4096 ))
    epochs=$(( 1 + (measured + per_epoch - 1) / per_epoch ))
    run train --input "$data" --layers 'relu(64)|softmax(2)' --epochs "$epochs" --batch-size 4096 --optimizer adam \
      --lr 0.001 --precision float32 --partitions 2 --sync "$mode" --output "$dir/model" > "$log" 2> "$log.err"
    # The trainer logs the cached blocks' exact bytes: 22 float32 values a row, 4 bytes each.
    mib=$(grep -o '[0-9.]* MiB of arrays' "$log.err" | head -n 1 | cut -d' ' -f1)
    awk -v rows="$rows" -v mode="$mode" -v mib="$mib" '$1 == "epoch" && $2 > 1 {
        for (i = 1; i < NF; i++) { if ($(i + 1) == "s") s += $i; if ($(i + 1) == "steps") n += $i;
          if ($(i + 1) == "ms/step") { o += $i; e++ } } }
      END { printf "| %10d | %-7s | %14d | %14.2f | %15.1f ms | %12.1f B |\n", rows, mode, n, s / n * 1000, o / e,
          mib * 1048576 / rows }' "$log"
  done
done
