#!/usr/bin/env bash
# The ONNX export on real data: trains the README's Fashion-MNIST recipe (relu(256)|relu(128)|softmax(10),
# Adam, cosine schedule, standardised inputs, float32 blocks, 12 epochs), exports it as float32 and
# float64 ONNX, and scores the 10,000 test images with sparkprop's engine and with ONNX Runtime
# (io.sparkprop.onnx.OnnxServingBench): test accuracy, labels that agree, the largest probability
# difference, and rows per second on one thread.
#   scripts/bench-onnx.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api
sparkprop_require_fashion_mnist
sparkprop_build_if_needed
work="${SPARKPROP_BENCH_DIR:-/tmp/sparkprop-onnx}"
mkdir -p "$work"
run() {
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" "$@"
}

sparkprop_print_machine
run train --input "$FASHION_MNIST_DIR/train-images-idx3-ubyte.gz" \
  --layers 'relu(256)|relu(128)|softmax(10)' --epochs 12 --batch-size 1024 \
  --optimizer adam --lr 0.002 --lr-schedule cosine --standardize --precision float32 \
  --validation-fraction 0.1 --early-stopping 3 --quiet --output "$work/model" --overwrite | grep '^final:'
for dtype in float32 float64; do
  run export --model "$work/model" --output "$work/model-$dtype.onnx" --dtype "$dtype" --overwrite | grep '^onnx:'
done
# OnnxServingBench is a test source (package compiles it) and needs ONNX Runtime, a test dependency.
classpath=$(mvn -B -q -o -f "$SPARKPROP_ROOT/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/dev/stdout)
# shellcheck disable=SC2046 # the options are a space-separated list
OPENBLAS_NUM_THREADS=1 java $(cat "$SPARKPROP_DRIVER_JVM_OPTIONS") -Xmx4g \
  -Dlog4j2.configurationFile="$SPARKPROP_ROOT/conf/log4j2.properties" \
  -cp "$SPARKPROP_ROOT/target/test-classes:$SPARKPROP_ROOT/target/classes:$classpath" \
  io.sparkprop.onnx.OnnxServingBench "$work/model" "$work/model-float32.onnx" "$work/model-float64.onnx" \
  "$FASHION_MNIST_DIR/t10k-images-idx3-ubyte.gz"
