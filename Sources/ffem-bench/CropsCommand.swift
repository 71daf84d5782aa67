// ffem-bench — CropsCommand.swift: `ffem-bench crops`, FFEM's own crops as a float tensor for other engines,
// or (without --list) the crop kernels per ISA against scalar (CropKernelTiming.swift).
//
// Comparisons with other runtimes (scripts/bench-int8.sh) must feed them exactly the crops FFEM
// calibrates and evaluates on: the shared crop routine (`ffem_crop_rgb` through `SampleLoader`,
// no augmentation) with the model's crop policy. This command writes them as the ONNX export's
// input: little-endian float32, N × 3 × side × side (NCHW, RGB), value (p − 128) / 128.
import FFEMCLI
import FFEMCore
import FFEMData
import FFEMImage
import FFEMRuntime

let cropsCommand = CommandSpec(
    name: "crops",
    abstract: "Write FFEM's crops of listed images as float32 NCHW (p − 128)/128, or time the crop kernels per ISA.",
    discussion: """
        Without --list: times the shared crop (ffem_crop_rgb with each ISA's kernel) on a synthetic
        --frame of every pixel format, cropping --box to --side × --side, and prints crops/s per ISA
        side by side with the scalar kernel and the ratio (each ISA's crop is first checked to equal
        the scalar crop byte for byte); then the network-input conversion (p − 128)/128 of one crop.

        With --list, --img-root-path, --paths and --output:
        Reads --paths (one image path per line, relative to --img-root-path, as keys of --list; blank
        lines and # comments skipped, e.g. Calibration/orl/manifest.txt), crops each image's box with
        the shared crop routine and no augmentation, and writes the crops in that order to --output:
        raw little-endian float32, N × 3 × side × side (NCHW, RGB), (p − 128)/128. The crop policy and
        side are those of --model (a .ffq), else --crop-scale/--crop-square/--side. Prints N and the policy.
        """,
    options: [
        .option("list", "FILE", help: "image_list.json with the boxes (without it: time the crop kernels)."),
        .option("img-root-path", "DIR", help: "Folder the list's paths are relative to."),
        .option("paths", "FILE", help: "Images to crop, one path per line."),
        .option("output", "FILE", help: "Output float32 tensor file."),
        .option("model", "FILE", help: "A .ffq model whose crop policy and input side to use."),
        .option("crop-scale", "X", help: "Box scale about its centre (without --model).", default: "1"),
        .flag("crop-square", help: "Make the box square before cropping (without --model)."),
        .option("side", "N", help: "Crop side in pixels (without --model).", default: "112"),
        .option("isa", "LIST", help: "Timing: comma-separated ISAs to time besides scalar (default: all of this CPU)."),
        .option("frame", "WxH", help: "Timing: synthetic frame size.", default: "640x480"),
        .option("box", "X1,Y1,X2,Y2", help: "Timing: the box in frame pixels (default: 240×240 at the centre)."),
        .option("min-time-ms", "MS", help: "Timing: per format and ISA, in milliseconds.", default: "200"),
    ],
    examples: ["ffem-bench crops", "ffem-bench crops --frame 1920x1080 --box 800,300,1200,700 --isa avx2",
               "ffem-bench crops --list data/orl/image_list.json --img-root-path data/orl --paths Calibration/orl/manifest.txt --output out/calib.f32"])

func runCrops(_ arguments: ParsedArguments) throws(CommandError) {
    guard arguments.isGiven("list") || arguments.isGiven("img-root-path") || arguments.isGiven("paths") || arguments.isGiven("output") else {
        return try runCropKernelTiming(arguments)
    }
    let listPath = try arguments.requiredString("list")
    let root = try arguments.requiredString("img-root-path")
    let pathsFile = try arguments.requiredString("paths")
    let output = try arguments.requiredString("output")

    var policy = FFEMImage.CropPolicy(scale: try arguments.double("crop-scale") ?? 1, makesSquare: arguments.flag("crop-square"))
    var side = try arguments.int("side", in: 8...1024) ?? 112
    if let modelPath = arguments.string("model") {
        let model: QuantizedModel
        do { model = try FFQReader.read(contentsOf: modelPath) } catch { throw .dataError("\(modelPath): \(error)") }
        policy = FFEMImage.CropPolicy(scale: Double(model.metadata.cropPolicy.scaleQ16) / 65536,
                            makesSquare: model.metadata.cropPolicy.makesSquare)
        side = model.metadata.inputSize
    }
    guard policy.scaleQ16 > 0 else { throw .usage("--crop-scale must be positive") }

    let dataset: Dataset
    do { dataset = try Dataset.load(listFile: listPath, imageRoot: root) } catch { throw .dataError(error.description) }
    var position: [String: Int] = [:]
    for (index, entry) in dataset.entries.enumerated() { position[entry.path] = index }

    let text: String
    do { text = String(decoding: try FileIO.read(pathsFile), as: UTF8.self) } catch { throw .dataError(error.description) }
    var indices: [Int] = []
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = trimmed(raw)
        if line.isEmpty || line.hasPrefix("#") { continue }
        guard let index = position[line] else { throw .dataError("\(pathsFile):\(number + 1): '\(line)' has no entry in \(listPath)") }
        indices.append(index)
    }
    guard !indices.isEmpty else { throw .dataError("\(pathsFile): no paths") }

    let loader = SampleLoader(store: FolderStore(dataset: dataset), cropSide: side, policy: policy, augmentation: .none)
    let plane = side * side
    var tensor = [Float](repeating: 0, count: indices.count * 3 * plane)
    var pixels = [UInt8](repeating: 0, count: plane * 3)
    for (n, index) in indices.enumerated() {
        var random = SeededRandom(seed: 0)
        do {
            try pixels.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(DatasetProblem) in
                try loader.loadCrop(index, random: &random, into: buffer.baseAddress!)
            }
        } catch { throw .dataError(error.description) }
        let base = n * 3 * plane
        for p in 0..<plane {
            for c in 0..<3 { tensor[base + c * plane + p] = (Float(pixels[p * 3 + c]) - 128) / 128 }
        }
    }
    var bytes = [UInt8](repeating: 0, count: tensor.count * 4)
    for (i, value) in tensor.enumerated() {
        let bits = value.bitPattern
        for k in 0..<4 { bytes[i * 4 + k] = UInt8(truncatingIfNeeded: bits >> UInt32(8 * k)) }
    }
    do { try FileIO.writeAtomically(bytes, to: output) } catch { throw .failure(error.description) }
    print("\(indices.count) crops of \(side)×\(side) (crop scale \(fixed(policy.scale, 4)), square \(policy.makesSquare)) → \(output): float32 [\(indices.count), 3, \(side), \(side)], (p − 128)/128")
}

/// `text` without leading and trailing spaces, tabs and carriage returns.
private func trimmed(_ text: Substring) -> String {
    var view = text
    while let first = view.first, first == " " || first == "\t" || first == "\r" { view = view.dropFirst() }
    while let last = view.last, last == " " || last == "\t" || last == "\r" { view = view.dropLast() }
    return String(view)
}
