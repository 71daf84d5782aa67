// ffem-data — the command specifications (options, help, examples).
import FFEMCLI

let datasetOptions: [OptionSpec] = [
    .option("train-file", "FILE", help: "The dataset's image_list.json (path → label and face box).", required: true),
    .option("img-root-path", "DIR", help: "Folder the image paths in the train file are relative to.", required: true),
    .option("num-identity", "N", help: "Number of identities; labels must be in 0..<N. Default: largest label + 1."),
]

let checkCommand = CommandSpec(
    name: "check",
    abstract: "Validate a dataset: every image decodes and contains its box; print identity and box statistics.",
    options: datasetOptions + [
        .option("preview", "PNG", help: "Write a grid of augmented crops (what the network sees) to this PNG file."),
        .option("preview-count", "N", help: "Crops in the preview grid.", default: "64"),
        .option("crop-size", "N", help: "Crop side in pixels.", default: "112"),
        .option("threads", "N", help: "Decoding threads.", default: "2"),
        .option("seed", "N", help: "Seed of the preview's augmentation.", default: "1"),
    ],
    examples: ["ffem-data check --train-file data/orl/image_list.json --img-root-path data/orl --num-identity 40 --preview out/crops.png"])

let packCommand = CommandSpec(
    name: "pack",
    abstract: "Write a dataset into one packed file (image bytes + label + box per record, with an index).",
    options: datasetOptions + [
        .option("output", "FILE", help: "The packed dataset file to write (.ffpack).", required: true),
    ],
    examples: ["ffem-data pack --train-file data/orl/image_list.json --img-root-path data/orl --output data/orl/orl.ffpack"])

let benchCommand = CommandSpec(
    name: "bench",
    abstract: "Measure the training input pipeline (decode, augment, crop, batch) in images per second.",
    options: [
        .option("train-file", "FILE", help: "The dataset's image_list.json (or use --pack-file)."),
        .option("img-root-path", "DIR", help: "Folder the image paths are relative to."),
        .option("pack-file", "FILE", help: "Read a packed dataset instead of the folder."),
        .option("batch-size", "N", help: "Images per batch.", default: "64"),
        .option("threads", "N", help: "Decoding threads.", default: "2"),
        .option("crop-size", "N", help: "Crop side in pixels.", default: "112"),
        .option("seconds", "S", help: "Measure for at least this long (whole epochs are repeated).", default: "5"),
        .flag("no-augment", help: "Crop only, no augmentation."),
    ],
    examples: ["ffem-data bench --train-file data/orl/image_list.json --img-root-path data/orl --batch-size 64 --threads 2"])

let importCommand = CommandSpec(
    name: "import",
    abstract: "Convert the images of a box file to JPEG (libjpeg) and write an image_list.json for them.",
    discussion: "Used by `make data` to prepare the ORL faces: PGM images in, JPEG images out, keys renamed to .jpg.",
    options: [
        .option("boxes", "FILE", help: "image_list.json-format box file over the source images.", required: true),
        .option("source", "DIR", help: "Folder the box file's paths are relative to.", required: true),
        .option("output", "DIR", help: "Folder for the JPEG images and the new image_list.json.", required: true),
        .option("pairs", "FILE", help: "A pairs file (path1 path2 same fold) to copy with its paths renamed to .jpg."),
        .option("quality", "Q", help: "JPEG quality 1...100.", default: "95"),
    ],
    examples: ["ffem-data import --boxes datasets/orl/boxes.json --source /tmp/ORL_faces --output data/orl --pairs datasets/orl/pairs-heldout.txt"])

let splitCommand = CommandSpec(
    name: "split",
    abstract: "Write the entries of the first N identities (labels 0..<N) as a new image_list.json (the training split).",
    discussion: "ORL's standard split: identities s1–s30 (labels 0–29) train, s31–s40 are held out for verification.",
    options: datasetOptions + [
        .option("identities", "N", help: "Keep labels 0..<N.", required: true),
        .option("output", "FILE", help: "The image_list.json to write.", required: true),
        .option("held-out-output", "FILE", help: "Also write the other identities (labels ≥ N, labels kept) as an image_list.json."),
    ],
    examples: ["ffem-data split --train-file data/orl/image_list.json --img-root-path data/orl --identities 30 --output data/orl/train.json --held-out-output data/orl/heldout.json"])

let rootCommand = CommandSpec(
    name: "ffem-data",
    abstract: "Prepare, check, pack and benchmark FFEM face datasets (image_list.json).",
    discussion: "A dataset is an image_list.json (image path relative to --img-root-path → label and face box [x1, y1, x2, y2]) "
        + "over JPEG or PGM/PPM images. Bad data exits 65 with the file, line:column and reason.",
    subcommands: [checkCommand, packCommand, benchCommand, importCommand, splitCommand],
    examples: ["ffem-data check --train-file data/orl/image_list.json --img-root-path data/orl --preview out/crops.png",
               "ffem-data split --train-file data/orl/image_list.json --img-root-path data/orl --identities 30 --output data/orl/train.json"])
