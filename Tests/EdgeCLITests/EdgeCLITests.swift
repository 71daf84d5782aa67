// EdgeCLITests — EdgeCLITests.swift: ffem-edge run as a user runs it: outputs, clamping, exit statuses.
import Foundation
import Testing

@Suite(.serialized) struct EdgeCLITests {
    let model = EdgeRunner.tinyModel

    func recording(frames: Int = 4) throws -> String {
        let folder = try EdgeRunner.scratch("raw")
        let path = folder.appendingPathComponent("frames.yuyv").path
        try EdgeRunner.yuyvFrames(width: 64, height: 48, count: frames).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func helpDocumentsEveryOption() throws {
        let result = try EdgeRunner.run(["--help"])
        #expect(result.status == 0)
        for option in ["--camera", "--raw", "--images", "--format", "--size", "--fps", "--model", "--box", "--boxes",
                       "--output", "--frames", "--stats-interval", "--gallery", "--threshold", "--list-formats"] {
            #expect(result.standardOutput.contains(option), "\(option) missing from --help")
        }
        #expect(result.standardOutput.contains("enroll"))
        #expect(result.standardOutput.contains("check"))
    }

    @Test func aBoxStreamGivesOneLinePerBox() throws {
        let raw = try recording(frames: 4)
        let boxes = """
            {"frame": 0, "boxes": [[4, 4, 36, 40], [20, 8, 60, 44]]}
            {"frame": 2, "boxes": [[10, 10, 30, 30]]}

            {"frame": 3, "boxes": []}
            """
        let result = try EdgeRunner.run(["--raw", raw, "--format", "YUYV", "--size", "64x48", "--model", model, "--boxes", "-"],
                                        input: Data(boxes.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.jsonLines
        #expect(lines.count == 3)
        #expect(lines.map { $0["frame"] as? Int } == [0, 0, 2])
        #expect(lines.map { ($0["box"] as? [Double]) ?? [] } == [[4, 4, 36, 40], [20, 8, 60, 44], [10, 10, 30, 30]])
        for line in lines {
            let embedding = try #require(line["embedding"] as? [Double])
            #expect(embedding.count == 8)
            let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            #expect(line["timestamp"] is Double)
        }
        #expect(result.standardError.contains("total: 4 frames, 3 boxes"))
    }

    @Test func fixedBoxesGiveTheSameEmbeddingForTheSameFrame() throws {
        let folder = try EdgeRunner.scratch("twice")
        let path = folder.appendingPathComponent("twice.yuyv").path
        let frame = EdgeRunner.yuyvFrames(width: 64, height: 48, count: 1)
        try (frame + frame).write(to: URL(fileURLWithPath: path))
        let result = try EdgeRunner.run(["--raw", path, "--format", "YUYV", "--size", "64x48", "--model", model, "--box", "8,6,50,44"])
        #expect(result.status == 0)
        let lines = result.jsonLines
        #expect(lines.count == 2)
        #expect((lines[0]["embedding"] as? [Double]) == (lines[1]["embedding"] as? [Double]))
    }

    @Test func boxesOutsideTheFrameAreClampedOrReported() throws {
        let raw = try recording(frames: 1)
        let result = try EdgeRunner.run(["--raw", raw, "--format", "YUYV", "--size", "64x48", "--model", model,
                                         "--box", "-20,-10,30,30", "--box", "100,100,140,140", "--box", "10,10,20,20"])
        #expect(result.status == 0)
        let lines = result.jsonLines
        #expect(lines.count == 2)
        #expect((lines[0]["box"] as? [Double]) == [0, 0, 30, 30])
        #expect(lines[0]["clamped"] as? Bool == true)
        #expect(lines[1]["clamped"] == nil)
        #expect(result.standardError.contains("box [100.0,100.0,140.0,140.0] is outside the 64x48 frame"))
        #expect(result.standardError.contains("clamped boxes 1, rejected boxes 1"))
    }

    @Test(arguments: [
        [String](),                                                         // no source
        ["--raw", "x.yuyv", "--size", "64x48"],                            // no --format
        ["--raw", "x.yuyv", "--format", "YUV9", "--size", "64x48"],        // unknown format
        ["--raw", "x.yuyv", "--format", "YUYV", "--size", "64by48"],       // bad size
        ["--raw", "x.yuyv", "--format", "YUYV", "--box", "1,2,3"],         // bad box
        ["--raw", "x.yuyv", "--format", "YUYV", "--box", "5,5,1,1"],       // empty box
        ["--raw", "x.yuyv", "--format", "YUYV", "--camera", "/dev/video0"], // two sources
        ["--raw", "x.yuyv", "--format", "YUYV", "--frobnicate"],           // unknown option
        ["--raw", "x.yuyv", "--format", "YUYV", "--frames", "many"],       // not a number
    ])
    func usageErrorsExit64(arguments: [String]) throws {
        let result = try EdgeRunner.run(["--model", model] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("Error: "))
    }

    @Test func badDataExits65WithThePlace() throws {
        let raw = try recording(frames: 2)
        let truncated = raw + ".cut"
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: truncated))
        let cut = try EdgeRunner.run(["--raw", truncated, "--format", "YUYV", "--size", "64x48", "--model", model])
        #expect(cut.status == 65)
        #expect(cut.standardError.contains("not a whole number of 64x48 YUYV frames"))

        let badLine = try EdgeRunner.run(["--raw", raw, "--format", "YUYV", "--size", "64x48", "--model", model, "--boxes", "-"],
                                         input: Data("{\"frame\": 0, \"boxes\": [[1,2,3,4]]}\n{\"frame\": 1, \"boxes\": [[1,2,3]]}\n".utf8))
        #expect(badLine.status == 65)
        #expect(badLine.standardError.contains("<stdin>:2: boxes[0] must be [x1,y1,x2,y2]"))

        let noModel = try EdgeRunner.run(["--raw", raw, "--format", "YUYV", "--size", "64x48", "--model", "/nonexistent/m.ffq"])
        #expect(noModel.status == 65)
        #expect(noModel.standardError.contains("/nonexistent/m.ffq"))
    }

    @Test func enrollThenIdentify() throws {
        let raw = try recording(frames: 1)
        let gallery = try EdgeRunner.scratch("gallery").appendingPathComponent("gallery.jsonl").path
        for (name, box) in [("alice", "4,4,36,40"), ("bob", "30,4,62,46")] {
            let enrolled = try EdgeRunner.run(["enroll", "--name", name, "--gallery", gallery, "--raw", raw, "--format", "YUYV",
                                               "--size", "64x48", "--model", model, "--box", box])
            #expect(enrolled.status == 0, "\(enrolled.standardError)")
        }
        #expect(try String(contentsOfFile: gallery, encoding: .utf8).split(separator: "\n").count == 2)
        let result = try EdgeRunner.run(["--raw", raw, "--format", "YUYV", "--size", "64x48", "--model", model,
                                         "--box", "30,4,62,46", "--gallery", gallery, "--threshold", "0.9"])
        #expect(result.status == 0, "\(result.standardError)")
        let line = try #require(result.jsonLines.first)
        #expect(line["match"] as? String == "bob")
        #expect(abs((line["score"] as? Double ?? 0) - 1) < 1e-5)
        #expect(line["accepted"] as? Bool == true)
    }

    @Test func checkSetRoundTripIsBitExact() throws {
        let folder = try EdgeRunner.scratch("check")
        // Two PGM images (grey): the check set's images.
        var images: [String] = []
        for k in 0..<2 {
            var bytes = Array("P5\n40 30\n255\n".utf8)
            for i in 0..<(40 * 30) { bytes.append(UInt8(truncatingIfNeeded: (i * (7 + k)) ^ (i >> 3))) }
            let path = folder.appendingPathComponent("face\(k).pgm").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            images.append(path)
        }
        let checkSet = folder.appendingPathComponent("check.jsonl").path
        let written = try EdgeRunner.run(["check", "--write-check", checkSet, "--model", model, "--box", "5,3,35,28",
                                          "--images", images[0], "--images", images[1]])
        #expect(written.status == 0, "\(written.standardError)")
        let verified = try EdgeRunner.run(["check", "--check-set", checkSet, "--model", model])
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(verified.standardOutput.contains("2/2 bit-exact"))
        #expect(verified.standardOutput.contains("check: OK"))

        // A changed expectation must fail the check.
        var text = try String(contentsOfFile: checkSet, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"int8\":[", with: "\"int8\":[1,")
        let lines = text.split(separator: "\n").map { line -> String in
            // keep the length: drop the last element
            var s = String(line)
            if let comma = s.range(of: ",", options: .backwards) { s = String(s[..<comma.lowerBound]) + "]}" }
            return s
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: checkSet, atomically: true, encoding: .utf8)
        let broken = try EdgeRunner.run(["check", "--check-set", checkSet, "--model", model])
        #expect(broken.status == 1)
        #expect(broken.standardError.contains("differ from the check set"))
    }

    @Test func pairsAccuracyOnTheDevice() throws {
        let folder = try EdgeRunner.scratch("pairs")
        // a and b hold the same pixels (cosine 1); c differs.
        for (name, k) in [("a", 0), ("b", 0), ("c", 5)] {
            var bytes = Array("P5\n40 30\n255\n".utf8)
            for i in 0..<(40 * 30) { bytes.append(UInt8(truncatingIfNeeded: (i * (7 + k)) ^ (i >> 3))) }
            try Data(bytes).write(to: folder.appendingPathComponent("\(name).pgm"))
        }
        let list = "{\"a.pgm\": {\"label\": 0, \"x1\": 2, \"y1\": 2, \"x2\": 38, \"y2\": 28},"
            + " \"b.pgm\": {\"label\": 0, \"x1\": 2, \"y1\": 2, \"x2\": 38, \"y2\": 28},"
            + " \"c.pgm\": {\"label\": 1, \"x1\": 2, \"y1\": 2, \"x2\": 38, \"y2\": 28}}"
        try list.write(to: folder.appendingPathComponent("image_list.json"), atomically: true, encoding: .utf8)
        try "a.pgm b.pgm 1 1\na.pgm c.pgm 0 1\nb.pgm a.pgm 1 2\nb.pgm c.pgm 0 2\n"
            .write(to: folder.appendingPathComponent("pairs.txt"), atomically: true, encoding: .utf8)
        let arguments = ["check", "--pairs", folder.appendingPathComponent("pairs.txt").path,
                         "--images", folder.appendingPathComponent("image_list.json").path, "--model", model]
        let result = try EdgeRunner.run(arguments + ["--float-accuracy", "1", "--max-drop", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("int8 verification on 4 pairs (3 images): 2-fold accuracy 100.00%"))
        try "a.pgm z.pgm 0 1\n".write(to: folder.appendingPathComponent("bad.txt"), atomically: true, encoding: .utf8)
        let unknown = try EdgeRunner.run(["check", "--pairs", folder.appendingPathComponent("bad.txt").path,
                                          "--images", folder.appendingPathComponent("image_list.json").path, "--model", model])
        #expect(unknown.status == 65)
        #expect(unknown.standardError.contains("bad.txt:1: 'z.pgm' is not in the image list"))
        let badFraction = try EdgeRunner.run(arguments + ["--float-accuracy", "91"])
        #expect(badFraction.status == 64)

        // --check-set and --pairs together run both checks (the bit-exact one first).
        let checkSet = folder.appendingPathComponent("check.jsonl").path
        let written = try EdgeRunner.run(["check", "--write-check", checkSet, "--model", model,
                                          "--images", folder.appendingPathComponent("image_list.json").path])
        #expect(written.status == 0, "\(written.standardError)")
        let both = try EdgeRunner.run(arguments + ["--check-set", checkSet])
        #expect(both.status == 0, "\(both.standardError)")
        #expect(both.standardOutput.contains("check: OK"))
        #expect(both.standardOutput.contains("int8 verification on 4 pairs"))
        let mixed = try EdgeRunner.run(["check", "--write-check", checkSet, "--check-set", checkSet, "--model", model])
        #expect(mixed.status == 64)
    }

    @Test func periodicStatisticsAndPlainImageFiles() throws {
        let folder = try EdgeRunner.scratch("stats")
        var bytes = Array("P5\n40 30\n255\n".utf8)
        for i in 0..<(40 * 30) { bytes.append(UInt8(truncatingIfNeeded: i * 13)) }
        let image = folder.appendingPathComponent("face.pgm").path
        try Data(bytes).write(to: URL(fileURLWithPath: image))
        // No box: the whole image; a tiny interval: a report after every frame.
        let result = try EdgeRunner.run(["--images", image, "--images", image, "--model", model, "--stats-interval", "0.000001"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.jsonLines
        #expect(lines.count == 2)
        #expect((lines[0]["box"] as? [Double]) == [0, 0, 40, 30])
        #expect(result.standardError.components(separatedBy: "ffem-edge: stats: ").count - 1 == 2)
        #expect(result.standardError.contains("latency ms p50/p99: capture"))
    }

    @Test func sigtermStopsCleanlyWithStatistics() throws {
        let process = Process()
        process.executableURL = EdgeRunner.executable
        let raw = try recording(frames: 1)
        // Boxes from a pipe that never ends: the tool waits for frame 1's line until the signal.
        process.arguments = ["--raw", "-", "--format", "YUYV", "--size", "64x48", "--model", model, "--box", "4,4,40,40"]
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(try Data(contentsOf: URL(fileURLWithPath: raw)))
        Thread.sleep(forTimeInterval: 0.5)
        process.terminate()
        // Never hang the suite: a tool that ignores the signal is killed after 20 s (and fails below).
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) { kill(pid, SIGKILL) }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: errData, as: UTF8.self).contains("total: 1 frames, 1 boxes"))
    }
}
