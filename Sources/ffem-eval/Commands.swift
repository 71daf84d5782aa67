// ffem-eval — command specification.
import FFEMCLI

let rootCommand = CommandSpec(
    name: "ffem-eval",
    abstract: "Evaluate a face-embedding model: verification on a pairs file, Recall@k over a labelled list.",
    discussion: "Pairs files in the ORL format (path1 path2 same fold) or LFW's pairs.txt. Reports 10-fold best-threshold accuracy (mean ± std), ROC AUC, EER, TAR at each FAR, VAL at FAR 1e-3, the cosine threshold for each FAR, and Recall@1/@k.",
    options: [
        .option("model", "FILE", help: "The model: a float checkpoint (.safetensors) from ffem-train or an int8 model (.ffq) from ffem-quantize."),
        .option("checkpoint", "FILE", help: "Same as --model (the float checkpoint)."),
        .option("pairs", "FILE", help: "Verification pairs (ORL or LFW format)."),
        .option("pairs-format", "NAME", help: "orl or lfw (default: detected from the first line)."),
        .option("list", "FILE", help: "image_list.json with the boxes (and labels) of the images.", required: true),
        .option("img-root-path", "DIR", help: "Folder the image paths are relative to.", required: true),
        .option("far", "LIST", help: "Comma-separated FARs for TAR and thresholds.", default: "1e-4,1e-3,1e-2,1e-1"),
        .flag("flip", help: "Average each embedding with the embedding of the mirrored image."),
        .option("recall-k", "LIST", help: "Comma-separated k for Recall@k over the pair images (or the whole list without --pairs).", default: "1,5"),
        .option("roc", "SVG", help: "Write the ROC curve as an SVG plot."),
        .option("json", "FILE", help: "Write the whole report as JSON."),
        .option("batch-size", "N", help: "Images per forward pass.", default: "64"),
        .option("threads", "N", help: "Threads.", default: "2"),
    ],
    examples: [
        "ffem-eval --model out/phase1/best.safetensors --pairs data/orl/pairs-heldout.txt --list data/orl/image_list.json --img-root-path data/orl --roc out/roc.svg",
        "ffem-eval --model out/model.ffq --pairs data/orl/pairs-heldout.txt --list data/orl/image_list.json --img-root-path data/orl",
    ])
