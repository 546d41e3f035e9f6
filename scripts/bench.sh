#!/usr/bin/env bash
# The benchmark of BENCHMARKS.md, in one run on this machine: sparkprop's full-batch epoch, the engine
# alone without Spark, Spark MLlib's MultilayerPerceptronClassifier (solver gd) and the BLAS GEMM peak,
# on Fashion-MNIST (784-256-128-10, sigmoid hidden, softmax output), local[2], 2 partitions.
# netlib uses OpenBLAS when Debian's libopenblas0 is installed and its pure-Java BLAS otherwise (as on a
# fresh machine); the output names the one in use. Options go to the bench command
# (scripts/sparkprop.sh bench --help), e.g. scripts/bench.sh --epochs 9 --mllib-iterations 5.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api

if [ ! -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && [[ " $* " != *" --input "* ]]; then
  echo "bench.sh: Fashion-MNIST is missing; run scripts/get-fashion-mnist.sh first" >&2
  exit 2
fi
sparkprop_build_if_needed

sparkprop_print_machine
echo "java:    $(java -version 2>&1 | head -1)"
echo "openblas: $(dpkg-query -W -f='${Package} ${Version}' libopenblas0 2>/dev/null || echo 'not installed')"

# MLlib's own classes are not registered with Kryo, so this run does not require registration.
conf=(--conf spark.kryo.registrationRequired=false)
sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" bench "${conf[@]}" "$@"
