import FFEMCore
import FFEMImage
import FFEMTestSupport
import Testing
@testable import FFEMData

@Suite struct BatchPipelineTests {
    func allBatches(_ store: any SampleStore, threads: Int, epoch: Int = 0, seed: UInt64 = 9) throws -> [Batch] {
        var configuration = PipelineConfiguration()
        configuration.batchSize = 5
        configuration.cropSide = 32
        configuration.threads = threads
        configuration.prefetch = 2
        configuration.seed = seed
        configuration.dropsLast = false
        let iterator = BatchPipeline(store: store, configuration: configuration).batches(epoch: epoch)
        var batches: [Batch] = []
        while let batch = try iterator.next() { batches.append(batch) }
        return batches
    }

    @Test func batchesAreIdenticalWhateverTheThreadCount() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let store = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let one = try allBatches(store, threads: 1)
        let three = try allBatches(store, threads: 3)
        #expect(one.map { $0.count } == [5, 5, 2])
        #expect(one.map { $0.images } == three.map { $0.images })
        #expect(one.map { $0.labels } == three.map { $0.labels })
        #expect(Set(one.flatMap { $0.indices }) == Set(0..<12))
    }

    @Test func epochsAndSeedsChangeOrderAndAugmentation() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let store = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let first = try allBatches(store, threads: 2, epoch: 0)
        #expect(try allBatches(store, threads: 2, epoch: 1).map { $0.indices } != first.map { $0.indices })
        #expect(try allBatches(store, threads: 2, seed: 10).map { $0.images } != first.map { $0.images })
    }

    @Test func packedFileGivesIdenticalBatches() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let folder = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let packPath = fixture.root + "/all.ffpack"
        try PackedDataset.write(folder, to: packPath)
        let packed = try PackedStore(path: packPath)
        #expect(packed.entries.map { $0.path } == folder.entries.map { $0.path })
        #expect(packed.identityCount == 3)
        let a = try allBatches(folder, threads: 2), b = try allBatches(packed, threads: 2)
        #expect(a.map { $0.images } == b.map { $0.images })
        #expect(a.map { $0.labels } == b.map { $0.labels })
    }

    @Test func damagedPackedFilesAreRefused() throws {
        let fixture = try DatasetFixture.make(identities: 2, perIdentity: 2)
        defer { fixture.remove() }
        let folder = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let packPath = fixture.root + "/all.ffpack"
        try PackedDataset.write(folder, to: packPath)
        let good = try FileIO.read(packPath)
        var flippedImage = good
        flippedImage[100] ^= 0xFF
        try FileIO.writeAtomically(flippedImage, to: packPath)
        let damaged = try PackedStore(path: packPath)
        #expect(throws: DatasetProblem.self) { try damaged.imageBytes(at: 0) }
        for cut in [10, 64, good.count - 5] {
            try FileIO.writeAtomically(Array(good.prefix(cut)), to: packPath)
            #expect(throws: DatasetErrors.self) { try PackedStore(path: packPath) }
        }
        var wrongVersion = good
        wrongVersion[8] = 9
        try FileIO.writeAtomically(wrongVersion, to: packPath)
        do {
            _ = try PackedStore(path: packPath)
            Issue.record("version 9 was accepted")
        } catch {
            #expect(error.description.contains("version 9 is not supported"))
        }
    }

    @Test func augmentedCropsStayInsideTheNormalisedRange() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let store = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        for batch in try allBatches(store, threads: 2) {
            #expect(batch.images.count == batch.count * 32 * 32 * 3)
            #expect(batch.images.allSatisfy { $0 >= -1 && $0 < 1 })
        }
    }

    @Test func augmentationDrawsAreIndependentPerImage() {
        var a = SeededRandom(seed: 1, stream: 0), b = SeededRandom(seed: 1, stream: 1)
        let augmentation = Augmentation()
        #expect(augmentation.draw(cropSide: 112, using: &a) != augmentation.draw(cropSide: 112, using: &b))
        var again = SeededRandom(seed: 1, stream: 0)
        var first = SeededRandom(seed: 1, stream: 0)
        #expect(augmentation.draw(cropSide: 112, using: &again) == augmentation.draw(cropSide: 112, using: &first))
        var c = SeededRandom(seed: 1)
        let none = Augmentation.none.draw(cropSide: 112, using: &c)
        #expect(!none.mirrored && none.cutout == nil && none.contrastFactor == 1 && none.boxOffsets == (0, 0, 0, 0))
    }
}
