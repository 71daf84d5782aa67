// FFEMTrain — DataParallelStep.swift: one training step of rank r of N (N > 1).
//
// Rank r holds samples r·B/N ..< (r+1)·B/N of the global batch (`DataShard`) and a replica of the
// network. A step:
// 1. forward its B/N samples (per-rank batch normalisation, see docs/DISTRIBUTED.md);
// 2. all-gather the embeddings and labels: every rank then holds those of the whole global batch;
// 3. the loss of the whole batch: a sharded classification head (each rank its classes, softmax
//    terms all-reduced; `ClassificationHead`) or the triplet loss (computed identically on every
//    rank); both normalise by B and give ∂L/∂embedding for all B samples on every rank;
// 4. backward its own B/N rows of that gradient;
// 5. all-reduce (sum) the network's gradients (`GradientReducer`); the head shard's stay local;
// 6. clip by the global norm and take the optimiser step (the same on every rank for replicated
//    parameters, each rank on its own head shard).
// Every rank takes the same branches in the same order, so the collectives match.
import FFEMData
import Foundation

/// Buffers of the global batch reused across steps.
final class DataParallelBuffers {
    let embeddings = FloatBuffer(count: 0)
    let embeddingGradient = FloatBuffer(count: 0)
    let labels = FloatBuffer(count: 0)
    let localLabels = FloatBuffer(count: 0)
}

extension Trainer {
    /// Steps 2–6 above, after the forward pass of the local batch; returns the loss of the whole batch.
    func dataParallelLossAndUpdate(_ batch: Batch) throws -> LossResult {
        let ranks = communicator.size, local = batch.count, d = network.outputShape.count
        let global = local * ranks
        let buffers = dataParallelBuffers
        buffers.embeddings.resize(global * d)
        buffers.embeddingGradient.resize(global * d)
        buffers.labels.resize(global)
        buffers.localLabels.resize(local)
        communicator.allgather(network.output.pointer, count: local * d, into: buffers.embeddings.pointer)
        // Labels travel as floats: exact below 2^24 classes (checked at start).
        for i in 0..<local { buffers.localLabels[i] = Float(batch.labels[i]) }
        communicator.allgather(buffers.localLabels.pointer, count: local, into: buffers.labels.pointer)
        let labels = (0..<global).map { Int32(buffers.labels[$0]) }
        let result = try embeddingLoss(embeddings: buffers.embeddings.pointer, labels: labels, count: global,
                                       embeddingGradient: buffers.embeddingGradient.pointer)
        try requireFiniteLoss(result.loss)
        network.outputGradient.pointer.update(from: buffers.embeddingGradient.pointer + communicator.rank * local * d, count: local * d)
        network.backward(input: input, seed: configuration.seed, step: state.step)
        gradientReducer!.reduce()
        let norm = DistributedClipping.clip(replicated: network.parameters, sharded: head?.parameters ?? [],
                                            maximumNorm: configuration.gradientClip, communicator: communicator)
        guard norm.isFinite else {
            throw TrainingError("a gradient became \(norm) at step \(state.step); the last good checkpoint is \(lastCheckpointPath). Lower the learning rate (--lr) or enable --gradient-clip.")
        }
        return result
    }

    /// BN running statistics of the ranks averaged (used when recalibration is off, so that the
    /// checkpoint's statistics describe all ranks' batches, not rank 0's alone). Collective.
    func averageBatchNormalizationStatistics() {
        let scale = 1 / Float(communicator.size)
        for buffer in network.buffers {
            communicator.allreduceSum(buffer.value.pointer, count: buffer.count)
            for i in 0..<buffer.count { buffer.value[i] *= scale }
        }
    }
}
