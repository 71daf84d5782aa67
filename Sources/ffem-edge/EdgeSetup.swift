// ffem-edge — EdgeSetup.swift: from parsed options to a frame source, a box source and a model.
import FFEMCapture
import FFEMCLI
import FFEMCore
import FFEMImage
import FFEMRuntime

enum EdgeSetup {
    /// `WxH` of --size.
    static func size(_ arguments: ParsedArguments) throws(EdgeError) -> (width: Int, height: Int) {
        let text = arguments.string("size") ?? "640x480"
        let parts = text.split(separator: "x")
        guard parts.count == 2, let w = Int(String(parts[0])), let h = Int(String(parts[1])), w > 0, h > 0, w <= 16384, h <= 16384 else {
            throw .usage("--size: '\(text)' is not WIDTHxHEIGHT (e.g. 640x480)")
        }
        return (w, h)
    }

    static func integer(_ arguments: ParsedArguments, _ name: String, in range: ClosedRange<Int>) throws(EdgeError) -> Int? {
        do {
            return try arguments.int(name, in: range)
        } catch {
            throw .usage(error.message)
        }
    }

    static func number(_ arguments: ParsedArguments, _ name: String) throws(EdgeError) -> Double? {
        do {
            return try arguments.double(name)
        } catch {
            throw .usage(error.message)
        }
    }

    static func pixelFormat(_ arguments: ParsedArguments) throws(EdgeError) -> PixelFormat? {
        guard let text = arguments.string("format") else { return nil }
        guard let format = PixelFormat(name: text) else {
            throw .usage("--format: '\(text)' is not one of YUYV, UYVY, NV12, GREY, RGB24, BGR24")
        }
        return format
    }

    /// The image entries of `--images` values: image files, or image_list.json files (with boxes).
    static func imageEntries(_ arguments: ParsedArguments) throws(EdgeError) -> [ImageEntry] {
        var entries: [ImageEntry] = []
        for value in arguments.strings("images") {
            if value.hasSuffix(".json") {
                let root = arguments.string("img-root-path") ?? FileIO.directory(of: value)
                do {
                    entries += try ImageFileSource.entries(imageList: value, root: root)
                } catch {
                    throw .data(error.description)
                }
            } else {
                entries.append(ImageEntry(path: value))
            }
        }
        return entries
    }

    /// The one frame source the options name (exactly one of --camera, --raw, --images).
    static func source(_ arguments: ParsedArguments) throws(EdgeError) -> (source: any FrameSource, images: [ImageEntry]?) {
        let given = ["camera", "raw", "images"].filter { arguments.isGiven($0) }
        guard given.count == 1 else {
            throw .usage(given.isEmpty ? "give a source: --camera DEVICE, --raw FILE or --images LIST"
                                       : "give one source, not \(given.map { "--" + $0 }.joined(separator: " and "))")
        }
        let format = try pixelFormat(arguments)
        switch given[0] {
        case "camera":
            let (width, height) = try size(arguments)
            let request = V4L2Request(device: arguments.string("camera")!, width: width, height: height, format: format,
                                      framesPerSecond: try integer(arguments, "fps", in: 1...1000),
                                      bufferCount: try integer(arguments, "buffers", in: 2...32) ?? 4,
                                      timeoutMilliseconds: try integer(arguments, "timeout-ms", in: 10...600_000) ?? 2000)
            do {
                return (try V4L2Camera(request), nil)
            } catch {
                throw .failure(error.description)
            }
        case "raw":
            guard let format else { throw .usage("--raw needs --format (YUYV, UYVY, NV12, GREY, RGB24, BGR24)") }
            let (width, height) = try size(arguments)
            do {
                return (try RawFileSource(path: arguments.string("raw")!, format: format, width: width, height: height), nil)
            } catch {
                throw .data(error.description)
            }
        default:
            let entries = try imageEntries(arguments)
            return (ImageFileSource(entries: entries), entries)
        }
    }

    /// The `--box` options (checked before anything is opened, so a bad box is a usage error).
    static func fixedBoxes(_ arguments: ParsedArguments) throws(EdgeError) -> [FaceBox] {
        let texts = arguments.strings("box")
        if !texts.isEmpty && arguments.isGiven("boxes") { throw .usage("give --box or --boxes, not both") }
        guard texts.count <= BoxSource.maximumBoxesPerFrame else { throw .usage("at most \(BoxSource.maximumBoxesPerFrame) --box options") }
        var boxes: [FaceBox] = []
        for text in texts { boxes.append(try BoxSource.parseOption(text)) }
        return boxes
    }

    /// Fixed boxes, a box stream, the image list's boxes, or the whole frame.
    static func boxes(_ arguments: ParsedArguments, fixed: [FaceBox], images: [ImageEntry]?) throws(EdgeError) -> BoxSource {
        if !fixed.isEmpty { return .fixed(fixed) }
        if let path = arguments.string("boxes") { return .stream(try LineReader(path: path)) }
        if let images, images.contains(where: { $0.box != nil }) { return .perImage(images.map { $0.box }) }
        return .wholeFrame()
    }

    static func interpreter(_ arguments: ParsedArguments) throws(EdgeError) -> Interpreter {
        let path = arguments.string("model")!
        let threads = try integer(arguments, "threads", in: 1...InterpreterOptions.maximumThreads) ?? 1
        do {
            return try Interpreter(contentsOf: path, options: InterpreterOptions(threads: threads))
        } catch {
            throw .data("'\(path)': \(error.description)")
        }
    }

    /// The model's crop policy as the crop routine takes it.
    static func cropPolicy(_ interpreter: Interpreter) -> FFEMImage.CropPolicy {
        var policy = FFEMImage.CropPolicy()
        policy.scaleQ16 = interpreter.metadata.cropPolicy.scaleQ16
        policy.makesSquare = interpreter.metadata.cropPolicy.makesSquare
        return policy
    }
}
