// FFEMEval — LFWPairsFormat.swift: the `pairs.txt` format of Labeled Faces in the Wild.

/// LFW's `pairs.txt` (Huang et al., *Labeled Faces in the Wild*, UMass TR 07-49, 2007):
///
/// - a header line `S n` (S sets of n matched + n mismatched pairs; LFW's View 2 is `10 300`) or `n`
///   (one set, as in `pairsDevTrain.txt`);
/// - then, for each set in turn, n matched lines `name i j` followed by n mismatched lines
///   `name1 i name2 j`;
/// - image `i` of `name` is the path `name/name_%04d.jpg` (`Abel_Pacheco 1 4` →
///   `Abel_Pacheco/Abel_Pacheco_0001.jpg` and `Abel_Pacheco/Abel_Pacheco_0004.jpg`).
///
/// Folds: with S ≥ 2 sets, set s is fold s. With one set, its matched and its mismatched halves are each
/// cut into 10 consecutive blocks, block b of both going to fold b + 1, so every fold keeps the
/// file's genuine/impostor balance (line k of n, 0-based, goes to fold ⌊10k/n⌋ + 1; needs n ≥ 10).
public enum LFWPairsFormat {
    /// Folds made from a single-set file.
    public static let singleSetFoldCount = 10

    /// The image path LFW's layout gives image `number` of `name`: `name/name_%04d.jpg`.
    public static func imagePath(name: String, number: Int) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return "\(name)/\(name)_\(padded).jpg"
    }

    /// Parses the lines of an LFW `pairs.txt`.
    ///
    /// - Throws: `PairsFileError` naming the line and the reason: a bad header, a matched line where a
    ///   mismatched one is due (or the reverse), an image number that is not a positive integer, a
    ///   matched pair of an image with itself, fewer or more pairs than the header announces.
    public static func parse(_ lines: [PairsFileLine], sourceName: String) throws(PairsFileError) -> PairList {
        let content = lines.filter { !$0.fields.isEmpty }
        guard let header = content.first else {
            throw PairsFileError(file: sourceName, reason: "the pairs file is empty (expected a header \"sets n\" or \"n\")")
        }
        let numbers = header.fields.map { Int($0) }
        guard (1...2).contains(numbers.count), numbers.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw PairsFileError(file: sourceName, line: header.number,
                                 reason: "expected a header \"sets n\" or \"n\" of positive integers, found \"\(header.fields.joined(separator: " "))\"")
        }
        let values = numbers.compactMap { $0 }
        let setCount = values.count == 2 ? values[0] : 1
        let perHalf = values[values.count - 1]
        if setCount == 1 && perHalf < singleSetFoldCount {
            throw PairsFileError(file: sourceName, line: header.number,
                                 reason: "a single set of \(perHalf) + \(perHalf) pairs cannot be cut into \(singleSetFoldCount) folds (needs n ≥ \(singleSetFoldCount))")
        }
        let expected = setCount * 2 * perHalf
        let body = content.dropFirst()
        guard body.count >= expected else {
            throw PairsFileError(file: sourceName, line: body.last?.number ?? header.number,
                                 reason: "the header announces \(setCount) × (\(perHalf) + \(perHalf)) = \(expected) pairs, the file ends after \(body.count)")
        }
        if body.count > expected {
            let extra = body[body.startIndex + expected]
            throw PairsFileError(file: sourceName, line: extra.number,
                                 reason: "more pairs than the header announces (\(setCount) × (\(perHalf) + \(perHalf)) = \(expected))")
        }
        var pairs: [VerificationPair] = []
        pairs.reserveCapacity(expected)
        for (index, line) in body.enumerated() {
            let set = index / (2 * perHalf)
            let withinSet = index % (2 * perHalf)
            let isSame = withinSet < perHalf
            let withinHalf = isSame ? withinSet : withinSet - perHalf
            let fold = setCount >= 2 ? set + 1 : withinHalf * singleSetFoldCount / perHalf + 1
            pairs.append(try parsePair(line, isSame: isSame, fold: fold, set: set + 1, sourceName: sourceName))
        }
        let foldCount = setCount >= 2 ? setCount : singleSetFoldCount
        return try PairList(pairs: pairs, foldCount: foldCount, sourceName: sourceName)
    }

    private static func parsePair(_ line: PairsFileLine, isSame: Bool, fold: Int, set: Int,
                                  sourceName: String) throws(PairsFileError) -> VerificationPair {
        func fail(_ reason: String) -> PairsFileError {
            PairsFileError(file: sourceName, line: line.number, reason: reason)
        }
        func number(_ text: String) throws(PairsFileError) -> Int {
            guard let value = Int(text), value > 0 else {
                throw fail("an image number must be a positive integer, found \"\(text)\"")
            }
            return value
        }
        let fields = line.fields
        if isSame {
            guard fields.count == 3 else {
                throw fail("expected a matched pair \"name i j\" (set \(set)), found \(fields.count) fields")
            }
            let (i, j) = (try number(fields[1]), try number(fields[2]))
            guard i != j else { throw fail("a matched pair compares image \(i) of \(fields[0]) with itself") }
            return VerificationPair(path1: imagePath(name: fields[0], number: i), path2: imagePath(name: fields[0], number: j),
                                    isSame: true, fold: fold, line: line.number)
        }
        guard fields.count == 4 else {
            throw fail("expected a mismatched pair \"name1 i name2 j\" (set \(set)), found \(fields.count) fields")
        }
        let (i, j) = (try number(fields[1]), try number(fields[3]))
        guard fields[0] != fields[2] else {
            throw fail("a mismatched pair names the same person \"\(fields[0])\" twice")
        }
        return VerificationPair(path1: imagePath(name: fields[0], number: i), path2: imagePath(name: fields[2], number: j),
                                isSame: false, fold: fold, line: line.number)
    }
}
