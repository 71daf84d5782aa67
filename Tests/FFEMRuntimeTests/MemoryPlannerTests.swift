// FFEMRuntimeTests — MemoryPlannerTests.swift: the arena plan keeps live tensors apart and saves memory.
import FFEMCore
import FFEMRuntime
import Testing

@Suite struct MemoryPlannerTests {
    /// No two tensors whose lifetimes overlap share a byte; offsets are aligned; the arena holds
    /// every tensor and is no larger than giving each tensor its own aligned bytes.
    func expectSound(_ plan: MemoryPlan) {
        let alignment = MemoryPlanner.alignment
        var sumOfAligned = 0
        for t in 0..<plan.sizes.count {
            #expect(plan.offsets[t] % alignment == 0)
            #expect(plan.offsets[t] + plan.sizes[t] <= plan.arenaBytes)
            sumOfAligned += (plan.sizes[t] + alignment - 1) / alignment * alignment
            for u in 0..<t where plan.lifetimes[t].overlaps(plan.lifetimes[u]) {
                let disjoint = plan.offsets[t] + plan.sizes[t] <= plan.offsets[u]
                    || plan.offsets[u] + plan.sizes[u] <= plan.offsets[t]
                #expect(disjoint, "tensors \(t) and \(u) are live together and overlap")
            }
        }
        #expect(plan.arenaBytes <= sumOfAligned)
    }

    @Test func randomLifetimesArePlacedSoundly() {
        var random = SeededRandom(seed: 3)
        for _ in 0..<200 {
            let count = 1 + random.nextInt(below: 40)
            let sizes = (0..<count).map { _ in 1 + random.nextInt(below: 5000) }
            let lifetimes = (0..<count).map { _ -> Lifetime in
                let first = random.nextInt(below: 50)
                return Lifetime(first: first, last: first + random.nextInt(below: 10))
            }
            expectSound(MemoryPlanner.plan(sizes: sizes, lifetimes: lifetimes))
        }
    }

    @Test func modelLifetimesFollowTheOpList() throws {
        let model = try TinyModels.residual(seed: 1)
        let lifetimes = MemoryPlanner.lifetimes(of: model)
        // 0 input, 1 stem, 2 prelu (read by depthwise at step 3 and add at step 5), 3 dw, 4 1×1, 5 add, 6 gdc, 7 out.
        #expect(lifetimes[0] == Lifetime(first: 0, last: 1))
        #expect(lifetimes[2] == Lifetime(first: 2, last: 5))
        #expect(lifetimes[7] == Lifetime(first: 7, last: 8))
        let plan = MemoryPlanner.plan(model)
        expectSound(plan)
        #expect(plan.arenaBytes < plan.sizes.reduce(0, +), "a chain must reuse memory")
    }

    @Test func aChainNeedsOnlyTwoLargestBuffers() {
        // Five equal tensors in a chain (each read only by the next op): two slots suffice.
        let plan = MemoryPlanner.plan(sizes: [640, 640, 640, 640, 640],
                                      lifetimes: (0..<5).map { Lifetime(first: $0, last: $0 + 1) })
        expectSound(plan)
        #expect(plan.arenaBytes == 2 * 640)
    }

    @Test func preservingAllTensorsGivesEachItsOwnBytes() throws {
        let model = try TinyModels.residual(seed: 3)
        let plan = MemoryPlanner.plan(model, preservingAllTensors: true)
        expectSound(plan)
        for t in 0..<plan.sizes.count {
            for u in 0..<t {
                #expect(plan.offsets[t] + plan.sizes[t] <= plan.offsets[u] || plan.offsets[u] + plan.sizes[u] <= plan.offsets[t])
            }
        }
    }

    @Test func interpreterReportsItsArena() throws {
        let model = try TinyModels.residual(seed: 2, inputSize: 20, channels: 24, embedding: 16)
        let interpreter = try Interpreter(model: model)
        #expect(interpreter.plan == MemoryPlanner.plan(model))
        expectSound(interpreter.plan)
    }
}
