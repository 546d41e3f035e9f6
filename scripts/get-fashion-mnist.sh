#!/usr/bin/env bash
# Fashion-MNIST (60,000 training and 10,000 test images of 28x28, IDX format) for the benchmarks,
# from Debian's dataset-fashion-mnist package, into /usr/share/datasets/fashion-mnist.
set -euo pipefail
dir=/usr/share/datasets/fashion-mnist
if [ -e "$dir/train-images-idx3-ubyte.gz" ]; then
  echo "Fashion-MNIST is in $dir"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist
  echo "Fashion-MNIST is in $dir"
else
  cat >&2 <<MSG
Fashion-MNIST is not installed. On Debian or Ubuntu, as root:
  apt-get install dataset-fashion-mnist
(it puts the IDX files in $dir). Elsewhere, download the four *-ubyte.gz files of
Fashion-MNIST into one directory and pass the training images file to --input.
MSG
  exit 1
fi
