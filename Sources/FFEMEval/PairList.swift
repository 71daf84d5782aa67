// FFEMEval — PairList.swift: a verification protocol as a list of image pairs split into folds.

/// One verification pair: two image paths, whether they show the same person, and its fold.
public struct VerificationPair: Sendable, Equatable {
    /// Image paths as written in (or derived from) the pairs file, relative to the image root.
    public var path1: String
    public var path2: String
    /// `true` for a genuine (same identity) pair, `false` for an impostor pair.
    public var isSame: Bool
    /// 1-based fold number, in `1...PairList.foldCount`.
    public var fold: Int
    /// 1-based line of the pairs file the pair came from (0 for pairs built in code).
    public var line: Int

    public init(path1: String, path2: String, isSame: Bool, fold: Int, line: Int = 0) {
        self.path1 = path1
        self.path2 = path2
        self.isSame = isSame
        self.fold = fold
        self.line = line
    }
}

/// The pairs of a verification protocol, in file order, with every fold `1...foldCount` non-empty.
public struct PairList: Sendable, Equatable {
    public var pairs: [VerificationPair]
    /// Number of folds; fold numbers run `1...foldCount`.
    public var foldCount: Int
    /// The file the pairs came from (for messages and reports).
    public var sourceName: String

    /// Builds a pair list and checks its folds.
    ///
    /// - Throws: `PairsFileError` when there are no pairs, fewer than 2 folds, a fold number outside
    ///   `1...foldCount`, or a fold with no pairs.
    public init(pairs: [VerificationPair], foldCount: Int, sourceName: String) throws(PairsFileError) {
        func fail(_ reason: String, line: Int? = nil) -> PairsFileError {
            PairsFileError(file: sourceName, line: line, reason: reason)
        }
        guard !pairs.isEmpty else { throw fail("the pairs file has no pairs") }
        guard foldCount >= 2 else {
            throw fail("cross-validation needs at least 2 folds, the file has \(foldCount)")
        }
        var perFold = [Int](repeating: 0, count: foldCount)
        for pair in pairs {
            guard (1...foldCount).contains(pair.fold) else {
                throw fail("fold \(pair.fold) is not in 1...\(foldCount)", line: pair.line)
            }
            perFold[pair.fold - 1] += 1
        }
        if let empty = perFold.firstIndex(of: 0) {
            throw fail("fold \(empty + 1) has no pairs (folds must be numbered 1...\(foldCount) without gaps)")
        }
        self.pairs = pairs
        self.foldCount = foldCount
        self.sourceName = sourceName
    }

    public var genuineCount: Int { pairs.count(where: { $0.isSame }) }
    public var impostorCount: Int { pairs.count(where: { !$0.isSame }) }

    /// Every distinct image path, in order of first appearance.
    public var distinctPaths: [String] {
        var seen = Set<String>()
        var paths: [String] = []
        for pair in pairs {
            for path in [pair.path1, pair.path2] where seen.insert(path).inserted { paths.append(path) }
        }
        return paths
    }
}
