// ffem-train — command specification: the original project's option names, plus a benchmark.
import FFEMCLI

let trainOptions: [OptionSpec] = [
    .option("config", "FILE.json", help: "JSON file with the same keys in snake_case (img_root_path, train_file, num_identity, …); command-line options override it."),
    .option("img-root-path", "DIR", help: "Folder the image paths of the train file are relative to."),
    .option("train-file", "FILE", help: "The training image_list.json."),
    .option("num-identity", "N", help: "Number of identities (labels 0..<N) of the train file."),
    .option("batch-size", "N", help: "Images per step.", default: "64"),
    .option("train-classifier", "BOOL", help: "Phase 1 (classifier pretraining) when true.", default: "true"),
    .option("metric-loss", "NAME", help: "Phase 2's metric loss (not in this build: phase 1 only)."),
    .option("arch", "NAME", help: "Architecture: mobilefacenet, iresnet18, iresnet50, mobilenetv2.", default: "mobilefacenet"),
    .option("embedding-dim", "N", help: "Embedding size (default: 128 for mobilefacenet, 512 otherwise)."),
    .option("input-size", "N", help: "Input side in pixels.", default: "112"),
    .option("crop-scale", "S", help: "Crop policy: scale the face box about its centre.", default: "1.0"),
    .flag("crop-square", help: "Crop policy: make the box square (grow the shorter side)."),
    .option("head", "NAME", help: "Phase-1 head: softmax, l2softmax, normface, arcface, cosface.", default: "l2softmax"),
    .option("scale", "S", help: "Logit scale s (default 30; 60 for arcface)."),
    .option("margin", "M", help: "Margin m (arcface default 0.5, cosface 0.35)."),
    .option("center-loss-weight", "W", help: "Weight λ of the center-loss term (0: off).", default: "0"),
    .option("center-loss-alpha", "A", help: "Center update rate α.", default: "0.5"),
    .option("optimizer", "NAME", help: "sgd, adam or adamw.", default: "sgd"),
    .option("lr", "RATE", help: "Base learning rate.", default: "0.1"),
    .option("momentum", "M", help: "SGD momentum.", default: "0.9"),
    .flag("nesterov", help: "Nesterov momentum for SGD."),
    .option("weight-decay", "W", help: "Weight decay of conv/dense weights.", default: "0.0005"),
    .option("lr-schedule", "NAME", help: "constant, exponential, step or cosine (with warm-up).", default: "cosine"),
    .option("warmup-epochs", "N", help: "Linear warm-up epochs of the cosine schedule.", default: "1"),
    .option("lr-decay-rate", "R", help: "Decay factor of the exponential and step schedules.", default: "0.1"),
    .option("lr-decay-epochs", "N", help: "Epochs per decay period (exponential, step).", default: "10"),
    .option("min-lr", "RATE", help: "Final learning rate of the cosine schedule.", default: "0"),
    .option("gradient-clip", "NORM", help: "Clip the global gradient norm to this (0: off).", default: "0"),
    .option("plateau-patience", "N", help: "Reduce the learning rate after N validations without improvement (0: off).", default: "0"),
    .option("plateau-factor", "F", help: "Factor of that reduction.", default: "0.1"),
    .option("early-stopping-patience", "N", help: "Stop after N validations without improvement (0: off).", default: "0"),
    .option("epochs", "N", help: "Epochs to train.", default: "20"),
    .flag("no-augment", help: "Train on plain crops (no flip, jitter or cutout)."),
    .option("valid-pairs", "FILE", help: "Verification pairs (ORL or LFW format) for validation during training."),
    .option("valid-file", "FILE", help: "image_list.json with the boxes of the pair images (default: the train file)."),
    .option("valid-img-root-path", "DIR", help: "Folder of the pair images (default: --img-root-path)."),
    .option("valid-every", "N", help: "Validate every N epochs.", default: "1"),
    .option("output-dir", "DIR", help: "Where checkpoints, log.jsonl and the plot go.", default: "out/train"),
    .option("threads", "N", help: "Threads for BLAS and parallel loops.", default: "2"),
    .option("seed", "N", help: "Seed of initialisation, shuffling and augmentation.", default: "1"),
    .flag("resume", help: "Continue from OUTPUT_DIR/last.safetensors."),
]

let benchCommand = CommandSpec(
    name: "bench",
    abstract: "Training throughput on random input: images/s of forward + backward + update.",
    options: [
        .option("arch", "NAME", help: "Architecture.", default: "mobilefacenet"),
        .option("classes", "N", help: "Classes of the softmax head.", default: "1000"),
        .option("batch-size", "N", help: "Images per step.", default: "64"),
        .option("threads", "N", help: "Threads.", default: "2"),
        .option("steps", "N", help: "Timed steps (after 2 warm-up steps).", default: "10"),
    ],
    examples: ["ffem-train bench --arch mobilefacenet --classes 1000 --batch-size 64 --threads 2"])

let rootCommand = CommandSpec(
    name: "ffem-train",
    abstract: "Train a face-embedding network on a CPU: phase 1 pretrains it as a classifier.",
    discussion: "Reads an image_list.json dataset (the original FFEM format), trains with softmax-family losses, validates on held-out verification pairs, and writes safetensors checkpoints (last.safetensors, best.safetensors) with the full training state, so --resume continues exactly.",
    options: trainOptions,
    subcommands: [benchCommand, exportCommand],
    examples: [
        "ffem-train --train-file data/orl/train.json --img-root-path data/orl --num-identity 30 --epochs 20 --batch-size 32 \\",
        "    --valid-pairs data/orl/pairs-heldout.txt --valid-file data/orl/image_list.json --output-dir out/phase1",
    ])
