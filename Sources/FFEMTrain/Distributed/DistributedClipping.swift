// FFEMTrain — DistributedClipping.swift: the global gradient-norm clip when the head is sharded.

enum DistributedClipping {
    /// Scales all gradients so that the L2 norm of the *whole* model's gradient is at most `maximum`
    /// (0: no clipping) and returns that norm. `replicated` gradients are equal on every rank (after
    /// the all-reduce) and count once; `sharded` gradients (the head's shard) are summed over ranks.
    /// With one rank this is `Optimizer.clipGradients`.
    static func clip(replicated: [Parameter], sharded: [Parameter], maximumNorm maximum: Float, communicator: any Communicator) -> Float {
        var shardSum = [0.0]
        for p in sharded { for i in 0..<p.count { shardSum[0] += Double(p.gradient[i]) * Double(p.gradient[i]) } }
        communicator.allreduceSum(&shardSum)
        var sum = shardSum[0]
        for p in replicated { for i in 0..<p.count { sum += Double(p.gradient[i]) * Double(p.gradient[i]) } }
        let norm = Float(sum.squareRoot())
        if maximum > 0 && norm > maximum {
            let factor = maximum / norm
            for p in replicated + sharded { for i in 0..<p.count { p.gradient[i] *= factor } }
        }
        return norm
    }
}
