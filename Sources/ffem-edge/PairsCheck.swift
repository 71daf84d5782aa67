// ffem-edge — PairsCheck.swift: on-device verification accuracy of the int8 model on a pairs file.
import FFEMCapture
import FFEMCLI
import FFEMCore
import FFEMImage
import FFEMRuntime

/// `check --pairs FILE --images image_list.json`: every image of the pairs (boxes from the image
/// list) is embedded on the device; pair score = cosine of the two L2-normalised embeddings.
/// Accuracy is the k-fold protocol of LFW: for each fold, the threshold that maximises accuracy on
/// the other folds (midpoints between sorted scores) is applied to the fold; the figure is the mean
/// over folds. With `--float-accuracy A` (the workstation's float figure for the same pairs, e.g.
/// from the quantizer report), the check fails when the int8 accuracy is below A − `--max-drop`.
enum PairsCheck {
    struct Pair {
        var first: Int
        var second: Int
        var isSame: Bool
        var fold: Int
    }

    static func run(_ arguments: ParsedArguments, pairsPath: String) throws(EdgeError) {
        let entries = try EdgeSetup.imageEntries(arguments)
        guard !entries.isEmpty else { throw .usage("--pairs needs --images image_list.json (the images and boxes of the pairs)") }
        let root = arguments.string("img-root-path") ?? arguments.strings("images").first.map { FileIO.directory(of: $0) } ?? "."
        var index: [String: Int] = [:]
        for (k, entry) in entries.enumerated() { index[entry.path] = k }
        let reader = try LineReader(path: pairsPath)
        var pairs: [Pair] = []
        while try reader.nextLine({ (line: UnsafeBufferPointer<UInt8>) throws(EdgeError) in
            let fields = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty || fields[0].hasPrefix("#") { return }
            let place = "\(reader.name):\(reader.lineNumber)"
            guard fields.count == 4, fields[2] == "0" || fields[2] == "1", let fold = Int(String(fields[3])), fold >= 1 else {
                throw .data("\(place): expected \"path1 path2 same fold\" (same 0 or 1, fold ≥ 1)")
            }
            var ids: [Int] = []
            for field in fields[0...1] {
                guard let id = index[FileIO.join(root, String(field))] else {
                    throw .data("\(place): '\(field)' is not in the image list")
                }
                ids.append(id)
            }
            pairs.append(Pair(first: ids[0], second: ids[1], isSame: fields[2] == "1", fold: fold))
        }) {}
        guard !pairs.isEmpty else { throw .data("\(reader.name): no pairs") }
        let interpreter = try EdgeSetup.interpreter(arguments)
        var embeddings: [Int: [Float]] = [:]
        for pair in pairs {
            for id in [pair.first, pair.second] where embeddings[id] == nil {
                let entry = entries[id]
                guard let box = entry.box else { throw .data("'\(entry.path)': no box in the image list") }
                _ = try CheckCommand.embed(entry.path, box: box, with: interpreter)
                embeddings[id] = Array(interpreter.embedding)
            }
        }
        var scores: [Float] = []
        for pair in pairs {
            let a = embeddings[pair.first]!, b = embeddings[pair.second]!
            var dot: Float = 0
            for i in 0..<a.count { dot += a[i] * b[i] }
            scores.append(dot)
        }
        let accuracy = foldAccuracy(scores: scores, pairs: pairs)
        print("check: int8 verification on \(pairs.count) pairs (\(embeddings.count) images): \(folds(pairs))-fold accuracy "
            + LatencyStats.decimal(accuracy * 100, 2) + "%")
        if let stored = interpreter.metadata.thresholds.min(by: { $0.falseAcceptRate < $1.falseAcceptRate }) {
            var accepted = 0, falseAccepted = 0, genuine = 0, impostor = 0
            for (k, pair) in pairs.enumerated() {
                if pair.isSame { genuine += 1; if scores[k] >= stored.cosine { accepted += 1 } } else {
                    impostor += 1; if scores[k] >= stored.cosine { falseAccepted += 1 }
                }
            }
            print("check: at the model's threshold \(LatencyStats.decimal(Double(stored.cosine), 4)) "
                + "(stored for FAR \(LatencyStats.decimal(Double(stored.falseAcceptRate) * 100, 2))%): "
                + "TAR \(accepted)/\(genuine), FAR \(falseAccepted)/\(impostor)")
        }
        guard let floatText = arguments.string("float-accuracy") else { return }
        guard let floatAccuracy = Double(floatText), (0...1).contains(floatAccuracy) else {
            throw .usage("--float-accuracy: '\(floatText)' is not a fraction in 0...1")
        }
        let maxDrop = try EdgeSetup.number(arguments, "max-drop") ?? 0.02
        let drop = floatAccuracy - accuracy
        print("check: float accuracy \(LatencyStats.decimal(floatAccuracy * 100, 2))%, int8 − float = "
            + "\(LatencyStats.decimal(-drop * 100, 2)) points (allowed drop \(LatencyStats.decimal(maxDrop * 100, 2)))")
        guard drop <= maxDrop else { throw .failure("check: int8 accuracy is \(LatencyStats.decimal(drop * 100, 2)) points below the float figure") }
    }

    static func folds(_ pairs: [Pair]) -> Int { pairs.map { $0.fold }.max() ?? 1 }

    /// Mean over folds of the accuracy on the fold at the threshold best on the other folds (all
    /// pairs at once when there is a single fold).
    static func foldAccuracy(scores: [Float], pairs: [Pair]) -> Double {
        let k = folds(pairs)
        var total = 0.0
        for fold in 1...k {
            let training = pairs.indices.filter { k == 1 || pairs[$0].fold != fold }
            let testing = pairs.indices.filter { k == 1 || pairs[$0].fold == fold }
            let threshold = bestThreshold(scores: scores, pairs: pairs, among: training)
            let correct = testing.filter { (scores[$0] >= threshold) == pairs[$0].isSame }.count
            total += testing.isEmpty ? 0 : Double(correct) / Double(testing.count)
        }
        return total / Double(k)
    }

    /// The threshold (a midpoint between consecutive sorted scores, or below all) with the most
    /// correct decisions among `indices`; the lowest such threshold on ties.
    static func bestThreshold(scores: [Float], pairs: [Pair], among indices: [Int]) -> Float {
        let order = indices.sorted { scores[$0] < scores[$1] }
        // Threshold below everything: all accepted → correct = genuine count.
        var correct = order.filter { pairs[$0].isSame }.count
        var best = (correct: correct, threshold: (scores[order.first ?? 0]) - 1)
        for (position, i) in order.enumerated() {
            correct += pairs[i].isSame ? -1 : 1   // pair i now rejected
            let next = position + 1 < order.count ? scores[order[position + 1]] : scores[i] + 1
            if next == scores[i] { continue }
            if correct > best.correct { best = (correct, (scores[i] + next) / 2) }
        }
        return best.threshold
    }
}
