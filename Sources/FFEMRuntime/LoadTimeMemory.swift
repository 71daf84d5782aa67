// FFEMRuntime — LoadTimeMemory.swift: the interpreter's owned memory, allocated at load, freed at deinit.

/// Every allocation an interpreter makes — arena, packed weights, parameter blocks, per-channel
/// arrays — happens here, at load time, 64-byte aligned; nothing is allocated afterwards.
final class LoadTimeMemory {
    static let alignment = 64
    private var blocks: [UnsafeMutableRawPointer] = []

    /// `byteCount` zeroed bytes (at least 1).
    func bytes(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
        block.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
        blocks.append(block)
        return block
    }

    /// A copy of `values`.
    func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let block = bytes(values.count * MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: max(values.count, 1))
        for (i, value) in values.enumerated() { (block + i).initialize(to: value) }
        return block
    }

    /// A copy of one value (a kernel's parameter block).
    func store<T>(_ value: T) -> UnsafeMutablePointer<T> { copy([value]) }

    deinit {
        for block in blocks { block.deallocate() }
    }
}
