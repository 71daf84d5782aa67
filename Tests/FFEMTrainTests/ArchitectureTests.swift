import Testing
@testable import FFEMTrain

@Suite struct ArchitectureTests {
    @Test func mobileFaceNetHasThePapersSize() throws {
        let network = try Network(spec: Architectures.mobileFaceNet(), seed: 1)
        #expect(network.outputShape == Shape(1, 1, 128))
        // Chen et al. 2018: 0.99 M parameters, 221 M multiply-adds (BN/PReLU parameters included here).
        #expect(abs(network.parameterCount - 1_000_000) < 30_000, "parameters \(network.parameterCount)")
        #expect(abs(network.multiplyAdds - 221_000_000) < 8_000_000, "multiply-adds \(network.multiplyAdds)")
    }

    @Test(arguments: ["iresnet18", "iresnet50", "mobilenetv2"])
    func otherArchitecturesBuildWithTheirEmbeddingSize(name: String) throws {
        let spec = try #require(Architectures.named(name))
        let network = try Network(spec: spec, seed: 1)
        #expect(network.outputShape == Shape(1, 1, 512))
        #expect(network.parameterCount > 2_000_000)
    }

    @Test func specsRoundTripThroughJSON() throws {
        let spec = Architectures.mobileFaceNet()
        #expect(try ModelSpec.fromJSON(spec.jsonText()) == spec)
    }
}
