// FFEMTrain — GradientReducer.swift: the data-parallel gradient sum, bucketed in one flat buffer.
import Foundation

/// Sums the gradients of replicated parameters over all ranks: g ← Σ_ranks g.
///
/// Each rank's loss term is already divided by the *global* batch size B (the trainer computes the
/// loss of the whole global batch; see `Trainer`), so the sum of the ranks' gradients is the
/// gradient of one rank running the whole batch; no division by N follows.
///
/// The gradients are copied into one flat buffer in parameter order and all-reduced in buckets of
/// `bucketElements` floats (bounded messages; a bucket is one `MPI_Allreduce`), then copied back.
/// The all-reduce runs after the backward pass, not overlapped with it: on this machine it takes
/// 1.0 ms of a 0.72 s MobileFaceNet step (0.14 %, Benchmarks/distributed.md), so overlap could save
/// at most that, and with one core per rank there is no idle core to progress messages anyway.
public final class GradientReducer {
    public let parameters: [Parameter]
    public let communicator: any Communicator
    public let bucketElements: Int
    let flat: FloatBuffer
    /// Seconds spent in the all-reduce (packing included) since the reducer was made.
    public private(set) var seconds = 0.0
    public private(set) var reductions = 0

    public init(parameters: [Parameter], communicator: any Communicator, bucketElements: Int = 1 << 18) {
        self.parameters = parameters
        self.communicator = communicator
        self.bucketElements = max(1, bucketElements)
        flat = FloatBuffer(count: parameters.reduce(0) { $0 + $1.count })
    }

    /// Bytes each rank contributes to the all-reduce per step (float32 gradients).
    public var bytesPerStep: Int { flat.count * MemoryLayout<Float>.size }

    public func reduce() {
        let start = Date()
        var offset = 0
        for p in parameters {
            (flat.pointer + offset).update(from: p.gradient.pointer, count: p.count)
            offset += p.count
        }
        var bucket = 0
        while bucket < flat.count {
            let count = min(bucketElements, flat.count - bucket)
            communicator.allreduceSum(flat.pointer + bucket, count: count)
            bucket += count
        }
        offset = 0
        for p in parameters {
            p.gradient.pointer.update(from: flat.pointer + offset, count: p.count)
            offset += p.count
        }
        seconds += Date().timeIntervalSince(start)
        reductions += 1
    }
}
