#!/usr/bin/env bash
# Epoch time against data size: the synthetic task with 100 features and 10 classes, network
# 100-256-10 (sigmoid, softmax), local[2], 2 partitions, 4 epochs each (the first is not timed).
# The driver heap (where local mode's executors run) is 2 GiB, so the 4M-row case's cached blocks
# (3.2 GB as float64) cannot all stay in memory and Spark spills them to disk. "Peak heap" is the
# sum of the JVM heap pools' peaks (an upper bound), from the last line of train.
#   scripts/bench-scaling.sh                      # 100k, 1M and 4M rows
#   ROWS="100000 200000" scripts/bench-scaling.sh # other sizes
#   PARTITIONS=16 scripts/bench-scaling.sh        # train on 16 partitions instead of 2
# Data is generated once into $SPARKPROP_SCALING_DIR (default /tmp/sparkprop-scaling) as Parquet.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api
sparkprop_build_if_needed
dir="${SPARKPROP_SCALING_DIR:-/tmp/sparkprop-scaling}"
export SPARKPROP_DRIVER_MEMORY="${SPARKPROP_DRIVER_MEMORY:-2g}"
mkdir -p "$dir"

run() {
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "$@"
}

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), heap $SPARKPROP_DRIVER_MEMORY, $(nproc) cores"
printf '| %10s | %14s | %12s | %16s |\n' rows "epoch (median)" "µs per row" "peak heap (MiB)"
printf '|%s|%s|%s|%s|\n' ------------ ---------------- -------------- ------------------
for rows in ${ROWS:-100000 1000000 4000000}; do
  data="$dir/rows-$rows.parquet"
  if [ ! -e "$data/_SUCCESS" ]; then
    run generate --rows "$rows" --features 100 --classes 10 --partitions 2 --output "$data" --overwrite >&2
  fi
  log="$dir/train-$rows-p${PARTITIONS:-2}.log"
  run train --input "$data" --layers 100,256,10 --epochs 4 --lr 0.1 --partitions "${PARTITIONS:-2}" > "$log"
  median=$(awk '/^epoch/ && $2 > 1 { for (i = 1; i < NF; i++) if ($(i + 1) == "s") print $i }' "$log" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  heap=$(awk '/^final:/ { for (i = 1; i <= NF; i++) if ($i == "heap") print $(i + 1) }' "$log" | tr -d ,)
  printf '| %10s | %12s s | %12.3f | %16s |\n' "$rows" "$median" "$(awk -v s="$median" -v n="$rows" 'BEGIN { print s / n * 1e6 }')" "$heap"
done
