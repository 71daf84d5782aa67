// ffem-data — prepare, check, pack and benchmark face datasets.
import FFEMCLI
import FFEMCore
import FFEMData
import FFEMImage

CommandRunner.main(root: rootCommand, arguments: Array(CommandLine.arguments.dropFirst())) { (arguments: ParsedArguments) throws(CommandError) in
    switch arguments.commandPath.last {
    case "check": try runCheck(arguments)
    case "pack": try runPack(arguments)
    case "bench": try runBench(arguments)
    case "import": try runImport(arguments)
    case "split": try runSplit(arguments)
    default: throw CommandError.usage("unknown subcommand")
    }
}

func loadDataset(_ arguments: ParsedArguments) throws(CommandError) -> Dataset {
    let identities = try arguments.int("num-identity", in: 1...100_000_000)
    let listFile = try arguments.requiredString("train-file")
    let imageRoot = try arguments.requiredString("img-root-path")
    do {
        return try Dataset.load(listFile: listFile, imageRoot: imageRoot, identityCount: identities)
    } catch {
        throw CommandError.dataError(error.description)
    }
}

func validate(_ store: any SampleStore, threads: Int) throws(CommandError) -> DatasetReport {
    do {
        return try DatasetValidator.validate(store, threads: threads)
    } catch {
        throw CommandError.dataError(error.description)
    }
}

func runCheck(_ arguments: ParsedArguments) throws(CommandError) {
    let dataset = try loadDataset(arguments)
    let threads = try arguments.int("threads", in: 1...256) ?? 2
    let cropSide = try arguments.int("crop-size", in: 8...1024) ?? 112
    let store = FolderStore(dataset: dataset)
    let report = try validate(store, threads: threads)
    print("dataset: \(dataset.sourceName)")
    print("images: \(report.entryCount), all decoded, every box inside its image")
    let counts = report.imagesPerIdentity
    let sortedCounts = counts.sorted()
    if sortedCounts.first == sortedCounts.last {
        print("identities: \(report.identityCount) × \(sortedCounts.first ?? 0) images")
    } else {
        print("identities: \(report.identityCount), images per identity min \(sortedCounts.first ?? 0) / median \(sortedCounts[sortedCounts.count / 2]) / max \(sortedCounts.last ?? 0)")
    }
    let empty = counts.indices.filter { counts[$0] == 0 }
    if !empty.isEmpty { print("warning: \(empty.count) labels have no images (first: \(empty[0]))") }
    let single = counts.filter { $0 == 1 }.count
    if single > 0 { print("note: \(single) identities have a single image (no positive pairs for metric losses)") }
    print("box width:  \(statistics(report.boxWidths))")
    print("box height: \(statistics(report.boxHeights))")
    var sizes: [String: Int] = [:]
    for (w, h) in report.imageSizes { sizes["\(w)x\(h)", default: 0] += 1 }
    let topSizes = sizes.sorted { $0.value > $1.value }.prefix(3).map { "\($0.key) (\($0.value))" }
    print("image sizes: \(topSizes.joined(separator: ", "))\(sizes.count > 3 ? ", …" : "")")
    if let previewPath = arguments.string("preview") {
        let count = try arguments.int("preview-count", in: 1...1024) ?? 64
        let seed = UInt64(try arguments.int("seed", in: 0...Int.max) ?? 1)
        try writePreview(store: store, path: previewPath, count: count, cropSide: cropSide, seed: seed)
        print("preview: \(previewPath) (\(min(count, dataset.entries.count)) augmented \(cropSide)x\(cropSide) crops)")
    }
}

func statistics(_ values: [Double]) -> String {
    let sorted = values.sorted()
    guard let first = sorted.first, let last = sorted.last else { return "none" }
    let mean = sorted.reduce(0, +) / Double(sorted.count)
    return "min \(JSONText.number(first)) / median \(JSONText.number(sorted[sorted.count / 2])) / mean \(JSONText.number((mean * 10).rounded() / 10)) / max \(JSONText.number(last)) px"
}

func writePreview(store: any SampleStore, path: String, count: Int, cropSide: Int, seed: UInt64) throws(CommandError) {
    var configuration = PipelineConfiguration()
    configuration.seed = seed
    configuration.cropSide = cropSide
    let pipeline = BatchPipeline(store: store, configuration: configuration)
    let order = pipeline.order(epoch: 0)
    let n = min(count, order.count)
    var columns = 1
    while columns * columns < n { columns += 1 }
    let rows = (n + columns - 1) / columns
    let gap = 2
    let width = columns * (cropSide + gap) + gap, height = rows * (cropSide + gap) + gap
    var canvas = [UInt8](repeating: 255, count: width * height * 3)
    for k in 0..<n {
        var random = SeededRandom(seed: seed, stream: UInt64(k))
        let crop: Image
        do {
            crop = try pipeline.loader.loadCropImage(order[k], random: &random)
        } catch {
            throw CommandError.dataError(error.description)
        }
        let x0 = gap + (k % columns) * (cropSide + gap), y0 = gap + (k / columns) * (cropSide + gap)
        for y in 0..<cropSide {
            let source = y * cropSide * 3
            let target = ((y0 + y) * width + x0) * 3
            canvas.replaceSubrange(target..<(target + cropSide * 3), with: crop.pixels[source..<(source + cropSide * 3)])
        }
    }
    do {
        try FileIO.makeDirectories(FileIO.directory(of: path))
        try FileIO.writeAtomically(PNGWriter.encode(Image(width: width, height: height, format: .rgb24, pixels: canvas)), to: path)
    } catch {
        throw CommandError.failure(error.description)
    }
}

func runPack(_ arguments: ParsedArguments) throws(CommandError) {
    let dataset = try loadDataset(arguments)
    let output = try arguments.requiredString("output")
    var progress = ProgressReporter(label: "pack", total: dataset.entries.count)
    do {
        try PackedDataset.write(FolderStore(dataset: dataset), to: output) { progress.update($0) }
    } catch {
        throw CommandError.dataError(error.description)
    }
    print("packed \(dataset.entries.count) images of \(dataset.identityCount) identities into \(output)")
}

func runBench(_ arguments: ParsedArguments) throws(CommandError) {
    let store: any SampleStore
    if let packFile = arguments.string("pack-file") {
        do {
            store = try PackedStore(path: packFile)
        } catch {
            throw CommandError.dataError(error.description)
        }
    } else {
        guard arguments.string("train-file") != nil, arguments.string("img-root-path") != nil else {
            throw CommandError.usage("give --train-file and --img-root-path, or --pack-file")
        }
        store = FolderStore(dataset: try loadDataset(arguments))
    }
    var configuration = PipelineConfiguration()
    configuration.batchSize = try arguments.int("batch-size", in: 1...65536) ?? 64
    configuration.threads = try arguments.int("threads", in: 1...256) ?? 2
    configuration.cropSide = try arguments.int("crop-size", in: 8...1024) ?? 112
    if arguments.flag("no-augment") { configuration.augmentation = .none }
    let seconds = try arguments.double("seconds") ?? 5
    guard store.entries.count >= configuration.batchSize else {
        throw CommandError.dataError("\(store.name): \(store.entries.count) images cannot fill one batch of \(configuration.batchSize)")
    }
    let pipeline = BatchPipeline(store: store, configuration: configuration)
    let start = Process.monotonicNanoseconds
    var images = 0
    var epoch = 0
    var checksum: Float = 0
    while Double(Process.monotonicNanoseconds - start) < seconds * 1e9 {
        let iterator = pipeline.batches(epoch: epoch)
        do {
            while let batch = try iterator.next() {
                images += batch.count
                checksum += batch.images[batch.images.count / 2]
            }
        } catch {
            throw CommandError.dataError(error.description)
        }
        epoch += 1
    }
    let elapsed = Double(Process.monotonicNanoseconds - start) / 1e9
    print("source: \(store.name)")
    print("batch size: \(configuration.batchSize), threads: \(configuration.threads), crop: \(configuration.cropSide), augment: \(!configuration.augmentation.isIdentity)")
    print("images: \(images) in \(JSONText.number((elapsed * 100).rounded() / 100)) s (\(epoch) epochs, checksum \(checksum))")
    print("images/s: \(Int((Double(images) / elapsed).rounded()))")
}

func runImport(_ arguments: ParsedArguments) throws(CommandError) {
    let source = try arguments.requiredString("source")
    let output = try arguments.requiredString("output")
    let quality = try arguments.int("quality", in: 1...100) ?? 95
    let boxFile = try arguments.requiredString("boxes")
    let boxes: Dataset
    do {
        boxes = try Dataset.load(listFile: boxFile, imageRoot: source)
    } catch {
        throw CommandError.dataError(error.description)
    }
    var progress = ProgressReporter(label: "import", total: boxes.entries.count)
    let converted: Dataset
    do {
        converted = try DatasetImport.convertToJPEG(boxes: boxes, outputRoot: output, quality: quality) { progress.update($0) }
    } catch {
        throw CommandError.dataError(error.description)
    }
    print("wrote \(converted.entries.count) JPEG images and \(converted.sourceName)")
    if let pairs = arguments.string("pairs") {
        do {
            let text = String(decoding: try FileIO.read(pairs), as: UTF8.self)
            let destination = FileIO.join(output, "pairs-heldout.txt")
            try FileIO.writeAtomically(DatasetImport.convertPairs(text), to: destination)
            print("wrote \(destination)")
        } catch {
            throw CommandError.dataError(error.description)
        }
    }
}

func runSplit(_ arguments: ParsedArguments) throws(CommandError) {
    let dataset = try loadDataset(arguments)
    let identities = try arguments.int("identities", in: 1...100_000_000) ?? 1
    let output = try arguments.requiredString("output")
    let kept = dataset.entries.filter { $0.label < identities }
    try writeImageList(kept, to: output)
    print("wrote \(kept.count) of \(dataset.entries.count) images (labels 0..<\(identities)) to \(output)")
    if let heldOutOutput = arguments.string("held-out-output") {
        let heldOut = dataset.entries.filter { $0.label >= identities }
        try writeImageList(heldOut, to: heldOutOutput)
        print("wrote \(heldOut.count) held-out images (labels ≥ \(identities)) to \(heldOutOutput)")
    }
}

/// Writes entries as an image_list.json (one entry per line, labels and boxes unchanged), atomically.
func writeImageList(_ entries: [DatasetEntry], to path: String) throws(CommandError) {
    let lines = entries.map { entry in
        let b = entry.box
        return " \(JSONText.quoted(entry.path)): {\"label\": \(entry.label), \"x1\": \(JSONText.number(b.x1)), \"y1\": \(JSONText.number(b.y1)), \"x2\": \(JSONText.number(b.x2)), \"y2\": \(JSONText.number(b.y2))}"
    }
    do {
        try FileIO.writeAtomically("{\n" + lines.joined(separator: ",\n") + "\n}\n", to: path)
    } catch {
        throw CommandError.failure(error.description)
    }
}
