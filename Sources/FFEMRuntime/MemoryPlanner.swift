// FFEMRuntime — MemoryPlanner.swift: every activation tensor in one arena, placed by liveness.

/// When a tensor must hold its value: from the step that writes it to the last step that reads it
/// (inclusive). Steps: the input is written at step 0, operation i runs at step i + 1.
public struct Lifetime: Equatable, Sendable {
    public var first: Int
    public var last: Int

    public init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    /// Both tensors hold values at some common step, so they need disjoint bytes. An op's inputs
    /// (read at its step) and its output (written at its step) always overlap: no op runs in place.
    public func overlaps(_ other: Lifetime) -> Bool { first <= other.last && other.first <= last }
}

/// Byte offsets of all tensors in one arena.
public struct MemoryPlan: Equatable, Sendable {
    /// Offset of tensor t in the arena, a multiple of `MemoryPlanner.alignment`.
    public var offsets: [Int]
    /// Bytes of tensor t.
    public var sizes: [Int]
    public var lifetimes: [Lifetime]
    /// The arena size: max over t of offsets[t] + sizes[t], rounded up to the alignment.
    public var arenaBytes: Int
}

/// TFLite Micro's greedy-by-size planner: tensors in order of decreasing size (ties by index), each
/// at the lowest aligned offset where it overlaps no already placed tensor whose lifetime overlaps
/// its own. Never worse than giving every tensor its own bytes (the sum of the aligned sizes).
public enum MemoryPlanner {
    /// Alignment of every tensor in the arena (a cache line; the widest SIMD load is 64 bytes).
    public static let alignment = 64

    /// Lifetimes of `model`'s tensors. The last tensor (the embedding) lives to the end, one step
    /// past the last op, so it can be read after the invocation.
    public static func lifetimes(of model: QuantizedModel) -> [Lifetime] {
        var lifetimes = (0..<model.tensors.count).map { Lifetime(first: $0, last: $0) }
        for (index, operation) in model.operations.enumerated() {
            let (a, b) = operation.inputs
            lifetimes[a].last = max(lifetimes[a].last, index + 1)
            if let b { lifetimes[b].last = max(lifetimes[b].last, index + 1) }
        }
        lifetimes[model.tensors.count - 1].last = model.operations.count + 1
        return lifetimes
    }

    /// The plan of `model`'s activations. With `preservingAllTensors`, every tensor lives to the
    /// end (no two share bytes), so all of them can be read after an invocation (per-layer
    /// comparisons, e.g. the quantizer's SQNR report). `fusedOperations`: ops i run fused with op
    /// i + 1 in one kernel that reads op i's inputs while writing op i + 1's output, so those
    /// inputs live until step i + 2.
    public static func plan(_ model: QuantizedModel, preservingAllTensors: Bool = false,
                            fusedOperations: [Int] = []) -> MemoryPlan {
        var lifetimes = lifetimes(of: model)
        for index in fusedOperations {
            let (a, b) = model.operations[index].inputs
            lifetimes[a].last = max(lifetimes[a].last, index + 2)
            if let b { lifetimes[b].last = max(lifetimes[b].last, index + 2) }
        }
        if preservingAllTensors {
            for t in lifetimes.indices { lifetimes[t].last = model.operations.count + 1 }
        }
        return plan(sizes: model.tensors.map { $0.shape.elementCount }, lifetimes: lifetimes)
    }

    /// Greedy placement of buffers of `sizes` bytes alive over `lifetimes`.
    public static func plan(sizes: [Int], lifetimes: [Lifetime]) -> MemoryPlan {
        precondition(sizes.count == lifetimes.count, "one lifetime per size")
        let order = (0..<sizes.count).sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        var offsets = [Int](repeating: 0, count: sizes.count)
        var placed: [Int] = []
        var arenaBytes = 0
        for tensor in order {
            let conflicts = placed.filter { lifetimes[$0].overlaps(lifetimes[tensor]) }
                .sorted { offsets[$0] < offsets[$1] }
            var candidate = 0
            for other in conflicts {
                if candidate + sizes[tensor] <= offsets[other] { break }
                candidate = max(candidate, roundUp(offsets[other] + sizes[other], alignment))
            }
            offsets[tensor] = candidate
            placed.append(tensor)
            arenaBytes = max(arenaBytes, roundUp(candidate + sizes[tensor], alignment))
        }
        return MemoryPlan(offsets: offsets, sizes: sizes, lifetimes: lifetimes, arenaBytes: arenaBytes)
    }
}
