"""Training images/s of MobileFaceNet + a softmax head in PyTorch, eager (benchmark, not a test).

One SGD step (momentum 0.9, cross-entropy on logits) per batch of a fixed random batch (the same
one train_tf.py uses, transposed to NCHW), torch.set_num_threads(--threads), with the model and the
input in --memory-format nchw (torch.contiguous_format) or channels_last.

Usage: train_torch.py [--memory-format nchw|channels_last] [--batch 64] [--threads 2] [--steps N]
Prints `framework:`, `params:`, `macs:` and `images/s:` lines (see mobilefacenet_spec.report).
"""

import argparse
import math

import torch
from torch import nn
import torch.nn.functional as F

import mobilefacenet_spec as spec


class ConvBN(nn.Sequential):
    """Bias-free conv → BN → (per-channel PReLU unless linear). Padding keeps 'same' size for odd kernels."""

    def __init__(self, c_in, c_out, kernel, stride=1, groups=1, padding=None, activation=True):
        padding = kernel // 2 if padding is None else padding
        modules = [
            nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=padding, groups=groups, bias=False),
            nn.BatchNorm2d(c_out, eps=spec.BN_EPSILON, momentum=1.0 - spec.BN_DECAY),
        ]
        if activation:
            modules.append(nn.PReLU(c_out, init=spec.PRELU_INIT))
        super().__init__(*modules)


class Bottleneck(nn.Module):
    def __init__(self, c_in, t, c_out, stride, has_residual):
        super().__init__()
        hidden = t * c_in
        self.has_residual = has_residual
        self.body = nn.Sequential(
            ConvBN(c_in, hidden, 1),
            ConvBN(hidden, hidden, 3, stride=stride, groups=hidden),
            ConvBN(hidden, c_out, 1, activation=False),
        )

    def forward(self, x):
        return x + self.body(x) if self.has_residual else self.body(x)


class MobileFaceNet(nn.Sequential):
    """112×112×3 → 128-d embedding (BN'd, not normalised)."""

    def __init__(self):
        blocks = [Bottleneck(*b) for b in spec.block_plan()]
        super().__init__(
            ConvBN(spec.INPUT_CHANNELS, spec.STEM_CHANNELS, 3, stride=2),
            ConvBN(spec.STEM_CHANNELS, spec.STEM_CHANNELS, 3, groups=spec.STEM_CHANNELS),
            *blocks,
            ConvBN(spec.BOTTLENECKS[-1][1], spec.CONV_CHANNELS, 1),
            ConvBN(spec.CONV_CHANNELS, spec.CONV_CHANNELS, spec.GDC_KERNEL, groups=spec.CONV_CHANNELS,
                   padding=0, activation=False),
            ConvBN(spec.CONV_CHANNELS, spec.EMBEDDING_SIZE, 1, activation=False),
            nn.Flatten(),
        )


def trainable_count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def macs_per_image(module):
    """Multiply-adds of every Conv2d and Linear for one 112×112 image, measured with forward hooks.

    The weight holds the multiply-adds one output position needs (c_out·c_in/groups·kh·kw, or
    out·in), so MACs = weight size × output positions.
    """
    total = 0

    def count(layer, _inputs, output):
        nonlocal total
        positions = math.prod(output.shape[2:]) if isinstance(layer, nn.Conv2d) else 1
        total += layer.weight.numel() * positions

    hooks = [m.register_forward_hook(count) for m in module.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = module.training
    module.eval()
    with torch.no_grad():
        module(torch.zeros(1, spec.INPUT_CHANNELS, spec.INPUT_SIZE, spec.INPUT_SIZE))
    module.train(was_training)
    for h in hooks:
        h.remove()
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    spec.add_common_arguments(parser)
    parser.add_argument("--memory-format", choices=("nchw", "channels_last"), default="channels_last")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    torch.manual_seed(args.seed)
    memory_format = torch.channels_last if args.memory_format == "channels_last" else torch.contiguous_format

    backbone = MobileFaceNet()
    head = nn.Linear(spec.EMBEDDING_SIZE, args.classes)
    params, macs = trainable_count(backbone), macs_per_image(backbone)
    model = nn.Sequential(backbone, head).to(memory_format=memory_format).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=spec.LEARNING_RATE, momentum=spec.SGD_MOMENTUM)

    images, labels = spec.synthetic_batch(args.batch, args.classes, args.seed)
    x = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous(memory_format=memory_format)
    y = torch.from_numpy(labels)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    steps, seconds, loss, first = spec.time_steps(step, args.warmup, args.steps, args.seconds)
    spec.report(f"pytorch {torch.__version__}",
                f"{args.memory_format}, eager, {torch.backends.cpu.get_cpu_capability()}, "
                f"mkldnn {torch.backends.mkldnn.is_available()}",
                params, macs, trainable_count(head), head.weight.numel(),
                args.batch, args.threads, steps, seconds, loss, first)


if __name__ == "__main__":
    main()
