// FFEMData — BatchPipeline.swift: shuffled, augmented NHWC float32 batches decoded on background threads.
import CFFEMKernels
import FFEMCore
import FFEMImage
import Foundation

/// One training batch: `count` crops as NHWC float32 in (p − 128)/128, and their labels.
public struct Batch: Sendable {
    public var number: Int
    public var count: Int
    public var side: Int
    /// count × side × side × 3 values.
    public var images: [Float]
    public var labels: [Int32]
    /// Dataset entry indices of the samples, in batch order.
    public var indices: [Int]
}

/// Supplies the entry order of each epoch in place of the pipeline's shuffle (e.g. `PKSampler`). The
/// order must depend only on (epoch, seed), so batches stay independent of the thread count.
public protocol EpochOrderProvider: Sendable {
    /// Dataset entry indices in batch order; batch b holds positions b·batchSize ..< (b+1)·batchSize.
    func order(epoch: Int, seed: UInt64) -> [Int]
}

/// How batches are made. The batches of an epoch depend only on (dataset, configuration, seed, epoch):
/// never on the thread count, because every sample draws its augmentation from its own stream
/// `SeededRandom(seed:, stream: epoch << 32 | position)`.
public struct PipelineConfiguration: Sendable {
    public var batchSize = 64
    public var cropSide = 112
    public var policy = CropPolicy.identity
    public var augmentation = Augmentation()
    public var seed: UInt64 = 1
    public var shuffles = true
    /// Drop the last incomplete batch of an epoch.
    public var dropsLast = true
    /// Worker threads decoding batches.
    public var threads = 2
    /// Batches prepared ahead of the consumer (bounded queue).
    public var prefetch = 4
    /// When set, the entry order of every epoch comes from here (`shuffles` is then ignored).
    public var orderProvider: (any EpochOrderProvider)? = nil
    /// The slice of every global batch of `batchSize` that this process reads (data-parallel
    /// training; see `DataShard`). Batches then hold `batchSize / shard.count` samples.
    public var shard = DataShard.whole
    public init() {}
}

public final class BatchPipeline: Sendable {
    public let loader: SampleLoader
    public let configuration: PipelineConfiguration

    public init(store: any SampleStore, configuration: PipelineConfiguration) {
        self.configuration = configuration
        self.loader = SampleLoader(store: store, cropSide: configuration.cropSide, policy: configuration.policy,
                                   augmentation: configuration.augmentation)
    }

    /// The entry order of `epoch`: the order provider's, a seeded shuffle, or file order.
    public func order(epoch: Int) -> [Int] {
        if let provider = configuration.orderProvider { return provider.order(epoch: epoch, seed: configuration.seed) }
        var order = Array(0..<loader.store.entries.count)
        if configuration.shuffles {
            var random = SeededRandom(seed: configuration.seed ^ 0x5EED_5EED, stream: UInt64(epoch))
            order.seededShuffle(using: &random)
        }
        return order
    }

    public func batchCount(epoch: Int) -> Int {
        batchCount(orderCount: configuration.orderProvider == nil ? loader.store.entries.count : order(epoch: epoch).count)
    }

    func batchCount(orderCount n: Int) -> Int {
        let b = configuration.batchSize
        return configuration.dropsLast ? n / b : (n + b - 1) / b
    }

    /// Builds this shard's part of global batch `number` of `epoch` on the calling thread.
    public func makeBatch(epoch: Int, number: Int, order: [Int]) throws(DatasetProblem) -> Batch {
        let b = configuration.batchSize, side = configuration.cropSide
        let positions = configuration.shard.positions(batchStart: number * b, batchSize: b, available: min(b, order.count - number * b))
        let count = positions.count
        let pixelsPerImage = side * side * 3
        var crop = [UInt8](repeating: 0, count: pixelsPerImage)
        var images = [Float](repeating: 0, count: count * pixelsPerImage)
        var labels: [Int32] = []
        var indices: [Int] = []
        for k in 0..<count {
            let position = positions.lowerBound + k
            let index = order[position]
            var random = SeededRandom(seed: configuration.seed, stream: UInt64(epoch) << 32 | UInt64(position))
            try crop.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(DatasetProblem) in
                try loader.loadCrop(index, random: &random, into: buffer.baseAddress!)
            }
            crop.withUnsafeBufferPointer { source in
                images.withUnsafeMutableBufferPointer { out in
                    ffem_u8_to_f32_centered(source.baseAddress!, pixelsPerImage, out.baseAddress! + k * pixelsPerImage)
                }
            }
            labels.append(Int32(loader.store.entries[index].label))
            indices.append(index)
        }
        return Batch(number: number, count: count, side: side, images: images, labels: labels, indices: indices)
    }

    /// The batches of `epoch`, prepared by `configuration.threads` workers at most `prefetch` batches ahead.
    public func batches(epoch: Int) -> BatchIterator {
        BatchIterator(pipeline: self, epoch: epoch)
    }
}

/// Delivers an epoch's batches in order; workers build them in the background. Stops the workers when
/// released or when the epoch ends. A sample that fails to load ends the iteration with its problem.
public final class BatchIterator: @unchecked Sendable {
    let pipeline: BatchPipeline
    let epoch: Int
    let order: [Int]
    let total: Int
    let condition = NSCondition()
    var ready: [Int: Result<Batch, DatasetProblem>] = [:]
    var nextToBuild = 0
    var nextToDeliver = 0
    var isCancelled = false
    var runningWorkers = 0

    init(pipeline: BatchPipeline, epoch: Int) {
        self.pipeline = pipeline
        self.epoch = epoch
        self.order = pipeline.order(epoch: epoch)
        self.total = pipeline.batchCount(orderCount: order.count)
        let workers = max(1, min(pipeline.configuration.threads, total))
        runningWorkers = workers
        for _ in 0..<workers {
            let thread = Thread { [self] in self.work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit { cancel() }

    public var batchCount: Int { total }

    func work() {
        while true {
            condition.lock()
            while !isCancelled && nextToBuild < total && nextToBuild >= nextToDeliver + max(1, pipeline.configuration.prefetch) {
                condition.wait()
            }
            if isCancelled || nextToBuild >= total {
                runningWorkers -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let number = nextToBuild
            nextToBuild += 1
            condition.unlock()
            let result: Result<Batch, DatasetProblem>
            do {
                result = .success(try pipeline.makeBatch(epoch: epoch, number: number, order: order))
            } catch {
                result = .failure(error)
            }
            condition.lock()
            ready[number] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in order, nil after the last one.
    public func next() throws(DatasetProblem) -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToDeliver < total, !isCancelled else { return nil }
        while ready[nextToDeliver] == nil { condition.wait() }
        let result = ready.removeValue(forKey: nextToDeliver)!
        nextToDeliver += 1
        condition.broadcast()
        switch result {
        case .success(let batch): return batch
        case .failure(let problem):
            isCancelled = true
            throw problem
        }
    }

    /// Stops the workers and waits for them to finish their current batch.
    public func cancel() {
        condition.lock()
        isCancelled = true
        condition.broadcast()
        while runningWorkers > 0 { condition.wait() }
        condition.unlock()
    }
}
