#!/usr/bin/env bash
# Integration test on a real Spark standalone cluster on this machine (.ci/run runs it after
# mvn -B verify; about five minutes on 2 cores):
#   1. generates 4,000 rows of the built-in classification task as three CSV files (local mode);
#   2. starts a master and two 1-core workers (scripts/cluster-up.sh);
#   3. trains on the cluster through Spark's submit entry point: 2 executors of 1 core and 1g,
#      Kryo with registration required, 4 partitions, mini-batches and Adam, a fixed seed;
#   4. trains again in local[2] with the same data and arguments;
#   5. checks that the two models' weights agree to 1e-10 (relative, per weight);
#   6. predicts on the cluster with the cluster-trained model and checks 4,000 rows come out;
#   7. trains with barrier steps (2 partitions, --sync barrier) and with one job per step: the
#      models must be bitwise equal; prints Spark's cost per step of each;
#   8. trains on the cluster again and kills one executor JVM (SIGKILL) in the middle: the job must
#      complete, the standalone master's replacement executor must receive its share of the cached
#      partitions, and the model must be bitwise the fault-free cluster run's. Prints the step
#      times before the kill, right after it, and once the replacement works;
#   9. the same with barrier steps.
# The cluster is stopped and the temporary data deleted however it ends. Prints PASS/FAIL lines;
# exits non-zero on a failure. The cluster's logs, the executors' stderr and each step's output
# stay in $SPARKPROP_CLUSTER_DIR (default target/cluster-test).
set -euo pipefail
callers_cluster_dir=${SPARKPROP_CLUSTER_DIR:-}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Test the project's own Spark (the Maven classpath the cluster runs on too), whatever Spark
# installation the caller's SPARK_HOME names.
unset SPARK_HOME
# Its own cluster directory, so the test neither meets nor stops a cluster started by hand.
export SPARKPROP_CLUSTER_DIR="${callers_cluster_dir:-$SPARKPROP_ROOT/target/cluster-test}"
# The drivers handle 4,000 rows; no need for the scripts' default 4g heap.
export SPARKPROP_DRIVER_MEMORY="${SPARKPROP_DRIVER_MEMORY:-1g}"
scripts=$SPARKPROP_ROOT/scripts
test_started=$SECONDS

pass() {
  echo "PASS: $* ($((SECONDS - step_started)) s)"
  step_started=$SECONDS
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

sparkprop_build_if_needed
if [ ! -f "$SPARKPROP_ROOT/target/test-classes/io/sparkprop/cluster/CompareModels.class" ]; then
  # CompareModels is a test source; package compiles the tests even when it skips running them.
  mvn -B -q -f "$SPARKPROP_ROOT/pom.xml" -DskipTests package >&2
fi
step_started=$SECONDS

mkdir -p "$SPARKPROP_CLUSTER_DIR"
work=$(mktemp -d "${TMPDIR:-/tmp}/sparkprop-cluster-test.XXXXXX")
cleanup() {
  local status=$?
  "$scripts/cluster-down.sh" || status=1
  rm -rf "$work"
  if [ "$status" -eq 0 ]; then
    echo "cluster test: PASSED in $((SECONDS - test_started)) s"
  else
    echo "cluster test: FAILED after $((SECONDS - test_started)) s; logs in $SPARKPROP_CLUSTER_DIR" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap stops the cluster.
trap 'exit 130' INT
trap 'exit 143' TERM

# run NAME COMMAND...: runs a step, its output shown and kept in $SPARKPROP_CLUSTER_DIR/test-NAME.log.
run() {
  local name=$1
  shift
  echo "--- $name"
  if ! "$@" 2>&1 | tee "$SPARKPROP_CLUSTER_DIR/test-$name.log"; then
    fail "$name (exit code ${PIPESTATUS[0]}; output in $SPARKPROP_CLUSTER_DIR/test-$name.log)"
  fi
}

# Three CSV part files, so that training's --partitions 4 shuffles rows from several input partitions
# into each new one. A partition then receives its rows from several shuffle blocks in the order the
# fetches complete, which on a cluster is a race between executors; the trainer sorts every
# partition back into the rows' original order (SparkTrainer.repartitioned), and this test fails if
# it did not, as mini-batches are drawn by position in the partition.
data="$work/blobs.csv"
run generate "$scripts/submit.sh" --master 'local[2]' -- \
  generate --rows 4000 --partitions 3 --seed 7 --output "$data"
pass "generated 4,000 rows in three CSV files"

run cluster-up "$scripts/cluster-up.sh"
master=$(cat "$SPARKPROP_CLUSTER_DIR/master-url")
pass "cluster up at $master"

# Executors read the data themselves: an absolute file: path works as every JVM is on this machine.
train_args=(train --input "file:$data" --layers 'sigmoid(32)|softmax(10)' --partitions 4 --seed 7
  --epochs 24 --batch-size 500 --optimizer adam --lr 0.01)
# Both runs: the driver on loopback, Kryo refusing unregistered classes, no web UI port to find.
common_conf=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
  --conf spark.kryo.registrationRequired=true --conf spark.ui.enabled=false)
# Two executors of one core each, one per worker; the driver waits until both have registered, so
# the training steps run on both.
cluster_conf=(--master "$master" "${common_conf[@]}" --conf spark.executor.cores=1 --conf spark.cores.max=2
  --conf spark.executor.memory=1g --conf spark.scheduler.minRegisteredResourcesRatio=1.0
  --conf spark.scheduler.maxRegisteredResourcesWaitingTime=60s)

run train-cluster "$scripts/submit.sh" "${cluster_conf[@]}" -- "${train_args[@]}" --output "$work/model-cluster"
grep -q "^spark: *spark://" "$SPARKPROP_CLUSTER_DIR/test-train-cluster.log" \
  || fail "train-cluster did not run on the standalone master"
grep -q "training data cached: executor 0: 2 partitions, executor 1: 2 partitions" \
  "$SPARKPROP_CLUSTER_DIR/test-train-cluster.log" || fail "train-cluster: the cached partitions are not spread 2:2"
for worker_work in "$SPARKPROP_CLUSTER_DIR"/worker-*-work; do
  compgen -G "$worker_work/app-*/*/stderr" >/dev/null \
    || fail "no executor ran on $(basename "$worker_work" -work)"
done
pass "trained on the cluster (executors on both workers, two cached partitions each)"
memory_line=$(grep "^memory: " "$SPARKPROP_CLUSTER_DIR/test-train-cluster.log") || fail "train-cluster: no memory line"
[[ $memory_line =~ driver\ peak\ heap\ [0-9,]+\ MiB.*2\ executors:\ peak\ heap\ [1-9][0-9,]*\ MiB ]] \
  || fail "train-cluster: the executors' peak heap is missing: $memory_line"
pass "$(sed "s/^memory: */memory: /" <<<"$memory_line")"

run train-local "$scripts/submit.sh" --master 'local[2]' "${common_conf[@]}" -- \
  "${train_args[@]}" --output "$work/model-local"
pass "trained in local[2]"

run compare java -cp "$SPARKPROP_ROOT/target/test-classes" io.sparkprop.cluster.CompareModels \
  "$work/model-cluster" "$work/model-local" 1e-10
pass "cluster and local[2] weights agree within 1e-10"

run predict-cluster "$scripts/submit.sh" "${cluster_conf[@]}" -- \
  predict --model "$work/model-cluster" --input "file:$data" --output "$work/predictions"
# Every part file starts with the header; count the rows under it.
rows=0
parts=0
for part in "$work"/predictions/part-*.csv; do
  [ -s "$part" ] || continue
  header=$(head -n 1 "$part")
  [[ "$header" == label,prediction,output_0,* ]] || fail "predictions: $part has header '$header'"
  rows=$((rows + $(wc -l <"$part") - 1))
  parts=$((parts + 1))
done
[ "$rows" -eq 4000 ] || fail "predictions: $rows rows in $parts part files, expected 4000"
pass "predicted on the cluster: 4,000 rows with header in $parts part files"

# Barrier steps: 2 partitions (a task slot each), one barrier job (a minute's worth of epochs)
# whose tasks exchange their sums through the driver; the same run with one job per step must give
# the same bits.
# Batches of 125 rows: 32 steps per epoch, so the per-step figures are the steps', not the job's.
barrier_args=(train --input "file:$data" --layers 'sigmoid(32)|softmax(10)' --partitions 2 --seed 7
  --epochs 16 --batch-size 125 --optimizer adam --lr 0.003)
run train-cluster-barrier "$scripts/submit.sh" "${cluster_conf[@]}" -- "${barrier_args[@]}" --sync barrier \
  --output "$work/model-barrier"
grep -q "barrier steps: one Spark job for many steps" "$SPARKPROP_CLUSTER_DIR/test-train-cluster-barrier.log" \
  || fail "train-cluster-barrier did not run barrier steps"
run train-cluster-jobs "$scripts/submit.sh" "${cluster_conf[@]}" -- "${barrier_args[@]}" --sync jobs \
  --output "$work/model-jobs"
cmp -s "$work/model-barrier/weights.bin" "$work/model-jobs/weights.bin" \
  || fail "barrier steps and one job per step gave different models"
# Spark's cost per step (step time minus the engine's compute over the task slots), last 8 epochs.
overhead() {
  awk '/^epoch +[0-9]+ / { for (i = 1; i <= NF; i++) if ($(i + 1) == "ms/step") o[$2] = $i; last = $2 }
       END { for (e = last - 7; e <= last; e++) sum += o[e]; printf "%.0f", sum / 8 }' "$1"
}
echo "overhead per step (epochs 9-16): barrier steps $(overhead "$SPARKPROP_CLUSTER_DIR/test-train-cluster-barrier.log") ms," \
  "one job per step $(overhead "$SPARKPROP_CLUSTER_DIR/test-train-cluster-jobs.log") ms"
pass "barrier steps on the cluster: bitwise the job-per-step model"

# Executor loss: a training run on the cluster, one executor killed by its PID after epoch 10.
# Sets $log, $app, $victim and $replacement.
train_and_kill_an_executor() {
  local name=$1 output=$2
  shift 2
  log="$SPARKPROP_CLUSTER_DIR/test-$name.log"
  echo "--- $name"
  "$scripts/submit.sh" "${cluster_conf[@]}" -- "$@" --output "$output" >"$log" 2>&1 &
  local train_pid=$!
  for _ in $(seq 1 900); do
    grep -q '^epoch   10 ' "$log" && break
    kill -0 "$train_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q '^epoch   10 ' "$log" || { wait "$train_pid" || true; cat "$log"; fail "$name: no epoch 10 line"; }
  # The application's executors: the newest app-* directory of the workers, and its executor JVMs.
  app=$(ls -d "$SPARKPROP_CLUSTER_DIR"/worker-*-work/app-* | xargs -n 1 basename | sort | tail -n 1)
  victim=$(pgrep -f "CoarseGrainedExecutorBackend.*--app-id $app" | head -n 1)
  [ -n "$victim" ] || fail "$name: no executor JVM of $app found"
  kill -9 "$victim"
  echo "killed executor JVM $victim of $app after epoch 10"
  if ! wait "$train_pid"; then
    cat "$log"
    fail "$name: the job failed after the executor was killed"
  fi
  cat "$log"
  awk '/Lost executor/ { lost = 1 } lost && /^epoch / { after++ } END { exit after > 0 ? 0 : 1 }' "$log" \
    || fail "$name: the executor was lost after the last epoch; expected it during training"
  local executors
  executors=$(ls -d "$SPARKPROP_CLUSTER_DIR"/worker-*-work/"$app"/*/ | wc -l)
  [ "$executors" -ge 3 ] || fail "$name: $executors executors ran; expected a replacement for the killed one"
  replacement=$(ls -d "$SPARKPROP_CLUSTER_DIR"/worker-*-work/"$app"/*/ | xargs -n 1 basename | sort -n | tail -n 1)
  # Seconds per step: before the kill (epochs 7-10), in the epoch the loss was noticed in, with the
  # replacement (last 5 epochs).
  awk '/Lost executor/ { lost = 1 }
       /^epoch +[0-9]+ / { e = $2; for (i = 1; i <= NF; i++) { if ($(i + 1) == "s" && $i ~ /^[0-9.]+$/) s = $i;
         if ($(i + 1) == "steps") n = $i }; t[e] = s / n; last = e; if (lost && !hit) hit = e }
       END { printf "step time: before the kill %.0f ms, in epoch %d (the loss) %.0f ms, with the replacement %.0f ms\n",
         1000 * (t[7] + t[8] + t[9] + t[10]) / 4, hit, 1000 * t[hit],
         1000 * (t[last] + t[last - 1] + t[last - 2] + t[last - 3] + t[last - 4]) / 5 }' "$log"
}

train_and_kill_an_executor train-cluster-executor-lost "$work/model-cluster-lost" "${train_args[@]}"
grep -q "cached partitions re-placed over 2 executors.*executor $replacement: 2 partitions" "$log" \
  || fail "train-cluster-executor-lost: the replacement executor $replacement did not receive its share of the cached partitions"
cmp -s "$work/model-cluster/weights.bin" "$work/model-cluster-lost/weights.bin" \
  || fail "train-cluster-executor-lost: the model differs from the fault-free cluster run's"
pass "executor $victim killed mid-training: completed, replacement executor $replacement used, model bitwise the same"

# The same with barrier steps: the barrier stage fails with the executor and runs again once the
# replacement gives it its two task slots, from its job's start (the steps the driver has already
# taken are dropped). The run is long enough for the kill to land inside the job; its fault-free
# twin runs first.
barrier_long_args=(train --input "file:$data" --layers 'sigmoid(32)|softmax(10)' --partitions 2 --seed 7
  --epochs 300 --batch-size 125 --optimizer adam --lr 0.003 --sync barrier)
run train-cluster-barrier-long "$scripts/submit.sh" "${cluster_conf[@]}" -- "${barrier_long_args[@]}" \
  --output "$work/model-barrier-long"
train_and_kill_an_executor train-cluster-barrier-executor-lost "$work/model-barrier-lost" "${barrier_long_args[@]}"
cmp -s "$work/model-barrier-long/weights.bin" "$work/model-barrier-lost/weights.bin" \
  || fail "train-cluster-barrier-executor-lost: the model differs from the fault-free barrier run's"
pass "executor $victim killed during barrier steps: completed, model bitwise the same"
