// ffem-edge — main.swift: camera (or recorded frames, or images) → face crops → int8 embeddings as JSON lines.
import FFEMCapture
import FFEMCLI
import FFEMCore
import FFEMImage
import FFEMRuntime

/// The streaming commands: `ffem-edge` itself and `ffem-edge enroll`.
func runStream(_ arguments: ParsedArguments, enrolling: Bool) throws(EdgeError) {
    if arguments.flag("list-formats") {
        guard let device = arguments.string("camera") else { throw .usage("--list-formats needs --camera DEVICE") }
        let (width, height) = try EdgeSetup.size(arguments)
        let format = try EdgeSetup.pixelFormat(arguments)
        do throws(CaptureError) {
            let camera = try V4L2Camera(V4L2Request(device: device, width: width, height: height, format: format))
            print(camera.summary)
            for offer in camera.offers { print("  " + offer.description) }
        } catch {
            throw .failure(error.description)
        }
        return
    }
    let fixedBoxes = try EdgeSetup.fixedBoxes(arguments)
    _ = try EdgeSetup.pixelFormat(arguments)
    if arguments.isGiven("raw") || arguments.isGiven("camera") { _ = try EdgeSetup.size(arguments) }
    let frameLimit = try EdgeSetup.integer(arguments, "frames", in: 0...Int.max)
    let statsInterval = try EdgeSetup.number(arguments, "stats-interval") ?? 10
    guard statsInterval >= 0 else { throw .usage("--stats-interval: \(statsInterval) is negative") }
    let thresholdOption = try EdgeSetup.number(arguments, "threshold")
    if enrolling && arguments.string("gallery") == nil { throw .usage("enroll needs --gallery FILE (the gallery to append to)") }
    let interpreter = try EdgeSetup.interpreter(arguments)
    let (source, images) = try EdgeSetup.source(arguments)
    let boxes = try EdgeSetup.boxes(arguments, fixed: fixedBoxes, images: images)
    var gallery: Gallery? = nil
    if !enrolling, let path = arguments.string("gallery") {
        let threshold = try Gallery.threshold(option: thresholdOption, metadata: interpreter.metadata)
        gallery = try Gallery(path: path, embeddingSize: interpreter.embedding.count, threshold: threshold)
    }
    let name = enrolling ? JSONText.quoted(arguments.string("name")!) : nil
    let output: String
    if enrolling {
        output = arguments.string("gallery")!
    } else {
        output = arguments.string("output") ?? "-"
    }
    let writer = try LineWriter(path: output, capacity: EdgePipeline.lineCapacity(embeddingSize: interpreter.embedding.count,
                                                                                  nameBytes: name?.utf8.count ?? 0),
                                appending: enrolling)
    Process.printError("ffem-edge: \(source.summary); model \(arguments.string("model")!) "
        + "(\(interpreter.metadata.inputSize)x\(interpreter.metadata.inputSize) crop, ISA \(CheckCommand.isaNames(interpreter.isaMask)))")
    StopRequest.install()
    let pipeline = EdgePipeline(source: source, boxes: boxes, interpreter: interpreter, writer: writer, gallery: gallery,
                                quotedName: name, frameLimit: frameLimit, statsIntervalSeconds: statsInterval,
                                sourceIsDevice: arguments.isGiven("camera"))
    try pipeline.run()
}

CommandRunner.main(root: EdgeCommands.run, arguments: ProcessArguments.read()) { (arguments: ParsedArguments) throws(CommandError) in
    do throws(EdgeError) {
        switch arguments.commandPath.last {
        case "check": try CheckCommand.run(arguments)
        case "enroll": try runStream(arguments, enrolling: true)
        default: try runStream(arguments, enrolling: false)
        }
    } catch {
        throw error.commandError
    }
}
