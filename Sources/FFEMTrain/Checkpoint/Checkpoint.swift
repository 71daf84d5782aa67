// FFEMTrain — Checkpoint.swift: the full training state in one safetensors file (DESIGN.md §5).
//
// Tensors: every network parameter and buffer under its own name ("conv1.conv.weight",
// "conv1.bn.running_mean", …), the head ("head.weight", "head.bias"), center-loss centers, and the
// optimizer's moments ("optimizer.first.<name>", "optimizer.second.<name>").
// Metadata (strings): format, phase, epoch (completed epochs), step, architecture (the ModelSpec
// JSON), config (TrainingConfiguration JSON), optimizer_steps, lr_multiplier, best_metric,
// epochs_without_improvement, plateau_wait, history (JSON lines of the finished epochs).
import FFEMCore
import Foundation

public struct TrainingState: Equatable, Sendable {
    public var completedEpochs = 0
    public var step = 0
    public var learningRateMultiplier: Float = 1
    public var bestMetric: Double = -Double.infinity
    public var epochsWithoutImprovement = 0
    public var plateauWait = 0
    /// One JSON object per finished epoch.
    public var history: [String] = []
    public init() {}
}

public enum Checkpoint {
    public static let format = "ffem-checkpoint-1"

    /// Writes the checkpoint atomically (temporary file, fsync, rename).
    public static func save(to path: String, network: Network, head: ClassificationHead?, centerLoss: CenterLoss?, optimizer: Optimizer,
                            trainables: [Parameter], state: TrainingState, configuration: TrainingConfiguration, phase: Int) throws {
        var file = Safetensors()
        for p in network.parameters + network.buffers + (head?.parameters ?? []) + (centerLoss.map { [$0.centers] } ?? []) {
            file.add(p.name, shape: p.shape, values: p.value.array)
        }
        for (k, p) in trainables.enumerated() {
            file.add("optimizer.first.\(p.name)", shape: p.shape, values: optimizer.first[k].array)
            if k < optimizer.second.count { file.add("optimizer.second.\(p.name)", shape: p.shape, values: optimizer.second[k].array) }
        }
        file.metadata = [
            "format": format, "phase": "\(phase)", "epoch": "\(state.completedEpochs)", "step": "\(state.step)",
            "architecture": network.spec.jsonText(), "config": configuration.jsonText(),
            "optimizer_steps": "\(optimizer.stepCount)", "lr_multiplier": "\(state.learningRateMultiplier)",
            "best_metric": "\(state.bestMetric)", "epochs_without_improvement": "\(state.epochsWithoutImprovement)",
            "plateau_wait": "\(state.plateauWait)", "history": state.history.joined(separator: "\n"),
        ]
        try FileIO.makeDirectories(FileIO.directory(of: path))
        try FileIO.writeAtomically(file.encoded(), to: path)
    }

    public static func read(_ path: String) throws -> Safetensors {
        let bytes = try FileIO.read(path)
        let file = try Safetensors.decode(bytes, name: path)
        guard file.metadata["format"] == format else {
            throw SafetensorsError("\(path): not an FFEM checkpoint (metadata format is \(file.metadata["format"].map { "'\($0)'" } ?? "missing"))")
        }
        return file
    }

    /// The architecture stored in a checkpoint.
    public static func architecture(of file: Safetensors, path: String) throws -> ModelSpec {
        guard let text = file.metadata["architecture"] else { throw SafetensorsError("\(path): no architecture in the metadata") }
        return try ModelSpec.fromJSON(text)
    }

    /// Copies stored tensors into `parameters`, checking shapes; `required` names must all be present.
    public static func restore(_ parameters: [Parameter], from file: Safetensors, path: String, required: Bool = true) throws {
        for p in parameters {
            guard let stored = file.tensor(p.name) else {
                if required { throw SafetensorsError("\(path): tensor '\(p.name)' is missing") }
                continue
            }
            guard stored.shape == p.shape else {
                throw SafetensorsError("\(path): tensor '\(p.name)' has shape \(stored.shape), the model needs \(p.shape)")
            }
            p.value.copy(from: stored.values)
        }
    }

    public static func restoreOptimizer(_ optimizer: Optimizer, trainables: [Parameter], from file: Safetensors, path: String) throws {
        for (k, p) in trainables.enumerated() {
            guard let first = file.tensor("optimizer.first.\(p.name)"), first.values.count == p.count else {
                throw SafetensorsError("\(path): optimizer state of '\(p.name)' is missing or has the wrong size")
            }
            optimizer.first[k].copy(from: first.values)
            if k < optimizer.second.count {
                guard let second = file.tensor("optimizer.second.\(p.name)"), second.values.count == p.count else {
                    throw SafetensorsError("\(path): optimizer state of '\(p.name)' is missing or has the wrong size")
                }
                optimizer.second[k].copy(from: second.values)
            }
        }
        optimizer.stepCount = Int(file.metadata["optimizer_steps"] ?? "0") ?? 0
    }

    public static func state(from file: Safetensors) -> TrainingState {
        var state = TrainingState()
        state.completedEpochs = Int(file.metadata["epoch"] ?? "0") ?? 0
        state.step = Int(file.metadata["step"] ?? "0") ?? 0
        state.learningRateMultiplier = Float(file.metadata["lr_multiplier"] ?? "1") ?? 1
        state.bestMetric = Double(file.metadata["best_metric"] ?? "") ?? -Double.infinity
        state.epochsWithoutImprovement = Int(file.metadata["epochs_without_improvement"] ?? "0") ?? 0
        state.plateauWait = Int(file.metadata["plateau_wait"] ?? "0") ?? 0
        state.history = (file.metadata["history"] ?? "").split(separator: "\n").map(String.init)
        return state
    }
}
