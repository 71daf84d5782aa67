// FFEMEval — ORLPairsFormat.swift: the `path1 path2 same fold` pairs format (../shared/data/orl/).

/// The ORL pairs format: one pair per line, `path1 path2 same fold`, fields separated by spaces or
/// tabs; `same` is 1 (genuine) or 0 (impostor); `fold` is a positive integer, and the folds are
/// `1...k` for the largest fold `k` found, none empty. Blank lines and `#` comments are skipped.
///
/// Example: `s31/8.pgm s31/9.pgm 1 1` then `s31/7.pgm s32/9.pgm 0 1`.
public enum ORLPairsFormat {
    /// Parses the lines of an ORL pairs file.
    ///
    /// - Throws: `PairsFileError` at the first bad line: a field count other than 4, `same` not 0 or 1,
    ///   a fold that is not a positive integer, a pair of an image with itself; or for the whole file:
    ///   no pairs, fewer than 2 folds, a fold with no pairs.
    public static func parse(_ lines: [PairsFileLine], sourceName: String) throws(PairsFileError) -> PairList {
        var pairs: [VerificationPair] = []
        for line in lines where !line.fields.isEmpty {
            func fail(_ reason: String) -> PairsFileError {
                PairsFileError(file: sourceName, line: line.number, reason: reason)
            }
            let fields = line.fields
            guard fields.count == 4 else {
                throw fail("expected 4 fields \"path1 path2 same fold\", found \(fields.count)")
            }
            let isSame: Bool
            switch fields[2] {
            case "1": isSame = true
            case "0": isSame = false
            default: throw fail("\"same\" must be 0 or 1, found \"\(fields[2])\"")
            }
            guard let fold = Int(fields[3]), fold >= 1 else {
                throw fail("\"fold\" must be a positive integer, found \"\(fields[3])\"")
            }
            guard fields[0] != fields[1] else {
                throw fail("both paths are \"\(fields[0])\": a pair must compare two different images")
            }
            pairs.append(VerificationPair(path1: fields[0], path2: fields[1], isSame: isSame, fold: fold, line: line.number))
        }
        let foldCount = pairs.map(\.fold).max() ?? 0
        return try PairList(pairs: pairs, foldCount: foldCount, sourceName: sourceName)
    }
}
