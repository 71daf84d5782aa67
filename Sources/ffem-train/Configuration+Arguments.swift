// ffem-train — building a TrainingConfiguration from defaults, --config and the command line.
import FFEMCLI
import FFEMTrain
import Foundation

extension TrainingConfiguration {
    /// Defaults, then the --config file's keys, then options given on the command line.
    static func from(_ arguments: ParsedArguments) throws(CommandError) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        if let path = arguments.string("config") {
            guard let data = FileManager.default.contents(atPath: path) else { throw CommandError.dataError("cannot read config file '\(path)'") }
            do {
                c = try JSONDecoder().decode(TrainingConfiguration.self, from: data)
            } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
                throw CommandError.dataError("\(path): key '\(context.codingPath.map { $0.stringValue }.joined(separator: "."))': \(context.debugDescription)")
            } catch let DecodingError.dataCorrupted(context) {
                throw CommandError.dataError("\(path): malformed JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            } catch {
                throw CommandError.dataError("\(path): \(error)")
            }
        }
        func given(_ name: String) -> Bool { arguments.isGiven(name) }
        func string(_ name: String, _ apply: (String) -> Void) { if given(name), let v = arguments.string(name) { apply(v) } }
        func int(_ name: String, _ apply: (Int) -> Void) throws(CommandError) { if given(name), let v = try arguments.int(name) { apply(v) } }
        func float(_ name: String, _ apply: (Float) -> Void) throws(CommandError) { if given(name), let v = try arguments.double(name) { apply(Float(v)) } }
        string("img-root-path") { c.imgRootPath = $0 }
        string("train-file") { c.trainFile = $0 }
        string("pack-file") { c.packFile = $0 }
        try int("num-identity") { c.numIdentity = $0 }
        try int("batch-size") { c.batchSize = $0 }
        if given("train-classifier") {
            guard let value = ArgumentParserBool.parse(arguments.string("train-classifier") ?? "") else {
                throw CommandError.usage("--train-classifier: expected true or false")
            }
            c.trainClassifier = value
        }
        string("metric-loss") { c.metricLoss = $0 }
        // Naming a metric loss selects phase 2 unless --train-classifier says otherwise.
        if given("metric-loss") && !given("train-classifier") { c.trainClassifier = false }
        try int("identities-per-batch") { c.identitiesPerBatch = $0 }
        try int("images-per-identity") { c.imagesPerIdentity = $0 }
        if arguments.flag("squared-distance") { c.squaredDistance = true }
        // A hand-over given on the command line replaces the config file's (either kind).
        string("saved-backbone") { c.savedBackbone = $0; c.checkpoint = nil }
        string("checkpoint") { c.checkpoint = $0; c.savedBackbone = nil }
        string("arch") { c.architecture = $0 }
        try int("embedding-dim") { c.embeddingDim = $0 }
        try int("input-size") { c.inputSize = $0 }
        if given("crop-scale"), let v = try arguments.double("crop-scale") { c.cropScale = v }
        if arguments.flag("crop-square") { c.cropSquare = true }
        string("head") { c.head = $0 }
        try float("scale") { c.scale = $0 }
        try float("margin") { c.margin = $0 }
        try float("center-loss-weight") { c.centerLossWeight = $0 }
        try float("center-loss-alpha") { c.centerLossAlpha = $0 }
        string("optimizer") { c.optimizer = $0 }
        try float("lr") { c.learningRate = $0 }
        try float("momentum") { c.momentum = $0 }
        if arguments.flag("nesterov") { c.nesterov = true }
        try float("weight-decay") { c.weightDecay = $0 }
        string("lr-schedule") { c.lrSchedule = $0 }
        try int("warmup-epochs") { c.warmupEpochs = $0 }
        try float("lr-decay-rate") { c.decayRate = $0 }
        try int("lr-decay-epochs") { c.decayEpochs = $0 }
        try float("min-lr") { c.minimumLearningRate = $0 }
        try float("gradient-clip") { c.gradientClip = $0 }
        try int("plateau-patience") { c.plateauPatience = $0 }
        try float("plateau-factor") { c.plateauFactor = $0 }
        try int("early-stopping-patience") { c.earlyStoppingPatience = $0 }
        try int("epochs") { c.epochs = $0 }
        if arguments.flag("no-augment") { c.augment = false }
        string("valid-pairs") { c.validPairs = $0 }
        string("valid-file") { c.validFile = $0 }
        string("valid-img-root-path") { c.validImgRootPath = $0 }
        try int("valid-every") { c.validEvery = $0 }
        try int("bn-recalibration-batches") { c.recalibrationBatches = $0 }
        string("output-dir") { c.outputDir = $0 }
        try int("threads") { c.threads = $0 }
        if given("seed"), let v = try arguments.int("seed") { c.seed = UInt64(max(0, v)) }
        if arguments.flag("resume") { c.resume = true }
        if given("collective-timeout"), let v = try arguments.double("collective-timeout") { c.collectiveTimeout = v }
        try c.check()
        return c
    }

    /// Usage errors for settings that cannot work, each naming its option.
    func check() throws(CommandError) {
        if trainFile.isEmpty && packFile == nil { throw CommandError.usage("missing --train-file (or train_file in --config, or --pack-file)") }
        if imgRootPath.isEmpty && packFile == nil { throw CommandError.usage("missing --img-root-path (or img_root_path in --config)") }
        if numIdentity <= 0 { throw CommandError.usage("--num-identity must be positive (got \(numIdentity))") }
        if batchSize <= 0 { throw CommandError.usage("--batch-size must be positive (got \(batchSize))") }
        if epochs <= 0 { throw CommandError.usage("--epochs must be positive (got \(epochs))") }
        if threads <= 0 || threads > 256 { throw CommandError.usage("--threads must be in 1...256 (got \(threads))") }
        if !(learningRate > 0) { throw CommandError.usage("--lr must be positive (got \(learningRate))") }
        if inputSize < 16 || inputSize > 1024 { throw CommandError.usage("--input-size must be in 16...1024 (got \(inputSize))") }
        if !(collectiveTimeout >= 0) { throw CommandError.usage("--collective-timeout must be 0 (off) or positive (got \(collectiveTimeout))") }
        if savedBackbone != nil && checkpoint != nil { throw CommandError.usage("give --saved-backbone or --checkpoint, not both") }
        if phase == 2 {
            do {
                if try tripletLoss() != nil {
                    if identitiesPerBatch < 2 || imagesPerIdentity < 2 {
                        throw CommandError.usage("--identities-per-batch and --images-per-identity must be at least 2 for triplet losses")
                    }
                } else {
                    _ = try headKind()
                }
            } catch let error as CommandError {
                throw error
            } catch {
                throw CommandError.usage("--metric-loss: \(error)")
            }
        }
    }
}

enum ArgumentParserBool {
    static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: return nil
        }
    }
}
