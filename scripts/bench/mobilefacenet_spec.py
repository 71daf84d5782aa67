"""MobileFaceNet as data, shared by the training benchmarks (train_tf.py, train_torch.py).

Chen, Liu, Gao, Han, "MobileFaceNets: Efficient CNNs for Accurate Real-Time Face Verification on
Mobile Devices", 2018, Table 1:

    input    operator             t  c    n  s
    112²×3   conv3x3              -  64   1  2
    56²×64   depthwise conv3x3    -  64   1  1
    56²×64   bottleneck           2  64   5  2
    28²×64   bottleneck           4  128  1  2
    14²×128  bottleneck           2  128  6  1
    14²×128  bottleneck           4  128  1  2
    7²×128   bottleneck           2  128  2  1
    7²×128   conv1x1              -  512  1  1
    7²×512   linear GDConv7x7     -  512  1  1
    1²×512   linear conv1x1       -  128  1  1

A bottleneck (MobileNetV2) with input channels c_in: 1x1 expand to t·c_in, BN, PReLU; depthwise 3x3
with stride s on the first repetition and 1 on the others, BN, PReLU; linear 1x1 projection to c, BN;
residual add when the stride is 1 and c_in == c. Every conv is bias-free and followed by BN; every
non-linear one by a per-channel PReLU. The embedding is the BN'd output of the last linear conv1x1.

The benchmark head is a dense layer (with bias) from the 128-d embedding to NUM_CLASSES logits.
"""

import time

import numpy as np

INPUT_SIZE = 112
INPUT_CHANNELS = 3
STEM_CHANNELS = 64
# (expansion t, output channels c, repeats n, stride s of the first repeat)
BOTTLENECKS = ((2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1))
CONV_CHANNELS = 512
GDC_KERNEL = 7
EMBEDDING_SIZE = 128

# Training hyperparameters, identical in both frameworks.
BN_EPSILON = 1e-5
# Running statistics: running = BN_DECAY·running + (1 − BN_DECAY)·batch.
# Keras calls BN_DECAY "momentum"; PyTorch's "momentum" is 1 − BN_DECAY.
BN_DECAY = 0.9
PRELU_INIT = 0.25
LEARNING_RATE = 0.01
SGD_MOMENTUM = 0.9


def block_plan():
    """Yields (c_in, expansion t, c_out, stride, has_residual) for each bottleneck, in order."""
    c_in = STEM_CHANNELS
    for t, c, n, s in BOTTLENECKS:
        for i in range(n):
            stride = s if i == 0 else 1
            yield c_in, t, c, stride, stride == 1 and c_in == c
            c_in = c


def synthetic_batch(batch, classes, seed):
    """A fixed random batch: NHWC float32 images in [-1, 1) and int64 labels in [0, classes)."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1.0, 1.0, size=(batch, INPUT_SIZE, INPUT_SIZE, INPUT_CHANNELS)).astype(np.float32)
    labels = rng.integers(0, classes, size=(batch,), dtype=np.int64)
    return images, labels


def time_steps(step, warmup, min_steps, min_seconds):
    """Runs `step()` `warmup` times, then at least `min_steps` times and at least `min_seconds`.

    `step` must return only when the update has finished (return a host value).
    Returns (timed steps, seconds, last loss, first warm-up step seconds).
    """
    first = None
    loss = None
    for _ in range(warmup):
        t0 = time.perf_counter()
        loss = step()
        if first is None:
            first = time.perf_counter() - t0
    steps = 0
    t0 = time.perf_counter()
    while True:
        loss = step()
        steps += 1
        elapsed = time.perf_counter() - t0
        if steps >= min_steps and elapsed >= min_seconds:
            return steps, elapsed, loss, first


def report(framework, variant, params, macs, head_params, head_macs, batch, threads, steps, seconds,
           loss, first_step):
    """Prints the benchmark lines; `images/s:` is the one the driver reads."""
    print(f"framework: {framework}")
    print(f"variant: {variant}")
    print(f"params: {params}")
    print(f"macs: {macs}")
    print(f"head: params {head_params}, macs {head_macs} (dense {EMBEDDING_SIZE} -> classes, not in params/macs)")
    print(f"batch: {batch}, threads: {threads}, timed steps: {steps} in {seconds:.1f} s, "
          f"first warm-up step {first_step:.1f} s, last loss {loss:.4f}")
    print(f"images/s: {steps * batch / seconds:.1f}")


def add_common_arguments(parser):
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--steps", type=int, default=10, help="time at least this many steps")
    parser.add_argument("--seconds", type=float, default=20.0, help="and at least this many seconds")
    parser.add_argument("--seed", type=int, default=0)
