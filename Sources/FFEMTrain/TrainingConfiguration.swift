// FFEMTrain — TrainingConfiguration.swift: every setting of a training run, under the original
// project's names (snake_case in `--config FILE.json`, kebab-case on the command line).
import Foundation

public struct TrainingConfiguration: Codable, Equatable, Sendable {
    // Data (the original's names).
    public var imgRootPath = ""
    public var trainFile = ""
    /// A packed dataset file (`ffem-data pack`) used in place of train_file/img_root_path.
    public var packFile: String? = nil
    public var numIdentity = 0
    public var batchSize = 64
    /// Phase 1 (classifier pretraining) when true; phase 2 (metric learning) when false.
    public var trainClassifier = true
    /// Phase 2's loss: triplet (batch-hard), triplet-all, triplet-semihard, triplet-adversarial,
    /// arcface or cosface (margin-head fine-tuning); nil in phase 1.
    public var metricLoss: String? = nil
    /// Phase 2 batches: P identities × K images (triplet losses).
    public var identitiesPerBatch = 8
    public var imagesPerIdentity = 4
    /// Squared Euclidean distance in the triplet loss (default: plain Euclidean).
    public var squaredDistance = false
    /// Phase hand-over (the original's `saved_backbone` / `checkpoint`): start from a checkpoint's
    /// network only (dropping its classifier head) or from the whole model (head included).
    public var savedBackbone: String? = nil
    public var checkpoint: String? = nil
    // Model.
    public var architecture = "mobilefacenet"
    public var embeddingDim: Int? = nil
    public var inputSize = 112
    public var cropScale = 1.0
    public var cropSquare = false
    // Phase-1 head: softmax, l2softmax, normface, arcface, cosface. Defaults follow the original:
    // L2-softmax s = 30, ArcFace s = 60, m = 0.5.
    public var head = "l2softmax"
    public var scale: Float? = nil
    public var margin: Float? = nil
    public var centerLossWeight: Float = 0
    public var centerLossAlpha: Float = 0.5
    // Optimisation.
    public var optimizer = "sgd"
    public var learningRate: Float = 0.1
    public var momentum: Float = 0.9
    public var nesterov = false
    public var weightDecay: Float = 5e-4
    /// constant, exponential, step, cosine.
    public var lrSchedule = "cosine"
    public var warmupEpochs = 1
    public var decayRate: Float = 0.1
    public var decayEpochs = 10
    public var minimumLearningRate: Float = 0
    public var gradientClip: Float = 0
    public var plateauPatience = 0
    public var plateauFactor: Float = 0.1
    public var earlyStoppingPatience = 0
    public var epochs = 20
    public var augment = true
    // Validation on held-out pairs.
    public var validPairs: String? = nil
    public var validFile: String? = nil
    public var validImgRootPath: String? = nil
    public var validEvery = 1
    /// Batches of un-augmented training crops over which BN statistics are recalibrated before each
    /// validation and checkpoint (0: off, keep the running averages).
    public var recalibrationBatches = 16
    // Run.
    public var outputDir = "out/train"
    public var threads = 2
    public var seed: UInt64 = 1
    public var resume = false
    /// Data-parallel runs: a rank with no finished step for this many seconds ends the job
    /// (a peer hangs alive; `Watchdog`). 0: off.
    public var collectiveTimeout: Double = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case imgRootPath = "img_root_path", trainFile = "train_file", numIdentity = "num_identity", batchSize = "batch_size"
        case trainClassifier = "train_classifier", metricLoss = "metric_loss", architecture = "arch", embeddingDim = "embedding_dim"
        case inputSize = "input_size", cropScale = "crop_scale", cropSquare = "crop_square", head, scale, margin
        case centerLossWeight = "center_loss_weight", centerLossAlpha = "center_loss_alpha", optimizer
        case learningRate = "lr", momentum, nesterov, weightDecay = "weight_decay", lrSchedule = "lr_schedule"
        case warmupEpochs = "warmup_epochs", decayRate = "lr_decay_rate", decayEpochs = "lr_decay_epochs"
        case minimumLearningRate = "min_lr", gradientClip = "gradient_clip", plateauPatience = "plateau_patience"
        case plateauFactor = "plateau_factor", earlyStoppingPatience = "early_stopping_patience", epochs, augment
        case validPairs = "valid_pairs", validFile = "valid_file", validImgRootPath = "valid_img_root_path", validEvery = "valid_every"
        case outputDir = "output_dir", threads, seed, resume
        case identitiesPerBatch = "identities_per_batch", imagesPerIdentity = "images_per_identity", squaredDistance = "squared_distance"
        case savedBackbone = "saved_backbone", checkpoint, recalibrationBatches = "bn_recalibration_batches"
        case collectiveTimeout = "collective_timeout", packFile = "pack_file"
    }

    /// Decodes keys that are present and keeps defaults for the rest (so a config may hold a few keys).
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ current: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? current }
        imgRootPath = try value(.imgRootPath, imgRootPath); trainFile = try value(.trainFile, trainFile)
        numIdentity = try value(.numIdentity, numIdentity); batchSize = try value(.batchSize, batchSize)
        trainClassifier = try value(.trainClassifier, trainClassifier); metricLoss = try c.decodeIfPresent(String.self, forKey: .metricLoss)
        architecture = try value(.architecture, architecture); embeddingDim = try c.decodeIfPresent(Int.self, forKey: .embeddingDim)
        inputSize = try value(.inputSize, inputSize); cropScale = try value(.cropScale, cropScale); cropSquare = try value(.cropSquare, cropSquare)
        head = try value(.head, head); scale = try c.decodeIfPresent(Float.self, forKey: .scale); margin = try c.decodeIfPresent(Float.self, forKey: .margin)
        centerLossWeight = try value(.centerLossWeight, centerLossWeight); centerLossAlpha = try value(.centerLossAlpha, centerLossAlpha)
        optimizer = try value(.optimizer, optimizer); learningRate = try value(.learningRate, learningRate)
        momentum = try value(.momentum, momentum); nesterov = try value(.nesterov, nesterov); weightDecay = try value(.weightDecay, weightDecay)
        lrSchedule = try value(.lrSchedule, lrSchedule); warmupEpochs = try value(.warmupEpochs, warmupEpochs)
        decayRate = try value(.decayRate, decayRate); decayEpochs = try value(.decayEpochs, decayEpochs)
        minimumLearningRate = try value(.minimumLearningRate, minimumLearningRate); gradientClip = try value(.gradientClip, gradientClip)
        plateauPatience = try value(.plateauPatience, plateauPatience); plateauFactor = try value(.plateauFactor, plateauFactor)
        earlyStoppingPatience = try value(.earlyStoppingPatience, earlyStoppingPatience); epochs = try value(.epochs, epochs)
        augment = try value(.augment, augment); validPairs = try c.decodeIfPresent(String.self, forKey: .validPairs)
        validFile = try c.decodeIfPresent(String.self, forKey: .validFile); validImgRootPath = try c.decodeIfPresent(String.self, forKey: .validImgRootPath)
        validEvery = try value(.validEvery, validEvery); outputDir = try value(.outputDir, outputDir)
        threads = try value(.threads, threads); seed = try value(.seed, seed); resume = try value(.resume, resume)
        identitiesPerBatch = try value(.identitiesPerBatch, identitiesPerBatch); imagesPerIdentity = try value(.imagesPerIdentity, imagesPerIdentity)
        squaredDistance = try value(.squaredDistance, squaredDistance)
        savedBackbone = try c.decodeIfPresent(String.self, forKey: .savedBackbone); checkpoint = try c.decodeIfPresent(String.self, forKey: .checkpoint)
        recalibrationBatches = try value(.recalibrationBatches, recalibrationBatches)
        collectiveTimeout = try value(.collectiveTimeout, collectiveTimeout)
        packFile = try c.decodeIfPresent(String.self, forKey: .packFile)
    }

    /// 1 for classifier pretraining, 2 for metric learning.
    public var phase: Int { trainClassifier ? 1 : 2 }

    /// Phase 2's triplet loss, or nil when phase 2 fine-tunes a margin head (arcface, cosface) or in phase 1.
    public func tripletLoss() throws -> TripletLoss? {
        guard phase == 2 else { return nil }
        let name = (metricLoss ?? "triplet").lowercased().replacingOccurrences(of: "_", with: "-")
        let mining: TripletMining
        switch name {
        case "triplet", "triplet-hard", "batch-hard", "triplet-batch-hard": mining = .batchHard
        case "triplet-all", "batch-all", "triplet-batch-all": mining = .batchAll
        case "triplet-semihard", "semi-hard", "semihard", "triplet-semi-hard": mining = .semiHard
        case "triplet-adversarial", "adversarial", "adversarial-triplet": mining = .adversarial
        case "arcface", "cosface": return nil
        default:
            throw ConfigurationError("metric_loss '\(metricLoss ?? "")' is not one of triplet, triplet-all, triplet-semihard, triplet-adversarial, arcface, cosface")
        }
        return TripletLoss(mining: mining, margin: margin ?? 0.2, distance: squaredDistance ? .squaredEuclidean : .euclidean)
    }

    /// Settings that a data-parallel job of `ranks` processes cannot run, each with its remedy.
    /// The global batch `batch_size` (phase 1, margin heads) is split into `ranks` equal parts; the
    /// P×K batch of the triplet losses is checked where the sampler is made.
    public func checkDistributed(ranks: Int) throws {
        guard ranks > 1 else { return }
        if (try? tripletLoss()) == nil && batchSize % ranks != 0 {
            throw ConfigurationError("--batch-size \(batchSize) is not divisible by the \(ranks) ranks: each rank computes batch_size/N samples of every global batch; use a multiple of \(ranks)")
        }
        if centerLossWeight > 0 {
            throw ConfigurationError("--center-loss-weight is not supported with several ranks (the class centres are updated outside the gradient); train with one rank or without center loss")
        }
        if numIdentity < ranks {
            throw ConfigurationError("--num-identity \(numIdentity) is smaller than the \(ranks) ranks that each hold a shard of the classifier head")
        }
        if numIdentity >= 1 << 24 {
            throw ConfigurationError("--num-identity \(numIdentity): labels travel between ranks as float32, exact below 2^24 classes")
        }
    }

    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The head of this configuration with the original's default s and m (phase 2's arcface/cosface
    /// fine-tuning takes its head from `metric_loss`).
    public func headKind() throws -> HeadKind {
        let name = phase == 2 ? (metricLoss ?? head) : head
        switch name.lowercased() {
        case "softmax": return .softmax
        case "l2softmax", "l2-softmax": return .l2Softmax(s: scale ?? 30)
        case "normface": return .normFace(s: scale ?? 30)
        case "arcface": return .arcFace(s: scale ?? 60, m: margin ?? 0.5)
        case "cosface": return .cosFace(s: scale ?? 30, m: margin ?? 0.35)
        default: throw ConfigurationError("head '\(name)' is not one of softmax, l2softmax, normface, arcface, cosface")
        }
    }

    public func optimizerSettings() throws -> OptimizerSettings {
        var settings = OptimizerSettings()
        guard let kind = OptimizerKind(rawValue: optimizer.lowercased()) else {
            throw ConfigurationError("optimizer '\(optimizer)' is not one of sgd, adam, adamw")
        }
        settings.kind = kind
        settings.momentum = momentum
        settings.nesterov = nesterov
        settings.weightDecay = weightDecay
        return settings
    }

    public func schedule(stepsPerEpoch: Int) throws -> LearningRateSchedule {
        switch lrSchedule.lowercased() {
        case "constant": return .constant
        case "exponential": return .exponential(rate: decayRate, decaySteps: decayEpochs * stepsPerEpoch, staircase: false)
        case "step": return .step(boundaries: stride(from: decayEpochs, to: epochs, by: max(decayEpochs, 1)).map { $0 * stepsPerEpoch }, factor: decayRate)
        case "cosine": return .cosine(warmupSteps: warmupEpochs * stepsPerEpoch, totalSteps: epochs * stepsPerEpoch, minimum: minimumLearningRate)
        default: throw ConfigurationError("lr_schedule '\(lrSchedule)' is not one of constant, exponential, step, cosine")
        }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
