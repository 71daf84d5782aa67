// EdgeCLITests — NoAllocationTests.swift: a frame through ffem-edge's pipeline allocates nothing.
import CFFEMRuntimeTestSupport
@testable import ffem_edge
import FFEMCapture
import FFEMImage
import FFEMRuntime
import Foundation
import Testing

#if DEBUG
/// -Onone code allocates where the optimiser would not (unspecialised generics, boxed captures):
/// the contract is for optimised builds (`swift test -c release`, and scripts/edge-alloc-check.sh
/// on the release binary).
let isOptimizedBuild = false
#else
let isOptimizedBuild = true
#endif

@Suite struct NoAllocationTests {
    /// Raw YUYV frames + fixed boxes (one clamped) → crop → embed → JSON line: after two warm-up
    /// frames, 20 more frames make zero allocation calls on this thread (the malloc interposer of
    /// CFFEMRuntimeTestSupport counts them), and the output keeps coming.
    @Test(.enabled(if: ffem_malloc_counter_is_available() != 0, "allocation counting needs glibc and no sanitizer"),
          .enabled(if: isOptimizedBuild, "the no-allocation contract is for optimised builds"))
    func framesAllocateNothing() throws {
        let folder = try EdgeRunner.scratch("noalloc")
        let raw = folder.appendingPathComponent("frames.yuyv").path
        try EdgeRunner.yuyvFrames(width: 64, height: 48, count: 24).write(to: URL(fileURLWithPath: raw))
        let output = folder.appendingPathComponent("out.jsonl").path
        let interpreter = try Interpreter(contentsOf: EdgeRunner.tinyModel)
        let source = try RawFileSource(path: raw, format: .yuyv, width: 64, height: 48)
        let boxes = BoxSource.fixed([FaceBox(x1: 4, y1: 4, x2: 36, y2: 40), FaceBox(x1: -8, y1: 10, x2: 30, y2: 60)])
        let writer = try LineWriter(path: output, capacity: EdgePipeline.lineCapacity(embeddingSize: 8, nameBytes: 0))
        let pipeline = EdgePipeline(source: source, boxes: boxes, interpreter: interpreter, writer: writer, gallery: nil,
                                    quotedName: nil, frameLimit: nil, statsIntervalSeconds: 0, sourceIsDevice: false)
        #expect(try pipeline.processNextFrame())
        #expect(try pipeline.processNextFrame())
        ffem_malloc_counter_start()
        var delivered = 0
        for _ in 0..<20 where (try? pipeline.processNextFrame()) == true { delivered += 1 }
        let allocations = ffem_malloc_counter_stop()
        #expect(delivered == 20)
        #expect(allocations == 0, "\(allocations) allocation calls in 20 frames")
        #expect(pipeline.stats.boxes == 44)
        #expect(pipeline.stats.clampedBoxes == 22)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 44)
    }
}
