// FFEMTrain — FloatBuffer.swift: reusable float storage for activations, gradients and parameters.

/// A 64-byte aligned float array with reference semantics: the network keeps one per activation and
/// gradient and reuses it every step (no per-step allocation once the batch size is fixed).
public final class FloatBuffer: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<Float>
    public private(set) var count: Int
    private var capacity: Int

    public init(count: Int) {
        capacity = max(count, 1)
        pointer = FloatBuffer.allocate(capacity)
        self.count = count
        pointer.initialize(repeating: 0, count: capacity)
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(to: Float.self, capacity: count)
    }

    /// Makes room for `count` floats (contents undefined after growing).
    public func resize(_ newCount: Int) {
        if newCount > capacity {
            pointer.deallocate()
            capacity = newCount
            pointer = FloatBuffer.allocate(capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        count = newCount
    }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public func copy(from values: [Float]) {
        precondition(values.count == count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    public subscript(index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }
}

/// A learnable tensor: its value, the gradient accumulated by backward, and how it is treated.
public final class Parameter: @unchecked Sendable {
    public let name: String
    /// Shape as stored in checkpoints (e.g. OHWI for convolutions).
    public let shape: [Int]
    public let value: FloatBuffer
    public let gradient: FloatBuffer
    /// Weight decay applies to convolution and dense weights, not to biases, BN or PReLU parameters.
    public let isDecayed: Bool

    public init(name: String, shape: [Int], initial: [Float], isDecayed: Bool) {
        precondition(shape.reduce(1, *) == initial.count, "parameter \(name): shape \(shape) does not match \(initial.count) values")
        self.name = name
        self.shape = shape
        self.value = FloatBuffer(initial)
        self.gradient = FloatBuffer(count: initial.count)
        self.isDecayed = isDecayed
    }

    public var count: Int { value.count }
}
