import Testing
@testable import CasebookFormat

/// The ASCII search anchors on the needle's rarest letter; matches must not depend on
/// where that letter sits in the needle or the value.
@Suite struct NeedleAnchorTests {
    private func contains(_ needle: String, _ values: [String]) throws -> Bool {
        let encoded = FieldListEncoding.encode(values.enumerated().map { (key: "k\($0.offset)", value: $0.element) })
        return try FieldListEncoding.containsCaseInsensitive(needle, in: encoded)
    }

    @Test func findsMatchesWhereverTheRarestLetterIs() throws {
        #expect(try contains("quiz", ["A QUIZ"]))              // rarest letter 'z' at the end of needle and value
        #expect(try contains("zebra", ["Zebra crossing"]))     // at the start of both
        #expect(try contains("jam session", ["the JAM SESSION was long"]))
        #expect(try contains("baz", ["foo bar BAZ"]))
        #expect(try contains("e", ["E"]))                      // one-letter needle, whole value
        #expect(try contains("x-ray", ["an X-Ray today"]))
        #expect(try contains("c-0042", ["client C-0042"]))      // digits and punctuation
    }

    @Test func refusesNearMissesAndBoundaries() throws {
        #expect(try !contains("quiz", ["A QUI"]))
        #expect(try !contains("quizzes", ["quiz"]))             // needle longer than the value
        #expect(try !contains("ab", ["a", "b"]))                // never across two fields
        #expect(try !contains("kz", ["k", "z"]))
        #expect(try !contains("zebra", ["zebr a"]))
        #expect(try !contains("jazz", ["jaz", "zz"]))
    }
}
