// ffem-quantize — command specification.
import FFEMCLI

let rootCommand = CommandSpec(
    name: "ffem-quantize",
    abstract: "Quantize a float checkpoint to an integer-only .ffq model, calibrated on a calibration set.",
    discussion: "Folds batch norm into the convolutions, quantizes weights per output channel to int8, calibrates activation ranges by running the float model over the calibration images (the shared crop routine), and writes the .ffq model atomically. With --pairs it reports float and int8 verification side by side and stores the int8 cosine thresholds at FAR 1e-2 and 1e-3 in the model.",
    options: [
        .option("model", "CKPT", help: "The float checkpoint (.safetensors) from ffem-train.", required: true),
        .option("calib", "CONFIG.json", help: "Calibration set config (see Calibration/README.md).", required: true),
        .option("output", "MODEL.ffq", help: "The int8 model to write.", required: true),
        .flag("bias-correction", help: "Empirical bias correction on the calibration images (also the config's \"bias_correction\": true)."),
        .option("observer", "NAME", help: "Override the config's observer: minmax, percentile or mse."),
        .option("pairs", "FILE", help: "Held-out verification pairs for the report (ORL or LFW format)."),
        .option("eval-list", "FILE", help: "image_list.json with the boxes of the pair images (default: the calibration image list)."),
        .option("eval-img-root-path", "DIR", help: "Folder of the pair images (default: the calibration img_root_path)."),
        .option("report", "FILE.json", help: "Write the quantization report as JSON.", default: "MODEL.ffq.report.json"),
        .option("threads", "N", help: "Threads.", default: "2"),
    ],
    examples: ["ffem-quantize --model out/phase2/best.safetensors --calib Calibration/orl/calibration.json --output out/model.ffq --pairs data/orl/pairs-heldout.txt"])
