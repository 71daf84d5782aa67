// `mpirun -np 2 ffem-train` on loopback: the acceptance tests of data-parallel training.
import FFEMCore
import FFEMData
import FFEMTestSupport
import Foundation
import Testing
@testable import FFEMTrain

@Suite(.serialized, .enabled(if: DistributedRunner.isEnabled, "needs mpirun (Open MPI) on PATH and FFEM_MPI_TESTS=1 (make mpi-test)"))
struct DistributedTrainingTests {
    /// Largest |a − b| / max(1, |a|) allowed between every tensor (weights, BN statistics, optimiser
    /// moments) of a 2-rank run and a 1-rank run after 9 steps. The two differ only in the order of
    /// float sums (each rank's GEMMs sum over B/2 samples, then the all-reduce adds the halves;
    /// the sharded softmax adds its per-sample sums in two parts); measured up to ≈ 2e-5.
    static let weightTolerance = 1e-4
    /// A killed rank must end the whole job within this many seconds (measured: about 1 s).
    static let deadRankBound = 30.0

    struct Fixture {
        let data: DatasetFixture
        let directory: String
        let specPath: String

        init(spec: String = TinySpecs.withoutBatchNormalization) throws {
            data = try DatasetFixture.make(identities: 4, perIdentity: 6)  // 24 images: 3 global batches of 8
            directory = data.root + "/runs"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            specPath = directory + "/spec.json"
            try FileIO.writeAtomically(spec, to: specPath)
        }

        func arguments(output: String, epochs: Int, batch: Int = 8, lr: Double = 0.05, _ extra: [String] = []) -> [String] {
            ["--train-file", data.listPath, "--img-root-path", data.root, "--num-identity", "4", "--arch", specPath, "--input-size", "16",
             "--batch-size", "\(batch)", "--threads", "1", "--lr", "\(lr)", "--seed", "5", "--epochs", "\(epochs)",
             "--bn-recalibration-batches", "0", "--output-dir", directory + "/" + output] + extra
        }

        func checkpoint(_ output: String) throws -> Safetensors { try Checkpoint.read(directory + "/" + output + "/last.safetensors") }
    }

    /// max over all tensors of |a − b| / max(1, |a|); fails when a tensor is missing or reshaped.
    static func largestDifference(_ a: Safetensors, _ b: Safetensors) -> (value: Double, tensor: String) {
        var worst = (value: 0.0, tensor: "")
        for t in a.tensors {
            guard let other = b.tensor(t.name), other.shape == t.shape else {
                Issue.record("tensor \(t.name) is missing or reshaped")
                continue
            }
            for (x, y) in zip(t.values, other.values) {
                let d = Double(abs(x - y)) / max(1, Double(abs(x)))
                if d > worst.value { worst = (d, t.name) }
            }
        }
        return worst
    }

    static let losses: [[String]] = [
        ["--head", "arcface"],
        ["--head", "l2softmax", "--optimizer", "adam", "--gradient-clip", "1"],
        ["--metric-loss", "triplet", "--identities-per-batch", "4", "--images-per-identity", "2"],
    ]

    @Test(arguments: losses)
    func twoRanksOfHalfBatchesTrainTheWeightsOfOneRankWithTheWholeBatch(loss: [String]) throws {
        let fixture = try Fixture()
        defer { fixture.data.remove() }
        let one = try DistributedRunner.run(ranks: nil, fixture.arguments(output: "one", epochs: 3, loss))
        #expect(one.status == 0, "\(one.output)")
        let two = try DistributedRunner.run(ranks: 2, fixture.arguments(output: "two", epochs: 3, loss))
        #expect(two.status == 0, "\(two.output)")
        #expect(two.output.contains("data-parallel: 2 ranks × 4 images"), "\(two.output)")
        let difference = Self.largestDifference(try fixture.checkpoint("one"), try fixture.checkpoint("two"))
        print("2 ranks vs 1 rank, \(loss.joined(separator: " ")): largest relative difference \(difference.value) (\(difference.tensor))")
        #expect(difference.value <= Self.weightTolerance, "\(difference.tensor) differs by \(difference.value)")
        #expect(try fixture.checkpoint("two").metadata["step"] == "9")
    }

    /// Softmax (no scale: a misplaced row would show at O(1) while sum-order noise stays ≈ 5e-7) and
    /// CosFace (s = 30, measured 1.2e-5). ArcFace's s = 60 and its fallback branch amplify the
    /// sum-order differences most: 3.5e-4 with 2 images per rank here, so it is not held to 1e-4.
    @Test(arguments: ["softmax", "cosface"])
    func threeRanksWithUnevenHeadShardsTrainTheWeightsOfOneRank(head: String) throws {
        let fixture = try Fixture()
        defer { fixture.data.remove() }
        // 4 classes over 3 ranks: shards of 1, 1 and 2 classes; global batch 6 = 3 × 2.
        let loss = ["--head", head]
        let one = try DistributedRunner.run(ranks: nil, fixture.arguments(output: "one", epochs: 2, batch: 6, lr: 0.01, loss))
        #expect(one.status == 0, "\(one.output)")
        let three = try DistributedRunner.run(ranks: 3, fixture.arguments(output: "three", epochs: 2, batch: 6, lr: 0.01, loss))
        #expect(three.status == 0 && three.output.contains("head sharded: 1 of 4 classes per rank"), "\(three.output)")
        let difference = Self.largestDifference(try fixture.checkpoint("one"), try fixture.checkpoint("three"))
        print("3 ranks vs 1 rank, \(head): largest relative difference \(difference.value) (\(difference.tensor))")
        #expect(difference.value <= Self.weightTolerance, "\(difference.tensor) differs by \(difference.value)")
    }

    @Test func ranksReadTheirSamplesFromAPackedDatasetAsFromItsFolder() throws {
        let fixture = try Fixture()
        defer { fixture.data.remove() }
        let pack = fixture.directory + "/train.ffpack"
        let dataset = try Dataset.load(listFile: fixture.data.listPath, imageRoot: fixture.data.root, identityCount: 4)
        try PackedDataset.write(FolderStore(dataset: dataset), to: pack)
        let loss = ["--head", "cosface"]
        let folder = try DistributedRunner.run(ranks: nil, fixture.arguments(output: "folder", epochs: 2, loss))
        #expect(folder.status == 0, "\(folder.output)")
        let packed = try DistributedRunner.run(ranks: 2, fixture.arguments(output: "packed", epochs: 2, loss + ["--pack-file", pack]))
        #expect(packed.status == 0 && packed.output.contains("24 images"), "\(packed.output)")
        let difference = Self.largestDifference(try fixture.checkpoint("folder"), try fixture.checkpoint("packed"))
        #expect(difference.value <= Self.weightTolerance, "\(difference.tensor) differs by \(difference.value)")
    }

    @Test func aCheckpointOfAnyRankCountResumesWithAnyOther() throws {
        let fixture = try Fixture()
        defer { fixture.data.remove() }
        // A constant learning rate: the cosine schedule's length follows --epochs, which the
        // interrupted run raises at each restart.
        let loss = ["--head", "arcface", "--lr-schedule", "constant"]
        let straight = try DistributedRunner.run(ranks: nil, fixture.arguments(output: "straight", epochs: 3, loss))
        #expect(straight.status == 0, "\(straight.output)")
        // Epoch 1 with 2 ranks, epoch 2 as a plain process, epoch 3 with 2 ranks again.
        let first = try DistributedRunner.run(ranks: 2, fixture.arguments(output: "mixed", epochs: 1, loss))
        #expect(first.status == 0, "\(first.output)")
        let second = try DistributedRunner.run(ranks: nil, fixture.arguments(output: "mixed", epochs: 2, loss + ["--resume"]))
        #expect(second.status == 0 && second.output.contains("after epoch 1"), "\(second.output)")
        let third = try DistributedRunner.run(ranks: 2, fixture.arguments(output: "mixed", epochs: 3, loss + ["--resume"]))
        #expect(third.status == 0 && third.output.contains("after epoch 2"), "\(third.output)")
        let difference = Self.largestDifference(try fixture.checkpoint("straight"), try fixture.checkpoint("mixed"))
        print("2 → 1 → 2 ranks resumed vs 1 rank straight: largest relative difference \(difference.value) (\(difference.tensor))")
        #expect(difference.value <= Self.weightTolerance, "\(difference.tensor) differs by \(difference.value)")
    }

    @Test func aGlobalBatchThatTheRanksCannotSplitIsAUsageError() throws {
        let fixture = try Fixture()
        defer { fixture.data.remove() }
        let result = try DistributedRunner.run(ranks: 2, fixture.arguments(output: "odd", epochs: 1, batch: 7))
        #expect(result.status != 0)
        #expect(result.output.contains("--batch-size 7 is not divisible by the 2 ranks"), "\(result.output)")
    }

    @Test func aKilledRankEndsTheJobInTimeAndResumeContinuesFromTheLastCheckpoint() throws {
        let fixture = try Fixture(spec: TinySpecs.withBatchNormalization)
        defer { fixture.data.remove() }
        let (process, pipe) = try DistributedRunner.start(ranks: 2, fixture.arguments(output: "killed", epochs: 100_000))
        let output = OutputCollector(pipe)
        let log = fixture.directory + "/killed/log.jsonl"
        // Wait for two finished epochs (so a checkpoint exists), then kill rank 1 outright.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && ((try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 2 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let pid = output.pid(ofRank: 1) else {
            process.terminate()
            Issue.record("no pid line for rank 1: \(output.text)")
            return
        }
        let killed = Date()
        kill(pid, SIGKILL)
        while process.isRunning && Date().timeIntervalSince(killed) < Self.deadRankBound + 30 { Thread.sleep(forTimeInterval: 0.02) }
        let seconds = Date().timeIntervalSince(killed)
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        output.finish()
        print("killed rank 1: the job ended \(String(format: "%.2f", seconds)) s later with status \(process.terminationStatus)")
        #expect(seconds <= Self.deadRankBound, "the job ran on for \(seconds) s after rank 1 was killed")
        #expect(process.terminationStatus != 0)
        #expect(output.text.contains("rank 1") && output.text.contains("signal 9"), "no clear message: \(output.text)")
        // Restart from the last checkpoint, with a bounded epoch count.
        let saved = try fixture.checkpoint("killed")
        let epoch = Int(saved.metadata["epoch"] ?? "") ?? 0
        #expect(epoch >= 1)
        let resumed = try DistributedRunner.run(ranks: 2, fixture.arguments(output: "killed", epochs: epoch + 1, ["--resume"]))
        #expect(resumed.status == 0 && resumed.output.contains("after epoch \(epoch)"), "\(resumed.output)")
        #expect(try fixture.checkpoint("killed").metadata["epoch"] == "\(epoch + 1)")
    }

    @Test func aRankThatHangsAliveEndsTheJobAfterTheCollectiveTimeout() throws {
        let fixture = try Fixture()
        defer { fixture.data.remove() }
        let timeout = 3.0
        let (process, pipe) = try DistributedRunner.start(ranks: 2, fixture.arguments(output: "stopped", epochs: 100_000,
                                                                                      ["--collective-timeout", "\(Int(timeout))"]))
        let output = OutputCollector(pipe)
        let log = fixture.directory + "/stopped/log.jsonl"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && ((try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 1 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let pid = output.pid(ofRank: 1) else {
            process.terminate()
            Issue.record("no pid line for rank 1: \(output.text)")
            return
        }
        // Rank 1 stays alive but stops: mpirun sees nothing; rank 0's watchdog must end the job.
        let stopped = Date()
        kill(pid, SIGSTOP)
        while process.isRunning && Date().timeIntervalSince(stopped) < timeout + Self.deadRankBound + 30 { Thread.sleep(forTimeInterval: 0.02) }
        let seconds = Date().timeIntervalSince(stopped)
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        kill(pid, SIGKILL)  // in case it outlived the job (a stopped process ignores the rest)
        output.finish()
        print("stopped rank 1: the job ended \(String(format: "%.2f", seconds)) s later with status \(process.terminationStatus)")
        #expect(seconds <= timeout + Self.deadRankBound, "the job ran on for \(seconds) s after rank 1 stopped")
        #expect(process.terminationStatus != 0)
        #expect(output.text.contains("no progress for"), "no clear message: \(output.text)")
    }
}

/// Collects a running process's output on a background thread.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                data.append(chunk)
                lock.unlock()
            }
            done.signal()
        }.start()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits for the end of the output.
    func finish() { _ = done.wait(timeout: .now() + 10) }

    /// The pid that ffem-train printed for `rank` ("ffem-train: rank 1 of 2, pid 1234, host …").
    func pid(ofRank rank: Int) -> pid_t? {
        for _ in 0..<200 {
            for line in text.split(separator: "\n") where line.contains("rank \(rank) of") {
                if let range = line.range(of: "pid "), let pid = Int32(line[range.upperBound...].prefix { $0.isNumber }) { return pid }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }
}
