// FFEMTrain — ShardedCheckpoint.swift: checkpoints of a sharded head that do not depend on N.
//
// A checkpoint always holds the whole head ("head.weight" C × d, "head.bias", and their optimizer
// moments), exactly as a single-process run writes it. Saving gathers the shards on rank 0;
// resuming reads the whole tensors on every rank and keeps the rows of its own shard. So a run can
// be resumed with any number of ranks, including one (plain `ffem-train --resume`).
import FFEMCore
import Foundation

enum ShardedCheckpoint {
    /// Rank 0 receives the rows of every shard of `values` (rows × width of this shard), in class
    /// order: C × width floats. Other ranks get nil. Collective.
    static func gatherRows(_ values: FloatBuffer, width: Int, classes: Int, communicator: any Communicator) -> [Float]? {
        let padded = ClassificationHead.shardSize(classes: classes, ranks: communicator.size) * width
        var send = [Float](repeating: 0, count: padded)
        send.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: values.pointer, count: values.count) }
        var all = [Float](repeating: 0, count: communicator.isRoot ? padded * communicator.size : 0)
        all.withUnsafeMutableBufferPointer { out in
            communicator.gather(send, count: padded, into: communicator.isRoot ? out.baseAddress! : nil, root: 0)
        }
        guard communicator.isRoot else { return nil }
        // Shard r's rows start at r·padded; a shard may be one row short of `padded`.
        var whole: [Float] = []
        whole.reserveCapacity(classes * width)
        for r in 0..<communicator.size {
            let rows = ClassificationHead.shardRange(classes: classes, rank: r, ranks: communicator.size).count
            whole.append(contentsOf: all[(r * padded)..<(r * padded + rows * width)])
        }
        return whole
    }

    /// Writes the checkpoint of a trainer whose head is sharded: every rank calls this; rank 0 writes.
    static func save(_ trainer: Trainer, to path: String) throws {
        let communicator = trainer.communicator
        guard let head = trainer.head else { return try trainer.saveWholeCheckpoint(to: path) }
        let d = head.dimension, c = head.totalClasses
        let headStart = trainer.network.parameters.count
        // Values and moments of the head's parameters, gathered in a fixed order on every rank.
        var gathered: [[Float]?] = []
        for (k, p) in head.parameters.enumerated() {
            let width = p.shape.dropFirst().reduce(1, *)
            gathered.append(gatherRows(p.value, width: width, classes: c, communicator: communicator))
            gathered.append(gatherRows(trainer.optimizer.first[headStart + k], width: width, classes: c, communicator: communicator))
            if !trainer.optimizer.second.isEmpty {
                gathered.append(gatherRows(trainer.optimizer.second[headStart + k], width: width, classes: c, communicator: communicator))
            }
        }
        guard communicator.isRoot else { return }
        var random = SeededRandom(seed: 0)
        let whole = ClassificationHead(kind: head.kind, classes: c, dimension: d, random: &random)
        let trainables = trainer.network.parameters + whole.parameters
        let optimizer = Optimizer(settings: trainer.optimizer.settings, parameters: trainables)
        optimizer.stepCount = trainer.optimizer.stepCount
        for k in 0..<headStart {
            optimizer.first[k].copy(from: trainer.optimizer.first[k].array)
            if !optimizer.second.isEmpty { optimizer.second[k].copy(from: trainer.optimizer.second[k].array) }
        }
        var next = 0
        for (k, p) in whole.parameters.enumerated() {
            p.value.copy(from: gathered[next]!)
            optimizer.first[headStart + k].copy(from: gathered[next + 1]!)
            if !optimizer.second.isEmpty { optimizer.second[headStart + k].copy(from: gathered[next + 2]!) }
            next += optimizer.second.isEmpty ? 2 : 3
        }
        try Checkpoint.save(to: path, network: trainer.network, head: whole, centerLoss: nil, optimizer: optimizer, trainables: trainables,
                            state: trainer.state, configuration: trainer.configuration, phase: trainer.configuration.phase)
    }

    /// Copies this shard's rows of the stored whole tensor `name` into `buffer`.
    static func restoreRows(_ buffer: FloatBuffer, name: String, head: ClassificationHead, from file: Safetensors, path: String) throws {
        guard let stored = file.tensor(name) else { throw SafetensorsError("\(path): tensor '\(name)' is missing") }
        let width = head.parameters.first { name.hasSuffix($0.name) }?.shape.dropFirst().reduce(1, *) ?? head.dimension
        guard stored.values.count == head.totalClasses * width else {
            throw SafetensorsError("\(path): tensor '\(name)' has shape \(stored.shape), the head needs \(head.totalClasses) × \(width)")
        }
        buffer.copy(from: Array(stored.values[(head.classOffset * width)..<((head.classOffset + head.classes) * width)]))
    }

    /// Restores a trainer with a sharded head from a whole checkpoint (written with any N).
    static func restore(_ trainer: Trainer, from file: Safetensors, path: String) throws {
        let network = trainer.network, optimizer = trainer.optimizer
        try Checkpoint.restore(network.parameters + network.buffers, from: file, path: path)
        try Checkpoint.restoreOptimizer(optimizer, trainables: network.parameters, from: file, path: path)
        guard let head = trainer.head else { return }
        let headStart = network.parameters.count
        for (k, p) in head.parameters.enumerated() {
            try restoreRows(p.value, name: p.name, head: head, from: file, path: path)
            try restoreRows(optimizer.first[headStart + k], name: "optimizer.first.\(p.name)", head: head, from: file, path: path)
            if !optimizer.second.isEmpty {
                try restoreRows(optimizer.second[headStart + k], name: "optimizer.second.\(p.name)", head: head, from: file, path: path)
            }
        }
    }
}
