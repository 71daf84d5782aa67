// ffem-edge — JSONLine.swift: one record of a JSON-lines file (box streams, check sets, galleries).
import FFEMCore

extension LineReader {
    /// The JSON value of one line, or nil for a blank line (spaces, tabs, CR). A line that is not
    /// JSON is bad input named `place:column: reason` (place is "FILE:LINE").
    static func jsonValue(of line: UnsafeBufferPointer<UInt8>, at place: String) throws(EdgeError) -> JSONValue? {
        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return nil }
        do throws(JSONError) {
            return try parseJSON(Array(line))
        } catch {
            throw .data("\(place):\(error.position.column): \(error.reason)")
        }
    }

    /// Calls `body` with the value and place ("FILE:LINE") of every non-blank line to the end.
    func forEachJSONLine(_ body: (JSONValue, String) throws(EdgeError) -> Void) throws(EdgeError) {
        while try nextLine({ (line: UnsafeBufferPointer<UInt8>) throws(EdgeError) in
            let place = "\(name):\(lineNumber)"
            guard let value = try LineReader.jsonValue(of: line, at: place) else { return }
            try body(value, place)
        }) {}
    }
}
