#!/usr/bin/env bash
# Starts a Spark standalone cluster on this machine, bound to 127.0.0.1 only: a master and two
# workers, each its own JVM, run from the project's Maven dependencies (no Spark download). The
# workers launch executor JVMs for the applications submitted to the master.
#
#   scripts/cluster-up.sh      # prints the master URL, also written to $SPARKPROP_CLUSTER_DIR/master-url
#   scripts/submit.sh --master "$(cat target/cluster/master-url)" -- train --input file:/abs/data.csv ...
#   scripts/cluster-down.sh    # stops the daemons and the executors they launched
#
# Environment, all optional:
#   SPARKPROP_CLUSTER_DIR      PIDs, logs, work directories and master-url (default target/cluster)
#   SPARKPROP_SPARK_HOME       the SPARK_HOME made for the daemons (default target/spark-home)
#   SPARKPROP_MASTER_PORT      master port (default: the first free port from 7077)
#   SPARKPROP_WORKERS          number of workers (default 2)
#   SPARKPROP_WORKER_CORES     cores of each worker (default 1)
#   SPARKPROP_WORKER_MEMORY    memory each worker gives its executors (default 1536m: one 1g executor)
#   SPARKPROP_DAEMON_MEMORY    heap of the master and worker JVMs themselves (default 512m)
#   SPARKPROP_CLUSTER_TIMEOUT  seconds to wait for the master and the workers' registration (default 60)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$SPARKPROP_CLUSTER_DIR
workers=${SPARKPROP_WORKERS:-2}
worker_cores=${SPARKPROP_WORKER_CORES:-1}
worker_memory=${SPARKPROP_WORKER_MEMORY:-1536m}
daemon_memory=${SPARKPROP_DAEMON_MEMORY:-512m}
wait_seconds=${SPARKPROP_CLUSTER_TIMEOUT:-60}

fail() {
  echo "cluster-up: $*" >&2
  exit 1
}

# cluster-down stops daemons by PID file; a second cluster in the same directory would overwrite them.
mkdir -p "$dir"
for pidfile in "$dir"/master.pid "$dir"/worker-*.pid; do
  if [ -f "$pidfile" ] && tr '\0' ' ' <"/proc/$(cat "$pidfile")/cmdline" 2>/dev/null \
    | grep -q 'org\.apache\.spark\.deploy\.'; then
    fail "a cluster is already running from $dir ($(cat "$dir/master-url" 2>/dev/null || echo "see $pidfile")); stop it first with scripts/cluster-down.sh"
  fi
done
command -v setsid >/dev/null || fail "setsid (util-linux) is needed to start the daemons in their own process groups"

sparkprop_build_if_needed

# SPARK_HOME for the daemons. The worker builds each executor's classpath from $SPARK_HOME/jars,
# and takes the directory for a source build (and fails) unless a RELEASE file is present.
# Remade whenever the build writes a new classpath, so that it follows the pom's Spark version
# (and left alone otherwise: another cluster, from another directory, may be using it).
export SPARK_HOME=$SPARKPROP_SPARK_HOME
classpath_file=$SPARKPROP_ROOT/target/spark-classpath.txt
if [ ! -f "$SPARK_HOME/RELEASE" ] || [ "$classpath_file" -nt "$SPARK_HOME/RELEASE" ]; then
  rm -rf "$SPARK_HOME/jars" "$SPARK_HOME/RELEASE"
  mkdir -p "$SPARK_HOME/jars"
  mapfile -t classpath < <(tr ':' '\n' <"$classpath_file")
  for jar in "${classpath[@]}"; do
    if [[ "$jar" == *.jar ]]; then
      ln -s "$jar" "$SPARK_HOME/jars/"
    fi
  done
  : >"$SPARK_HOME/RELEASE"
fi
export SPARK_SCALA_VERSION=2.13
# Only loopback is allowed here: the daemons, their web UIs and the executors bind to 127.0.0.1.
export SPARK_LOCAL_IP=127.0.0.1
# Inherited by the executors the workers launch: one BLAS thread per task slot.
export OPENBLAS_NUM_THREADS=1
# A SPARK_CONF_DIR from the caller's environment would bring another installation's settings.
unset SPARK_CONF_DIR

# A connection accepted means something listens there. The port is the inner shell's $1: quoted
# for it, not expanded here.
port_in_use() {
  # shellcheck disable=SC2016
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}
if [ -n "${SPARKPROP_MASTER_PORT:-}" ]; then
  master_port=$SPARKPROP_MASTER_PORT
  ! port_in_use "$master_port" || fail "port $master_port (SPARKPROP_MASTER_PORT) is in use"
else
  master_port=7077
  while port_in_use "$master_port"; do
    master_port=$((master_port + 1))
    [ "$master_port" -lt 7177 ] || fail "no free port in 7077-7176; set SPARKPROP_MASTER_PORT"
  done
fi

# From here on, a failure stops whatever was started.
started=false
on_exit() {
  if [ "$started" != true ]; then
    echo "cluster-up: stopping what was started" >&2
    SPARKPROP_CLUSTER_DIR="$dir" "$SPARKPROP_ROOT/scripts/cluster-down.sh" >&2 || true
  fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r -a jvm_options <"$SPARKPROP_ROOT/target/jvm-options.txt"
rm -rf "$dir"/master.log "$dir"/master-url "$dir"/worker-*.log "$dir"/worker-*-work "$dir"/worker-*-local

# start_daemon NAME [JVM OPTIONS] CLASS ARGS...: runs a daemon in the background as the leader of a new process
# group (setsid), so that cluster-down can stop it together with the executor JVMs it launches.
start_daemon() {
  local name=$1
  shift
  setsid java "${jvm_options[@]}" -Xmx"$daemon_memory" -cp "$SPARK_HOME/jars/*" "$@" \
    >"$dir/$name.log" 2>&1 </dev/null &
  echo "$!" >"$dir/$name.pid"
}

deadline=$((SECONDS + wait_seconds))
# wait_for_log NAME PATTERN WHAT: until the daemon's log has PATTERN, or it dies, or time is up.
wait_for_log() {
  local name=$1 pattern=$2 what=$3
  until grep -q -- "$pattern" "$dir/$name.log" 2>/dev/null; do
    if ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      tail -n 30 "$dir/$name.log" >&2 || true
      fail "$name exited before $what; log: $dir/$name.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$dir/$name.log" >&2 || true
      fail "timed out after ${wait_seconds}s waiting for $what; log: $dir/$name.log"
    fi
    sleep 0.5
  done
}

# Web UI port 0: any free port, so only the master's RPC port has to be chosen. The REST submission
# server is not needed (applications come in through RPC) and would take the fixed port 6066.
start_daemon master -Dspark.master.rest.enabled=false org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port 0
wait_for_log master "Starting Spark master at spark://" "the master to start"
# The URL the master actually bound (Spark moves to the next port if the one chosen was taken meanwhile).
master_url=$(sed -n 's|.*Starting Spark master at \(spark://[^ ]*\).*|\1|p' "$dir/master.log" | head -n 1)
wait_for_log master "I have been elected leader" "the master to become leader"

for ((i = 1; i <= workers; i++)); do
  # Scratch (shuffle files, executor directories) stays under the cluster directory, not /tmp.
  mkdir -p "$dir/worker-$i-local"
  export SPARK_LOCAL_DIRS="$dir/worker-$i-local"
  start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
    "$master_url" --host 127.0.0.1 --cores "$worker_cores" --memory "$worker_memory" --webui-port 0 \
    --work-dir "$dir/worker-$i-work"
done
for ((i = 1; i <= workers; i++)); do
  wait_for_log "worker-$i" "Successfully registered with master" "worker-$i to register with the master"
done

echo "$master_url" >"$dir/master-url"
started=true
web_ui=$(sed -n 's|.*MasterWebUI.*started at \(http://[^ ]*\).*|\1|p' "$dir/master.log" | head -n 1)
echo "cluster up: $master_url with $workers workers x $worker_cores core(s), $worker_memory"
echo "  master web UI: ${web_ui:-see $dir/master.log}"
echo "  PIDs, logs and executor work directories: $dir (master URL in $dir/master-url)"
echo "  stop with: SPARKPROP_CLUSTER_DIR=$dir scripts/cluster-down.sh"
