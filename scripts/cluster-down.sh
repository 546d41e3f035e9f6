#!/usr/bin/env bash
# Stops the cluster that scripts/cluster-up.sh started from $SPARKPROP_CLUSTER_DIR (default
# target/cluster): its workers, the executor JVMs they launched, and its master. By PID files:
# SIGTERM first, SIGKILL for what is left after $SPARKPROP_STOP_TIMEOUT seconds (default 10).
# Safe to run again, or when nothing is running. Logs and work directories are kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$SPARKPROP_CLUSTER_DIR
stop_timeout=${SPARKPROP_STOP_TIMEOUT:-10}

shopt -s nullglob
# Workers first, so that none of them is left trying to reconnect to a master already gone.
pidfiles=("$dir"/worker-*.pid)
if [ -f "$dir/master.pid" ]; then
  pidfiles+=("$dir/master.pid")
fi
if [ "${#pidfiles[@]}" -eq 0 ]; then
  echo "cluster-down: no cluster running from $dir"
  exit 0
fi

# Each daemon leads its own process group (cluster-up starts it with setsid), and the executor JVMs
# a worker launches join that group. Signalling the group reaches them too, even when the worker
# itself has died and left them orphaned. Kernels do not hand out a number still in use as a group
# ID, so a group that exists is still ours.
group_alive() {
  kill -0 -- "-$1" 2>/dev/null
}
is_spark_daemon() {
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'org\.apache\.spark\.deploy\.'
}

pgids=()
for pidfile in "${pidfiles[@]}"; do
  pid=$(cat "$pidfile")
  name=$(basename "$pidfile" .pid)
  if ! [[ "$pid" =~ ^[0-9]+$ ]]; then
    echo "cluster-down: $pidfile does not hold a PID; ignored" >&2
  elif kill -0 "$pid" 2>/dev/null && ! is_spark_daemon "$pid"; then
    # The daemon is gone and its PID now belongs to an unrelated process: leave that alone.
    echo "cluster-down: PID $pid of $name is no longer a Spark daemon; not touching it" >&2
  elif group_alive "$pid"; then
    echo "cluster-down: stopping $name (process group $pid)"
    pgids+=("$pid")
  fi
done

signal_all() {
  local group
  for group in "${pgids[@]}"; do
    kill "-$1" -- "-$group" 2>/dev/null || true
  done
}
any_alive() {
  local group
  for group in "${pgids[@]}"; do
    if group_alive "$group"; then
      return 0
    fi
  done
  return 1
}
# wait_gone SECONDS: true once every group has exited, false if some are still there after SECONDS.
wait_gone() {
  local until=$((SECONDS + $1))
  while any_alive; do
    if [ "$SECONDS" -ge "$until" ]; then
      return 1
    fi
    sleep 0.2
  done
}

if [ "${#pgids[@]}" -gt 0 ]; then
  signal_all TERM
  if ! wait_gone "$stop_timeout"; then
    echo "cluster-down: still running after ${stop_timeout}s; sending SIGKILL" >&2
    signal_all KILL
    if ! wait_gone 5; then
      echo "cluster-down: some processes survived SIGKILL (process groups: ${pgids[*]})" >&2
      exit 1
    fi
  fi
fi
rm -f "${pidfiles[@]}" "$dir/master-url"
echo "cluster-down: stopped (logs kept in $dir)"
