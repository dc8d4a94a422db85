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

/// The vectorised search for authenticated plaintext must give the same answer as the
/// field-by-field search, wherever a match falls relative to its 16-byte blocks, field
/// boundaries and skipped keys.
@Suite struct AuthenticatedSearchTests {
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
        }
    }

    private func both(_ needle: String, _ encoded: [UInt8], skipping prefix: String) throws -> (Bool, Bool) {
        let prepared = FieldListEncoding.CaseInsensitiveNeedle(needle)
        return try encoded.withUnsafeBytes { raw in
            (try prepared.isContained(in: raw, skippingKeysWithPrefix: Array(prefix.utf8), trustingUTF8: true),
             try prepared.isContained(authenticated: raw, skippingKeysWithPrefix: Array(prefix.utf8)))
        }
    }

    @Test func agreesWithTheFieldByFieldSearch() throws {
        var random = Generator(state: 0x5EED_CA5E_B00C_0001)
        let alphabet = Array("abcAB z-@`{[0".utf8)
        var found = 0
        for round in 0..<4000 {
            var fields: [(key: String, value: String)] = []
            for _ in 0..<(1 + random.next(6)) {
                let key = random.next(3) == 0 ? "rev.x" : (random.next(2) == 0 ? "s.ab" : "k")
                let value = String(decoding: (0..<random.next(70)).map { _ in alphabet[random.next(alphabet.count)] }, as: UTF8.self)
                fields.append((key: key, value: value))
            }
            let encoded = FieldListEncoding.encode(fields)
            // A slice of the encoding (often crossing a boundary), or of one value, in either case.
            var needle: String
            if random.next(2) == 0, encoded.count > 2 {
                let start = 1 + random.next(encoded.count - 1)
                let slice = encoded[start..<min(encoded.count, start + 1 + random.next(5))]
                needle = String(decoding: slice.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            } else {
                let value = Array(fields[random.next(fields.count)].value.utf8)
                let start = value.isEmpty ? 0 : random.next(value.count)
                needle = String(decoding: value[start..<min(value.count, start + 1 + random.next(20))], as: UTF8.self)
            }
            if random.next(2) == 0 { needle = needle.uppercased() }
            let (expected, actual) = try both(needle, encoded, skipping: round % 2 == 0 ? "rev." : "")
            #expect(actual == expected, "\(needle.debugDescription) in \(fields)")
            if actual { found += 1 }
        }
        #expect(found > 1000)
    }

    @Test func findsMatchesInEveryLaneOfABlock() throws {
        for padding in 0..<40 {
            let value = String(repeating: "x", count: padding) + "Needle" + String(repeating: "y", count: 40 - padding)
            let encoded = FieldListEncoding.encode([(key: "rev.skip", value: "needle"), (key: "s.text", value: value)])
            #expect(try both("neEDLE", encoded, skipping: "rev.") == (true, true))
            #expect(try both("needles", encoded, skipping: "rev.") == (false, false))
            let skippedOnly = FieldListEncoding.encode([(key: "rev.skip", value: value)])
            #expect(try both("needle", skippedOnly, skipping: "rev.") == (false, false))
        }
    }

    @Test func rejectsAMalformedStructureItHasToWalk() {
        // A value length running past the end, after a candidate match.
        var encoded = FieldListEncoding.encode([(key: "k", value: "find me")])
        encoded[3] = 0x7F
        let needle = FieldListEncoding.CaseInsensitiveNeedle("find")
        #expect(throws: FieldListEncodingError.self) {
            try encoded.withUnsafeBytes { try needle.isContained(authenticated: $0, skippingKeysWithPrefix: []) }
        }
        #expect(throws: FieldListEncodingError.self) {
            try [UInt8]([0x02]).withUnsafeBytes { try needle.isContained(authenticated: $0, skippingKeysWithPrefix: []) }
        }
    }
}
