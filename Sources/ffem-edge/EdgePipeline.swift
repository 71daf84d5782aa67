// ffem-edge — EdgePipeline.swift: frame → boxes → crop → int8 embedding → JSON line, with statistics.
import FFEMCapture
import FFEMCore
import FFEMImage
import FFEMRuntime

/// The streaming loop. Everything it needs per frame is allocated before the first frame: the
/// crop buffer (N·N·3 bytes), the output line buffer, the statistics rings, the box array's
/// capacity, the interpreter's arena. With a camera or raw source and fixed boxes, a frame then
/// costs no allocation: the frame is a borrowed buffer (mmap'ed or reused), the crop writes into
/// the crop buffer, the runtime into its arena, the line into its buffer. (Parsing a `--boxes`
/// line and decoding an image file do allocate; reports every `--stats-interval` too.)
final class EdgePipeline {
    let source: any FrameSource
    let boxes: BoxSource
    let interpreter: Interpreter
    let writer: LineWriter
    let gallery: Gallery?
    /// enroll: the quoted name written into every line.
    let quotedName: String?
    let frameLimit: Int?
    /// A camera's failure is a failure (exit 1); a file's is bad input data (65).
    let sourceIsDevice: Bool
    let statsIntervalNanoseconds: UInt64
    let stats = LatencyStats()
    private let policy: FFEMImage.CropPolicy
    private let cropSide: Int
    private let crop: UnsafeMutableBufferPointer<UInt8>

    init(source: any FrameSource, boxes: BoxSource, interpreter: Interpreter, writer: LineWriter, gallery: Gallery?,
         quotedName: String?, frameLimit: Int?, statsIntervalSeconds: Double, sourceIsDevice: Bool) {
        self.source = source
        self.sourceIsDevice = sourceIsDevice
        self.boxes = boxes
        self.interpreter = interpreter
        self.writer = writer
        self.gallery = gallery
        self.quotedName = quotedName
        self.frameLimit = frameLimit
        statsIntervalNanoseconds = UInt64(max(0, statsIntervalSeconds) * 1e9)
        policy = EdgeSetup.cropPolicy(interpreter)
        cropSide = interpreter.metadata.inputSize
        crop = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: interpreter.inputCount)
        crop.initialize(repeating: 0)
    }

    deinit { crop.deallocate() }

    /// Bytes one output line can need: the fixed fields, a gallery name, E numbers of ≤ 10 bytes.
    static func lineCapacity(embeddingSize: Int, nameBytes: Int) -> Int { 1024 + 2 * nameBytes + 12 * embeddingSize }

    /// Runs until the source ends, `frameLimit` frames, or a stop request; then prints the totals.
    func run() throws(EdgeError) {
        var lastReport = Process.monotonicNanoseconds
        while frameLimit.map({ stats.frames < $0 }) ?? true, !StopRequest.isRequested {
            let more: Bool
            do {
                more = try processNextFrame()
            } catch {
                Process.printError(stats.report(final: true))
                throw error
            }
            guard more else { break }
            if statsIntervalNanoseconds > 0, Process.monotonicNanoseconds - lastReport >= statsIntervalNanoseconds {
                Process.printError(stats.report(final: false))
                lastReport = Process.monotonicNanoseconds
            }
        }
        stats.droppedFrames = source.droppedFrames
        Process.printError(stats.report(final: true))
    }

    /// One frame: capture, its boxes, and for each box crop → embed → line. False at the end of
    /// the source. (The unit the no-allocation test measures.)
    func processNextFrame() throws(EdgeError) -> Bool {
        let begin = Process.monotonicNanoseconds
        let next: Frame?
        do {
            next = try source.nextFrame()
        } catch {
            throw sourceIsDevice ? .failure(error.description) : .data(error.description)
        }
        guard let frame = next else { return false }
        let captured = Process.monotonicNanoseconds
        stats.record(.capture, nanoseconds: captured - begin)
        let timestamp = frame.timestampNanoseconds != 0 ? frame.timestampNanoseconds : captured
        try boxes.load(frame: frame.index, width: frame.width, height: frame.height)
        for box in boxes.boxes {
            try embed(box, of: frame, timestamp: timestamp)
        }
        stats.countFrame()
        stats.droppedFrames = source.droppedFrames
        return true
    }

    private func embed(_ given: FaceBox, of frame: Frame, timestamp: UInt64) throws(EdgeError) {
        guard let box = given.clamped(width: frame.width, height: frame.height) else {
            stats.rejectedBoxes += 1
            Process.printError("ffem-edge: frame \(frame.index): box [\(given.x1),\(given.y1),\(given.x2),\(given.y2)] "
                + "is outside the \(frame.width)x\(frame.height) frame or empty; skipped")
            return
        }
        let clamped = box != given
        if clamped { stats.clampedBoxes += 1 }
        let t0 = Process.monotonicNanoseconds
        do {
            try frame.crop(box: box, policy: policy, size: cropSide, into: crop.baseAddress!)
        } catch {
            stats.rejectedBoxes += 1
            Process.printError("ffem-edge: frame \(frame.index): \(error.description); skipped")
            return
        }
        let t1 = Process.monotonicNanoseconds
        interpreter.invoke(pixels: UnsafeBufferPointer(crop))
        let t2 = Process.monotonicNanoseconds
        try writeLine(frame: frame.index, timestamp: timestamp, box: box, clamped: clamped)
        let t3 = Process.monotonicNanoseconds
        stats.record(.crop, nanoseconds: t1 - t0)
        stats.record(.embed, nanoseconds: t2 - t1)
        stats.record(.output, nanoseconds: t3 - t2)
        stats.countBox()
    }

    private func writeLine(frame: Int, timestamp: UInt64, box: FaceBox, clamped: Bool) throws(EdgeError) {
        let w = writer
        if let quotedName {
            w.text("{\"name\":")
            w.bytes(quotedName)
            w.text(",\"frame\":")
        } else {
            w.text("{\"frame\":")
        }
        w.integer(frame)
        w.text(",\"timestamp\":")
        w.integer(Int(timestamp / 1_000_000_000))
        w.byte(UInt8(ascii: "."))
        var micros = Int(timestamp % 1_000_000_000) / 1000
        var place = 100_000
        while place > 0 {
            w.byte(UInt8(ascii: "0") + UInt8(micros / place))
            micros %= place
            place /= 10
        }
        w.text(",\"box\":[")
        w.coordinate(box.x1)
        w.byte(UInt8(ascii: ","))
        w.coordinate(box.y1)
        w.byte(UInt8(ascii: ","))
        w.coordinate(box.x2)
        w.byte(UInt8(ascii: ","))
        w.coordinate(box.y2)
        w.byte(UInt8(ascii: "]"))
        if clamped { w.text(",\"clamped\":true") }
        let embedding = interpreter.embedding
        if let gallery {
            let (entry, score) = gallery.bestMatch(embedding)
            w.text(",\"match\":")
            w.bytes(gallery.quotedNames[entry])
            w.text(",\"score\":")
            w.fixed(Double(score), decimals: 6)
            w.text(score >= gallery.threshold ? ",\"accepted\":true" : ",\"accepted\":false")
        }
        w.text(",\"embedding\":[")
        for i in 0..<embedding.count {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.fixed(Double(embedding[i]), decimals: 7)
        }
        w.text("]}")
        try w.endLine()
    }
}
