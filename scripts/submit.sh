#!/usr/bin/env bash
# Submits a sparkprop command to a Spark master, with the settings of conf/spark-defaults.conf:
#
#   scripts/submit.sh [SPARK-SUBMIT OPTIONS...] -- COMMAND [ARGS...]
#
# Everything before the first "--" goes to spark-submit (before the application jar), everything
# after it is the sparkprop command line. With no "--", all arguments are the command's (and
# conf/spark-defaults.conf's master applies: local[*,4]). Examples:
#
#   scripts/submit.sh --master spark://127.0.0.1:7077 --conf spark.cores.max=2 -- \
#       train --input file:/data/train.csv --layers 'sigmoid(64)|softmax(10)' --output /data/model
#   scripts/submit.sh --master "$(cat target/cluster/master-url)" -- predict --model /data/model ...
#   scripts/submit.sh generate --rows 4000 --output /tmp/blobs.csv
#
# Which spark-submit: with SPARK_HOME naming a Spark installation ($SPARK_HOME/bin/spark-submit),
# that one. Otherwise Spark's submit entry point (org.apache.spark.deploy.SparkSubmit) runs from the
# project's Maven classpath, as scripts/sparkprop.sh does: no installation needed, but the driver
# then runs in this JVM (client deploy mode) and binds to $SPARK_LOCAL_IP (default 127.0.0.1); its
# heap is $SPARKPROP_DRIVER_MEMORY (default 4g), not --driver-memory.
#
# Either way the executors get the JVM options of target/executor-jvm-options.txt (spark.executor.
# extraJavaOptions): the --add-opens Spark needs on Java 17, and the Vector API that the engine's
# sigmoid and the pure-Java BLAS use (its JVM warning goes to the executors' logs); then
# $SPARKPROP_JAVA_OPTS, which the driver gets too. The driver gets target/jvm-options.txt, without
# the Vector API, whose warning would open every command's output.
# A --conf spark.executor.extraJavaOptions=... given here replaces them, so repeat them in it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

submit_options=()
command_args=()
separated=false
for arg in "$@"; do
  if [ "$separated" = false ] && [ "$arg" = "--" ]; then
    separated=true
  elif [ "$separated" = true ]; then
    command_args+=("$arg")
  else
    submit_options+=("$arg")
  fi
done
if [ "$separated" = false ]; then
  command_args=("${submit_options[@]}")
  submit_options=()
  if [ "${#command_args[@]}" -gt 0 ] && [[ "${command_args[0]}" == -* ]] && [ "${command_args[0]}" != --help ]; then
    # Without the separator, "--master x train ..." would reach sparkprop, not spark-submit.
    echo "submit.sh: put '--' between spark-submit options and the command, e.g." >&2
    echo "  scripts/submit.sh --master spark://host:7077 -- train --input ..." >&2
    exit 2
  fi
fi

sparkprop_build_if_needed
jvm_options="$(cat "$SPARKPROP_ROOT/target/jvm-options.txt") ${SPARKPROP_JAVA_OPTS:-}"
executor_options="$(cat "$SPARKPROP_ROOT/target/executor-jvm-options.txt") ${SPARKPROP_JAVA_OPTS:-}"
# First, so that the caller's own --conf of the same key wins.
defaults=(--conf "spark.executor.extraJavaOptions=$executor_options")

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  # The driver JVM is started by spark-submit here, so it gets the options the same way.
  export OPENBLAS_NUM_THREADS=1
  exec "$SPARK_HOME/bin/spark-submit" --properties-file "$SPARKPROP_ROOT/conf/spark-defaults.conf" \
    --conf "spark.driver.extraJavaOptions=$jvm_options" "${defaults[@]}" "${submit_options[@]}" \
    --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "${command_args[@]}"
fi
sparkprop_submit "${defaults[@]}" "${submit_options[@]}" \
  --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "${command_args[@]}"
