import Testing
@testable import FFEMCore

@Suite struct JSONTests {
    @Test func parsesNestedValuesInOrder() throws {
        let value = try parseJSON(#"{"b": [1, 2.5, -3e2, true, null], "a": {"s": "x\"y\u00e9\ud83d\ude00"}}"#)
        let members = try #require(value.objectMembers)
        #expect(members.map { $0.key } == ["b", "a"])
        let array = try #require(value["b"]?.arrayValue)
        #expect(array[0].intValue == 1)
        #expect(array[1].doubleValue == 2.5)
        #expect(array[2].doubleValue == -300)
        #expect(array[3].boolValue == true)
        #expect(value["a"]?["s"]?.stringValue == "x\"yé😀")
    }

    @Test func reportsLineAndColumnOfSyntaxErrors() {
        #expect(throws: JSONError(position: SourcePosition(line: 3, column: 8), reason: "unexpected '}', expected a value")) {
            try parseJSON("{\n  \"a\": 1,\n  \"b\": }")
        }
        #expect(throws: JSONError(position: SourcePosition(line: 2, column: 1), reason: "unexpected end of file inside an object")) {
            try parseJSON("{\"a\": 1\n")
        }
    }

    @Test func rejectsDuplicateKeysAtTheSecondOccurrence() {
        #expect(throws: JSONError(position: SourcePosition(line: 1, column: 10), reason: "duplicate key \"k\"")) {
            try parseJSON(#"{"k": 1, "k": 2}"#)
        }
        #expect((try? parseJSON(#"{"k": 1, "k": 2}"#, rejectingDuplicateKeys: false)) != nil)
    }

    @Test(arguments: ["01", "1.", "-", "1e", "[1,]", "{\"a\" 1}", "\"\\x\"", "tru", "\"a\nb\"", "[1] 2", ""])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONError.self) { try parseJSON(text) }
    }

    @Test func memberPositionsPointAtTheirKeys() throws {
        let value = try parseJSON("{\n \"first\": 1,\n   \"second\": 2\n}")
        let members = try #require(value.objectMembers)
        #expect(members[0].position == SourcePosition(line: 2, column: 2))
        #expect(members[1].position == SourcePosition(line: 3, column: 4))
    }

    @Test func quotesStringsThatParseBack() throws {
        let text = "tab\t quote\" backslash\\ newline\n bell\u{07} é"
        #expect(try parseJSON(JSONText.quoted(text)).stringValue == text)
    }
}
