import Testing
@testable import FFEMCore

@Suite struct SeededRandomTests {
    @Test func sameSeedGivesSameSequence() {
        var a = SeededRandom(seed: 42)
        var b = SeededRandom(seed: 42)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test func streamsAreIndependentOfOrder() {
        var first = SeededRandom(seed: 7, stream: 3)
        let expected = (0..<5).map { _ in first.next() }
        _ = SeededRandom(seed: 7, stream: 2)
        var again = SeededRandom(seed: 7, stream: 3)
        #expect((0..<5).map { _ in again.next() } == expected)
        var other = SeededRandom(seed: 7, stream: 4)
        #expect((0..<5).map { _ in other.next() } != expected)
    }

    @Test func boundedIntegersCoverTheRangeUniformly() {
        var random = SeededRandom(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[random.nextInt(below: 7)] += 1 }
        for count in counts { #expect(abs(count - 10_000) < 400) }
    }

    @Test func unitFloatsStayInHalfOpenInterval() {
        var random = SeededRandom(seed: 3)
        for _ in 0..<10_000 {
            let x = random.nextUnitFloat()
            #expect(x >= 0 && x < 1)
        }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
