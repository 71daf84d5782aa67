"""Training images/s of MobileFaceNet + a softmax head in TensorFlow/Keras (benchmark, not a test).

One SGD step (momentum 0.9, sparse softmax cross-entropy on logits) per batch of a fixed random
batch, through Keras's own compiled train function (`model.train_on_batch`, the step `model.fit`
runs), intra- and inter-op threads set to --threads. --jit-compile picks plain graph execution
("off", what Keras 3's jit_compile="auto" resolves to on a CPU-only machine, and tf.keras 2's
default) or XLA ("on"); the variant line shows what Keras actually used.

Usage: train_tf.py [--jit-compile off|on] [--batch 64] [--threads 2] [--steps N] [--seconds S]
Prints `framework:`, `params:`, `macs:` and `images/s:` lines (see mobilefacenet_spec.report).
"""

import argparse
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

import mobilefacenet_spec as spec  # noqa: E402


def batch_norm(name):
    return layers.BatchNormalization(momentum=spec.BN_DECAY, epsilon=spec.BN_EPSILON, name=name)


def prelu(name):
    # One slope per channel, as in the paper; Keras's default would be one per activation.
    return layers.PReLU(alpha_initializer=keras.initializers.Constant(spec.PRELU_INIT),
                        shared_axes=[1, 2], name=name)


def conv_bn(x, channels, kernel, stride, name, activation=True):
    x = layers.Conv2D(channels, kernel, strides=stride, padding="same", use_bias=False, name=name)(x)
    x = batch_norm(name + "_bn")(x)
    return prelu(name + "_prelu")(x) if activation else x


def dwconv_bn(x, kernel, stride, padding, name, activation=True):
    x = layers.DepthwiseConv2D(kernel, strides=stride, padding=padding, use_bias=False, name=name)(x)
    x = batch_norm(name + "_bn")(x)
    return prelu(name + "_prelu")(x) if activation else x


def bottleneck(x, c_in, t, c_out, stride, has_residual, name):
    y = conv_bn(x, t * c_in, 1, 1, name + "_expand")
    y = dwconv_bn(y, 3, stride, "same", name + "_dw")
    y = conv_bn(y, c_out, 1, 1, name + "_project", activation=False)
    return layers.Add(name=name + "_add")([x, y]) if has_residual else y


def mobilefacenet():
    """112×112×3 NHWC → 128-d embedding (BN'd, not normalised)."""
    inputs = keras.Input((spec.INPUT_SIZE, spec.INPUT_SIZE, spec.INPUT_CHANNELS), name="image")
    x = conv_bn(inputs, spec.STEM_CHANNELS, 3, 2, "conv1")
    x = dwconv_bn(x, 3, 1, "same", "dw_conv1")
    for i, (c_in, t, c_out, stride, has_residual) in enumerate(spec.block_plan()):
        x = bottleneck(x, c_in, t, c_out, stride, has_residual, f"block{i}")
    x = conv_bn(x, spec.CONV_CHANNELS, 1, 1, "conv_512")
    x = dwconv_bn(x, spec.GDC_KERNEL, 1, "valid", "gdc", activation=False)
    x = conv_bn(x, spec.EMBEDDING_SIZE, 1, 1, "linear_conv", activation=False)
    x = layers.Flatten(name="embedding")(x)
    return keras.Model(inputs, x, name="mobilefacenet")


def trainable_count(model_or_layer):
    return sum(math.prod(w.shape) for w in model_or_layer.trainable_weights)


def macs_per_image(model):
    """Multiply-adds of every conv, depthwise conv and dense layer for one image.

    For all three, the kernel holds the multiply-adds one output position needs (kh·kw·c_in·c_out,
    kh·kw·c·multiplier, in·out), so MACs = kernel size × output positions.
    """
    total = 0
    for layer in model.layers:
        if isinstance(layer, (layers.Conv2D, layers.DepthwiseConv2D, layers.Dense)):
            positions = math.prod(layer.output.shape[1:-1])
            total += math.prod(layer.kernel.shape) * positions
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    spec.add_common_arguments(parser)
    parser.add_argument("--jit-compile", choices=("off", "on"), default="off")
    args = parser.parse_args()

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    keras.utils.set_random_seed(args.seed)

    backbone = mobilefacenet()
    head = layers.Dense(args.classes, name="logits")
    model = keras.Model(backbone.input, head(backbone.output), name="mobilefacenet_softmax")
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=spec.LEARNING_RATE, momentum=spec.SGD_MOMENTUM),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=args.jit_compile == "on",
    )

    images, labels = spec.synthetic_batch(args.batch, args.classes, args.seed)
    x = tf.constant(images)
    y = tf.constant(labels)

    def step():
        return float(model.train_on_batch(x, y))

    steps, seconds, loss, first = spec.time_steps(step, args.warmup, args.steps, args.seconds)
    spec.report(f"tensorflow {tf.__version__}",
                f"keras {keras.__version__}, NHWC, jit_compile={model.jit_compile}, "
                f"oneDNN {os.environ.get('TF_ENABLE_ONEDNN_OPTS', 'default')}",
                trainable_count(backbone), macs_per_image(backbone),
                trainable_count(head), math.prod(head.kernel.shape),
                args.batch, args.threads, steps, seconds, loss, first)


if __name__ == "__main__":
    main()
