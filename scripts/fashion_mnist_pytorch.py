#!/usr/bin/python3
"""PyTorch's CPU build on the README's Fashion-MNIST recipe, for scripts/bench-time-to-accuracy.sh.

784-256-128-10 with ReLU hidden layers and softmax cross-entropy, Adam (lr 0.002) with a cosine
schedule over the epochs (updated every step, as sparkprop's), batches of 1024 reshuffled every
epoch, features standardised with the training set's mean and sample deviation, float32, on
THREADS threads (default 2). Prints the seconds of the epochs (data already in memory, as
sparkprop's epochs run on cached blocks) and the test accuracy.
    /usr/bin/python3 scripts/fashion_mnist_pytorch.py [DIR] [EPOCHS]
"""
import gzip
import math
import os
import sys
import time

import numpy as np
import torch

directory = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 12
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
torch.manual_seed(42)


def idx(name, offset):
    with gzip.open(os.path.join(directory, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


x_train = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float64)
y_train = idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
x_test = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float64)
y_test = idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
mean = x_train.mean(axis=0)
std = x_train.std(axis=0, ddof=1)
std[std == 0] = 1
x_train = torch.from_numpy(((x_train - mean) / std).astype(np.float32))
x_test = torch.from_numpy(((x_test - mean) / std).astype(np.float32))
y_train = torch.from_numpy(y_train)
y_test = torch.from_numpy(y_test)

model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                            torch.nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
batch = 1024
steps = math.ceil(len(x_train) / batch)
schedule = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / (steps * epochs))))
loss_fn = torch.nn.CrossEntropyLoss()

start = time.perf_counter()
for epoch in range(epochs):
    t0 = time.perf_counter()
    order = torch.randperm(len(x_train))
    total = 0.0
    for s in range(steps):
        rows = order[s * batch:(s + 1) * batch]
        optimizer.zero_grad()
        loss = loss_fn(model(x_train[rows]), y_train[rows])
        loss.backward()
        optimizer.step()
        schedule.step()
        total += loss.item() * len(rows)
    print(f"epoch {epoch + 1:2d}  loss {total / len(x_train):.6f}  {time.perf_counter() - t0:.3f} s", flush=True)
seconds = time.perf_counter() - start
with torch.no_grad():
    accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads: {epochs} epochs in {seconds:.1f} s, "
      f"test accuracy {accuracy:.4f}")
