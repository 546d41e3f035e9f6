# shellcheck shell=bash
# Shared by the scripts: build the application jar when needed and run it through Spark's own
# submit entry point (org.apache.spark.deploy.SparkSubmit), with Spark from the Maven build's
# classpath, so no Spark installation is needed. Source it; do not run it.

SPARKPROP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPARKPROP_JAR="$SPARKPROP_ROOT/target/sparkprop.jar"

# Builds target/sparkprop.jar (tests skipped) if it is missing or older than the sources.
sparkprop_build_if_needed() {
  if [ ! -f "$SPARKPROP_JAR" ] || [ ! -f "$SPARKPROP_ROOT/target/spark-classpath.txt" ] \
     || [ -n "$(find "$SPARKPROP_ROOT/src" "$SPARKPROP_ROOT/pom.xml" -newer "$SPARKPROP_JAR" -print -quit)" ]; then
    echo "building sparkprop (mvn package, tests skipped)..." >&2
    mvn -B -q -f "$SPARKPROP_ROOT/pom.xml" -DskipTests package >&2
  fi
}

# The driver's JVM options: what Spark needs on Java 17, without the JDK's Vector API, whose JVM
# warning line would open every command's output (see vector.api.option in pom.xml).
SPARKPROP_DRIVER_JVM_OPTIONS="$SPARKPROP_ROOT/target/jvm-options.txt"

# For the benchmarks, whose output is a record rather than a console: the driver (all of a local
# run) gets the executors' options, with the Vector API for the engine's SIMD sigmoid and netlib's
# pure-Java BLAS, and with it the JVM's warning line.
sparkprop_use_vector_api() {
  SPARKPROP_DRIVER_JVM_OPTIONS="$SPARKPROP_ROOT/target/executor-jvm-options.txt"
}

# sparkprop_submit SPARK_SUBMIT_ARGS... : like spark-submit, with conf/spark-defaults.conf.
sparkprop_submit() {
  # One BLAS thread per Spark task, or a native BLAS oversubscribes the cores.
  export OPENBLAS_NUM_THREADS=1
  # Local runs bind to loopback only.
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  local jvm_options
  jvm_options=$(cat "$SPARKPROP_DRIVER_JVM_OPTIONS")
  # shellcheck disable=SC2086 # the options are a space-separated list
  java $jvm_options -Xmx"${SPARKPROP_DRIVER_MEMORY:-4g}" ${SPARKPROP_JAVA_OPTS:-} \
    -Dlog4j2.configurationFile="$SPARKPROP_ROOT/conf/log4j2.properties" \
    -cp "$SPARKPROP_JAR:$(cat "$SPARKPROP_ROOT/target/spark-classpath.txt")" \
    org.apache.spark.deploy.SparkSubmit \
    --properties-file "$SPARKPROP_ROOT/conf/spark-defaults.conf" \
    "$@"
}

# The local standalone cluster of scripts/cluster-up.sh: its PIDs, logs and master URL live here,
# and SPARK_HOME for its daemons is built from the Maven classpath (no Spark download).
SPARKPROP_CLUSTER_DIR="${SPARKPROP_CLUSTER_DIR:-$SPARKPROP_ROOT/target/cluster}"
SPARKPROP_SPARK_HOME="${SPARKPROP_SPARK_HOME:-$SPARKPROP_ROOT/target/spark-home}"

# Where Debian's dataset-fashion-mnist puts Fashion-MNIST; the benchmarks that need it call
# sparkprop_require_fashion_mnist first.
FASHION_MNIST_DIR=/usr/share/datasets/fashion-mnist

sparkprop_require_fashion_mnist() {
  if [ ! -e "$FASHION_MNIST_DIR/train-images-idx3-ubyte.gz" ]; then
    echo "$(basename "$0"): Fashion-MNIST is missing; run scripts/get-fashion-mnist.sh first" >&2
    exit 2
  fi
}

# The date and machine lines every benchmark prints first.
sparkprop_print_machine() {
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
}

# Fashion-MNIST's training set as CSV and LIBSVM in DIR (fashion.csv, fashion.libsvm), made once.
sparkprop_fashion_mnist_text() {
  local out=$1
  mkdir -p "$out"
  if [ ! -s "$out/fashion.libsvm" ]; then
    java -cp "$SPARKPROP_JAR" io.sparkprop.bench.IdxToText "$FASHION_MNIST_DIR/train-images-idx3-ubyte.gz" \
      "$FASHION_MNIST_DIR/train-labels-idx1-ubyte.gz" "$out/fashion.csv" "$out/fashion.libsvm"
  fi
}
