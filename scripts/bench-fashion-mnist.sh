#!/usr/bin/env bash
# Time-to-accuracy on Fashion-MNIST (784-256-128-10), local[2], 2 partitions, as in BENCHMARKS.md:
# sparkprop's recipe (ReLU hidden layers, mini-batches of 1024, Adam with a cosine schedule,
# standardised inputs, float32) trained on the 60,000 training images and evaluated on the 10,000
# test images; then Spark MLlib's MultilayerPerceptronClassifier (sigmoid hidden layers, its best
# solver l-bfgs) on the same split for each iteration budget in MLLIB_MAX_ITER.
#   EPOCHS=12 MLLIB_MAX_ITER=100,200 scripts/bench-fashion-mnist.sh
# MLLIB_MAX_ITER=0 skips MLlib.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_use_vector_api

sparkprop_require_fashion_mnist
dir=$FASHION_MNIST_DIR
sparkprop_build_if_needed
out="$SPARKPROP_ROOT/target/bench-fashion-mnist"
mkdir -p "$out"

sparkprop_print_machine
echo "openblas: $(dpkg-query -W -f='${Package} ${Version}' libopenblas0 2>/dev/null || echo 'not installed')"

start=$(date +%s.%N)
sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" train \
  --input "$dir/train-images-idx3-ubyte.gz" --layers 'relu(256)|relu(128)|softmax(10)' \
  --epochs "${EPOCHS:-12}" --batch-size 1024 --optimizer adam --lr 0.002 --lr-schedule cosine \
  --standardize --precision float32 --partitions 2 --output "$out/model" --overwrite
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "train command wall-clock (JVM start to model written): %.1f s\n", e - s }'

sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" evaluate \
  --model "$out/model" --input "$dir/t10k-images-idx3-ubyte.gz" --output "$out/test-metrics.json" --overwrite

if [ "${MLLIB_MAX_ITER:-100}" != 0 ]; then
  # MLlib's own classes are not registered with Kryo, so this run does not require registration.
  sparkprop_submit --master "local[2]" --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" mllib \
    --conf spark.kryo.registrationRequired=false --max-iter "${MLLIB_MAX_ITER:-100}"
fi
