// FFEMTrain — MobileFaceNet.swift: Chen, Liu, Gao & Han, "MobileFaceNets" (2018), Table 1.
//
//   112²×3   conv3×3 s2 → 64              56²×64   dw3×3 s1
//   bottlenecks (t, c, n, s): (2, 64, 5, 2) (4, 128, 1, 2) (2, 128, 6, 1) (4, 128, 1, 2) (2, 128, 2, 1)
//   7²×128   conv1×1 → 512                7²×512   linear GDC 7×7       1²×512   linear conv1×1 → 128
// BN after every convolution, PReLU after the non-linear ones. ≈ 0.99 M parameters, ≈ 221 M multiply-adds.

extension ModelBuilder {
    /// convolution (no bias) → BN → optional PReLU; returns the last node.
    @discardableResult
    mutating func convolutionBlock(_ name: String, kernel: Int, stride: Int, outputChannels: Int, activation: Operation?,
                                   padding: Padding = .same, from input: Int? = nil) -> Int {
        add(name + ".conv", .convolution(kernel: kernel, stride: stride, padding: padding, outputChannels: outputChannels, hasBias: false),
            inputs: input.map { [$0] })
        add(name + ".bn", .batchNormalization(epsilon: 1e-5, momentum: 0.99))
        if let activation { add(name + ".act", activation) }
        return last
    }

    /// depthwise convolution (no bias) → BN → optional activation.
    @discardableResult
    mutating func depthwiseBlock(_ name: String, kernel: Int, stride: Int, activation: Operation?, padding: Padding = .same) -> Int {
        add(name + ".dw", .depthwiseConvolution(kernel: kernel, stride: stride, padding: padding, hasBias: false))
        add(name + ".bn", .batchNormalization(epsilon: 1e-5, momentum: 0.99))
        if let activation { add(name + ".act", activation) }
        return last
    }

    /// MobileNetV2's inverted residual: 1×1 expand (t·Cin) → dw3×3 (stride s) → 1×1 linear projection,
    /// with a residual add when the shapes allow it (s = 1 and Cin = c).
    @discardableResult
    mutating func invertedResidual(_ name: String, inputChannels: Int, expansion: Int, outputChannels: Int, stride: Int,
                                   activation: Operation) -> Int {
        let input = last
        if expansion != 1 {
            convolutionBlock(name + ".expand", kernel: 1, stride: 1, outputChannels: inputChannels * expansion, activation: activation)
        }
        depthwiseBlock(name + ".depthwise", kernel: 3, stride: stride, activation: activation)
        convolutionBlock(name + ".project", kernel: 1, stride: 1, outputChannels: outputChannels, activation: nil)
        if stride == 1 && inputChannels == outputChannels {
            add(name + ".add", .add, inputs: [input, last])
        }
        return last
    }

    /// MobileNetV2's stage table: for each (t, c, n, s), n inverted residuals with expansion t and c
    /// output channels, the first with stride s. Returns the output channels.
    @discardableResult
    mutating func invertedResidualStages(_ settings: [(t: Int, c: Int, n: Int, s: Int)], inputChannels: Int, activation: Operation) -> Int {
        var channels = inputChannels
        for (stage, setting) in settings.enumerated() {
            for k in 0..<setting.n {
                invertedResidual("stage\(stage + 1).\(k)", inputChannels: channels, expansion: setting.t, outputChannels: setting.c,
                                 stride: k == 0 ? setting.s : 1, activation: activation)
                channels = setting.c
            }
        }
        return channels
    }
}

public enum Architectures {
    /// MobileFaceNet: 112×112×3 → `embeddingSize` (128 in the paper).
    public static func mobileFaceNet(embeddingSize: Int = 128, inputSize: Int = 112) -> ModelSpec {
        var b = ModelBuilder(name: "mobilefacenet", input: Shape(inputSize, inputSize, 3))
        b.convolutionBlock("conv1", kernel: 3, stride: 2, outputChannels: 64, activation: .prelu, from: -1)
        b.depthwiseBlock("conv2", kernel: 3, stride: 1, activation: .prelu)
        b.invertedResidualStages([(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)], inputChannels: 64,
                                 activation: .prelu)
        b.convolutionBlock("conv3", kernel: 1, stride: 1, outputChannels: 512, activation: .prelu)
        let spatial = (inputSize + 15) / 16
        b.depthwiseBlock("gdc", kernel: spatial, stride: 1, activation: nil, padding: .valid)
        b.convolutionBlock("embedding", kernel: 1, stride: 1, outputChannels: embeddingSize, activation: nil)
        return b.build()
    }

    /// IR-ResNet in the insightface style (`iresnet`): 18 or 50 layers (stages [2,2,2,2] / [3,4,14,3] of
    /// improved residual units BN → conv3×3 → BN → PReLU → conv3×3 (stride) → BN), then
    /// BN → dropout → flatten → dense → BN to `embeddingSize` (512).
    public static func irResNet(depth: Int, embeddingSize: Int = 512, inputSize: Int = 112, dropout: Float = 0) -> ModelSpec? {
        let units: [Int]
        switch depth {
        case 18: units = [2, 2, 2, 2]
        case 34: units = [3, 4, 6, 3]
        case 50: units = [3, 4, 14, 3]
        default: return nil
        }
        var b = ModelBuilder(name: "iresnet\(depth)", input: Shape(inputSize, inputSize, 3))
        b.convolutionBlock("stem", kernel: 3, stride: 1, outputChannels: 64, activation: .prelu, from: -1)
        var channels = 64
        for (stage, count) in units.enumerated() {
            let width = 64 << stage
            for k in 0..<count {
                let input = b.last
                let stride = k == 0 ? 2 : 1
                let name = "stage\(stage + 1).\(k)"
                b.add(name + ".bn1", .batchNormalization(epsilon: 1e-5, momentum: 0.99))
                b.convolutionBlock(name + ".conv1", kernel: 3, stride: 1, outputChannels: width, activation: .prelu)
                b.convolutionBlock(name + ".conv2", kernel: 3, stride: stride, outputChannels: width, activation: nil)
                let residual = b.last
                var shortcut = input
                if stride != 1 || channels != width {
                    shortcut = b.convolutionBlock(name + ".downsample", kernel: 1, stride: stride, outputChannels: width,
                                                  activation: nil, padding: .valid, from: input)
                }
                b.add(name + ".add", .add, inputs: [shortcut, residual])
                channels = width
            }
        }
        b.add("features.bn", .batchNormalization(epsilon: 1e-5, momentum: 0.99))
        if dropout > 0 { b.add("features.dropout", .dropout(rate: dropout)) }
        b.add("features.flatten", .flatten)
        b.add("features.dense", .dense(outputs: embeddingSize, hasBias: true))
        b.add("embedding.bn", .batchNormalization(epsilon: 1e-5, momentum: 0.99))
        return b.build()
    }

    /// MobileNetV2 (α = 1, Sandler et al. 2018; the original FFEM's default family) at 112×112, ReLU6,
    /// then global average pooling → dense → BN to `embeddingSize` (512 in the original).
    public static func mobileNetV2(embeddingSize: Int = 512, inputSize: Int = 112) -> ModelSpec {
        var b = ModelBuilder(name: "mobilenetv2", input: Shape(inputSize, inputSize, 3))
        b.convolutionBlock("conv1", kernel: 3, stride: 2, outputChannels: 32, activation: .relu6, from: -1)
        b.invertedResidualStages([(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)],
                                 inputChannels: 32, activation: .relu6)
        b.convolutionBlock("conv2", kernel: 1, stride: 1, outputChannels: 1280, activation: .relu6)
        b.add("pool", .globalAveragePooling)
        b.add("features.dense", .dense(outputs: embeddingSize, hasBias: false))
        b.add("embedding.bn", .batchNormalization(epsilon: 1e-5, momentum: 0.99))
        return b.build()
    }

    /// The architecture named `name` ("mobilefacenet", "iresnet18", "iresnet50", "mobilenetv2").
    public static func named(_ name: String, embeddingSize: Int? = nil, inputSize: Int = 112) -> ModelSpec? {
        switch name.lowercased() {
        case "mobilefacenet": return mobileFaceNet(embeddingSize: embeddingSize ?? 128, inputSize: inputSize)
        case "iresnet18", "ir18", "ir-resnet18": return irResNet(depth: 18, embeddingSize: embeddingSize ?? 512, inputSize: inputSize)
        case "iresnet34": return irResNet(depth: 34, embeddingSize: embeddingSize ?? 512, inputSize: inputSize)
        case "iresnet50", "ir50", "ir-resnet50": return irResNet(depth: 50, embeddingSize: embeddingSize ?? 512, inputSize: inputSize)
        case "mobilenetv2": return mobileNetV2(embeddingSize: embeddingSize ?? 512, inputSize: inputSize)
        default: return nil
        }
    }

    public static let names = ["mobilefacenet", "iresnet18", "iresnet50", "mobilenetv2"]
}
