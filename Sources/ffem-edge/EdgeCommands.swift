// ffem-edge — EdgeCommands.swift: the command line as data (options, help, examples).
import FFEMCLI

enum EdgeCommands {
    /// Options shared by the streaming commands (run and enroll): source, model, boxes, output, limits.
    static let streamOptions: [OptionSpec] = [
        .option("camera", "DEVICE", help: "Capture from a V4L2 camera through libv4l2 (e.g. /dev/video0)."),
        .option("raw", "FILE", help: "Replay raw frames stored back to back, no header ('-' = stdin); needs --format and --size."),
        .option("images", "LIST", help: "Image files (JPEG, PGM/PPM, PNG), or an image_list.json whose boxes are used when no --box/--boxes is given.", repeatable: true),
        .option("img-root-path", "DIR", help: "Folder the paths of an image_list.json are relative to (default: the list's folder)."),
        .option("format", "FORMAT", help: "Pixel format: YUYV, UYVY, NV12, GREY, RGB24, BGR24 (raw: required; camera: default the first the device offers natively in that order, else libv4l2's RGB24 conversion)."),
        .option("size", "WxH", help: "Frame size of --raw and --camera.", default: "640x480"),
        .option("fps", "N", help: "Camera frame rate asked with VIDIOC_S_PARM (default: the driver's)."),
        .option("buffers", "N", help: "Camera mmap buffers.", default: "4"),
        .option("timeout-ms", "MS", help: "Camera poll timeout; three in a row reopen the device.", default: "2000"),
        .option("model", "MODEL.ffq", help: "The int8 model (ffem-quantize).", required: true),
        .option("box", "x1,y1,x2,y2", help: "A face box in frame pixels, used for every frame.", repeatable: true),
        .option("boxes", "FILE|-", help: "A stream of boxes: JSON lines {\"frame\": N, \"boxes\": [[x1,y1,x2,y2], ...]}, N the 0-based frame number. Without --box/--boxes the whole frame is the box."),
        .option("output", "FILE", help: "Where the JSON lines go ('-' = stdout).", default: "-"),
        .option("frames", "N", help: "Stop after N frames (default: at the end of the source, or on SIGINT/SIGTERM)."),
        .option("stats-interval", "SECONDS", help: "Statistics on stderr every SECONDS (0 = only at exit).", default: "10"),
        .option("gallery", "FILE", help: "Identify: add the best gallery match, its cosine score and the decision to every line (enroll: the gallery to append to)."),
        .option("threshold", "COSINE", help: "Decision threshold for --gallery (default: the model's stored threshold at the lowest false accept rate)."),
        .option("threads", "N", help: "Threads per embedding.", default: "1"),
    ]

    static let run = CommandSpec(
        name: "ffem-edge",
        abstract: "Face embeddings from a camera, recorded frames or images, as JSON lines.",
        discussion: "Each frame's boxes are cropped straight from the frame's pixel format by the shared crop "
            + "(a YUYV frame is never converted as a whole) with the model's crop policy, embedded by the int8 runtime, "
            + "and written as one JSON line per box: {\"frame\": N, \"timestamp\": SECONDS, \"box\": [x1,y1,x2,y2], "
            + "\"embedding\": [...]} (timestamp: the kernel's capture time for cameras, the monotonic clock otherwise; "
            + "\"clamped\": true when the box reached outside the frame and was cut to it). A box wholly outside the frame "
            + "is reported on stderr and skipped. SIGINT/SIGTERM stop cleanly after the current frame. Exit status: 0, "
            + "64 usage error, 65 bad input data, 1 other failure.",
        options: streamOptions + [.flag("list-formats", help: "Print the formats and sizes the camera offers and exit.")],
        subcommands: [enroll, check],
        examples: [
            "ffem-edge --camera /dev/video0 --model model.ffq --box 200,120,440,400",
            "detector | ffem-edge --camera /dev/video0 --model model.ffq --boxes -",
            "ffem-edge --raw frames.yuyv --format YUYV --size 640x480 --model model.ffq --boxes boxes.jsonl",
            "ffem-edge --images data/orl/image_list.json --model model.ffq --output embeddings.jsonl",
        ])

    static let enroll = CommandSpec(
        name: "enroll",
        abstract: "Append embeddings of one person to a gallery file.",
        discussion: "Runs like ffem-edge and appends every embedding to --gallery as a JSON line "
            + "{\"name\": NAME, ..., \"embedding\": [...]}; the file is created when missing.",
        options: [.option("name", "NAME", help: "The person's name.", required: true)] + streamOptions,
        examples: ["ffem-edge enroll --name alice --gallery gallery.jsonl --images alice1.jpg --images alice2.jpg --model model.ffq"])

    static let check = CommandSpec(
        name: "check",
        abstract: "On-device checks: bit-exact int8 embeddings against a check set under every ISA; verification accuracy on pairs.",
        discussion: "With --write-check (on the workstation) the embeddings of --images are written as a check set: JSON "
            + "lines {\"image\": PATH, \"box\": [...], \"int8\": [...]}. Without it (on the device) every image of --check-set "
            + "is embedded again and its int8 embedding must match byte for byte, under the kernels the runtime picks and "
            + "under every other ISA the CPU supports. Prints the ISA used; exit 0 only when all match, 1 otherwise.",
        options: [
            .option("model", "MODEL.ffq", help: "The int8 model.", required: true),
            .option("check-set", "FILE", help: "The check set to verify (JSON lines written by --write-check)."),
            .option("write-check", "FILE", help: "Write a check set from --images instead of verifying one."),
            .option("images", "LIST", help: "Images of the check set (files or an image_list.json with boxes).", repeatable: true),
            .option("img-root-path", "DIR", help: "Folder the paths of an image_list.json are relative to."),
            .option("box", "x1,y1,x2,y2", help: "Box for images without one (default: the whole image)."),
            .option("pairs", "FILE", help: "Verification accuracy of the int8 model on a pairs file (\"path1 path2 same fold\" lines, paths as in the --images image_list.json): k-fold accuracy, and TAR/FAR at the model's stored threshold."),
            .option("float-accuracy", "FRACTION", help: "With --pairs: the float model's accuracy on the same pairs (the quantizer report); fail when int8 is lower by more than --max-drop."),
            .option("max-drop", "FRACTION", help: "With --float-accuracy: the largest accepted accuracy drop.", default: "0.02"),
        ],
        examples: [
            "ffem-edge check --write-check check.jsonl --images data/orl/image_list.json --model model.ffq",
            "ffem-edge check --check-set check.jsonl --model model.ffq",
            "ffem-edge check --pairs data/orl/pairs-heldout.txt --images data/orl/image_list.json --model model.ffq --float-accuracy 0.9056",
        ])
}
