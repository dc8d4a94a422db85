import CasebookFormat
import Testing

typealias Fields = [(key: String, value: String)]

private func same(_ a: Fields, _ b: Fields) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
}

private func decodeError(_ bytes: [UInt8]) -> FieldListEncodingError? {
    do throws(FieldListEncodingError) {
        _ = try FieldListEncoding.decode(bytes)
        return nil
    } catch {
        return error
    }
}

private func searchError(_ bytes: [UInt8], needle: String = "x") -> FieldListEncodingError? {
    do throws(FieldListEncodingError) {
        _ = try FieldListEncoding.containsCaseInsensitive(needle, in: bytes)
        return nil
    } catch {
        return error
    }
}

private func contains(_ needle: String, _ fields: Fields) throws -> Bool {
    let encoded = FieldListEncoding.encode(fields)
    let viaRaw = try encoded.withUnsafeBytes { raw in
        try FieldListEncoding.containsCaseInsensitive(needle, in: raw)
    }
    let viaCollection = try FieldListEncoding.containsCaseInsensitive(needle, in: encoded[...])
    #expect(viaRaw == viaCollection)
    return viaRaw
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}

@Suite("FieldListEncoding")
struct FieldListEncodingTests {
    static let sample: Fields = [
        (key: "kind", value: "hii-session"),
        (key: "", value: ""),
        (key: "s.focus", value: "Ärger über die Arbeit — “quotes” 😀\nsecond line"),
        (key: "long", value: String(repeating: "x", count: 300)),
        (key: "kind", value: "repeated keys are allowed"),
        (key: "huge", value: String(repeating: "y", count: 20_000)),
    ]

    @Test func encodesTheDocumentedLayout() {
        #expect(FieldListEncoding.encode([]) == [0x01])
        #expect(FieldListEncoding.encode([(key: "a", value: "bc")]) == [0x01, 0x01, 0x61, 0x02, 0x62, 0x63])
        let long = FieldListEncoding.encode([(key: "", value: String(repeating: "z", count: 300))])
        #expect(Array(long.prefix(4)) == [0x01, 0x00, 0xAC, 0x02])
        #expect(long.count == 4 + 300)
    }

    @Test func roundTrips() throws {
        let encoded = FieldListEncoding.encode(Self.sample)
        #expect(same(try FieldListEncoding.decode(encoded), Self.sample))
        #expect(same(try FieldListEncoding.decode(encoded[...]), Self.sample))
        #expect(same(try FieldListEncoding.decode(AnySequenceCollection(encoded)), Self.sample))
        let viaRaw = try encoded.withUnsafeBytes { raw in try FieldListEncoding.decode(raw) }
        #expect(same(viaRaw, Self.sample))
        #expect(try FieldListEncoding.decode([0x01]).isEmpty)
    }

    @Test func rejectsBadVersions() {
        #expect(decodeError([])?.message.contains("empty input") == true)
        for version: UInt8 in [0, 2, 0xFF] {
            let error = decodeError([version])
            #expect(error == FieldListEncodingError(offset: 0, message: "unsupported version \(version) (expected 1)"))
            #expect(searchError([version]) == error)
        }
    }

    @Test func rejectsEveryTruncation() throws {
        let fields = Self.sample
        let encoded = FieldListEncoding.encode(fields)
        // Offsets at which a prefix is itself a complete, shorter field list.
        var boundaries: [Int: Int] = [1: 0]
        for count in 1...fields.count {
            boundaries[FieldListEncoding.encode(Array(fields.prefix(count))).count] = count
        }
        for length in 1..<encoded.count {
            let prefix = Array(encoded.prefix(length))
            if let count = boundaries[length] {
                #expect(same(try FieldListEncoding.decode(prefix), Array(fields.prefix(count))))
                #expect(searchError(prefix) == nil)
            } else {
                let error = decodeError(prefix)
                #expect(error != nil, "prefix of \(length) bytes accepted")
                #expect(searchError(prefix) == error, "prefix of \(length) bytes")
            }
        }
    }

    @Test func rejectsTrailingBytes() {
        let encoded = FieldListEncoding.encode([(key: "a", value: "b")])
        for extra: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
            #expect(decodeError(encoded + [extra]) != nil)
            #expect(searchError(encoded + [extra]) != nil)
        }
        #expect(decodeError(encoded + [0x00])?.message == "truncated value length")
        #expect(decodeError(encoded + [0x05])?.message == "key length 5 runs past the end of the input")
    }

    @Test func rejectsNonMinimalAndOversizedVarints() {
        let cases: [([UInt8], FieldListEncodingError)] = [
            ([0x01, 0x80, 0x00, 0x00], FieldListEncodingError(offset: 1, message: "non-minimal key length")),
            ([0x01, 0x81, 0x00, 0x61, 0x00], FieldListEncodingError(offset: 1, message: "non-minimal key length")),
            ([0x01, 0x00, 0x80, 0x80, 0x00], FieldListEncodingError(offset: 2, message: "non-minimal value length")),
            ([0x01] + [UInt8](repeating: 0xFF, count: 9) + [0x01],
             FieldListEncodingError(offset: 1, message: "key length is too large")),
            ([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
             FieldListEncodingError(offset: 1, message: "key length 9223372036854775807 runs past the end of the input")),
            ([0x01, 0x02, 0x61], FieldListEncodingError(offset: 1, message: "key length 2 runs past the end of the input")),
            ([0x01, 0x00, 0x01], FieldListEncodingError(offset: 2, message: "value length 1 runs past the end of the input")),
        ]
        for (bytes, expected) in cases {
            #expect(decodeError(bytes) == expected, "\(bytes)")
            #expect(searchError(bytes) == expected, "\(bytes)")
        }
        // A two-byte varint is accepted when it is needed.
        let value = String(repeating: "v", count: 128)
        #expect(FieldListEncoding.encode([(key: "", value: value)]).prefix(4) == [0x01, 0x00, 0x80, 0x01])
    }

    @Test func rejectsInvalidUTF8() {
        let invalid: [[UInt8]] = [
            [0xFF], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
            [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xC3],
            [0xE2, 0x82], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xC3],
        ]
        for bytes in invalid {
            let asKey: [UInt8] = [0x01, UInt8(bytes.count)] + bytes + [0x00]
            let asValue: [UInt8] = [0x01, 0x00, UInt8(bytes.count)] + bytes
            #expect(decodeError(asKey) == FieldListEncodingError(offset: 1, message: "key is not valid UTF-8"))
            #expect(searchError(asKey) == decodeError(asKey))
            #expect(decodeError(asValue) == FieldListEncodingError(offset: 2, message: "value is not valid UTF-8"))
            #expect(searchError(asValue) == decodeError(asValue))
        }
    }

    @Test func searchValidatesUTF8ExactlyLikeDecode() {
        var generator = SeededGenerator(state: 0x9E37_79B9_7F4A_7C15)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                    0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? interesting.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            let encoded: [UInt8] = [0x01, 0x00, UInt8(bytes.count)] + bytes
            let decodes = decodeError(encoded) == nil
            let searches = searchError(encoded) == nil
            #expect(decodes == searches, "\(bytes)")
            #expect(decodes == (String(validating: bytes, as: UTF8.self) != nil))
        }
    }

    @Test func searchIgnoresASCIICase() throws {
        let fields: Fields = [(key: "s.focus", value: "Housing and EMPLOYMENT"), (key: "client", value: "C-0042")]
        #expect(try contains("housing", fields))
        #expect(try contains("HOUSING", fields))
        #expect(try contains("employment", fields))
        #expect(try contains("And Emp", fields))
        #expect(try contains("c-0042", fields))
        #expect(try contains("employmenT", fields))
        #expect(try !contains("employments", fields))
        #expect(try !contains("housing  and", fields))
        #expect(try contains("@", [(key: "k", value: "a@b")]))
        #expect(try !contains("`", [(key: "k", value: "@")]))  // '@' and '`' differ only in bit 0x20
        #expect(try !contains("[", [(key: "k", value: "{")]))
    }

    @Test func searchLooksOnlyAtValuesAndNeverAcrossFields() throws {
        let fields: Fields = [(key: "s.focus", value: "abc"), (key: "s.plan", value: "def")]
        #expect(try !contains("focus", fields))
        #expect(try !contains("s.plan", fields))
        #expect(try !contains("cd", fields))
        #expect(try !contains("abcdef", fields))
        #expect(try !contains("c\u{3}", fields))
        #expect(try contains("abc", fields))
        #expect(try contains("def", fields))
        #expect(try !contains("abc", [(key: "abc", value: "")]))
    }

    @Test func emptyNeedleMatchesEverything() throws {
        #expect(try contains("", []))
        #expect(try contains("", [(key: "a", value: "")]))
        #expect(try FieldListEncoding.containsCaseInsensitive("", in: [0x01]))
    }

    @Test func searchFoldsNonASCIICase() throws {
        let fields: Fields = [(key: "s.theme", value: "Ärger über ÖFFENTLICHE Straßen")]
        #expect(try contains("ä", fields))
        #expect(try contains("Ä", fields))
        #expect(try contains("ärger", fields))
        #expect(try contains("ÜBER", fields))
        #expect(try contains("öffentliche", fields))
        #expect(try contains("straßen", fields))
        #expect(try !contains("ß ", fields))
        #expect(try contains("ä", [(key: "k", value: "Ä")]))
        #expect(try contains("Ä", [(key: "k", value: "ä")]))
        #expect(try !contains("ä", [(key: "k", value: "a")]))
        #expect(try !contains("Ä", [(key: "Ä", value: "x")]))
        // An ASCII needle matches ASCII letters inside non-ASCII text.
        #expect(try contains("STRA", fields))
        // A non-ASCII needle whose lowercase form is ASCII (KELVIN SIGN → "k") still finds ASCII values.
        #expect(try contains("\u{212A}ilo", [(key: "k", value: "5 KILO")]))
        #expect(try !contains("\u{212A}ilo", [(key: "k", value: "5 KILT")]))
        // Non-ASCII values are lowercased before the byte-wise search.
        #expect(try contains("ÆØÅ", [(key: "k", value: "x æøå y")]))
        #expect(try contains("ΣΊΣΥΦ", [(key: "k", value: "ο σίσυφος")]))
        #expect(try !contains("ä", [(key: "k", value: "plain ascii only")]))
        // Byte-wise: no Unicode normalisation (precomposed ä vs a + combining diaeresis).
        #expect(try !contains("\u{E4}", [(key: "k", value: "a\u{308}")]))
    }

    @Test func preparedNeedleMatchesTheStaticFunction() throws {
        let needle = FieldListEncoding.CaseInsensitiveNeedle("Plan")
        let yes = FieldListEncoding.encode([(key: "s.plan", value: "the PLAN")])
        let no = FieldListEncoding.encode([(key: "s.plan", value: "nothing")])
        #expect(try needle.isContained(in: yes))
        #expect(try !needle.isContained(in: no))
    }

    @Test func searchThrowsOnMalformedInputEvenAfterAMatch() {
        let encoded = FieldListEncoding.encode([(key: "k", value: "match")]) + [0x05]
        #expect(searchError(encoded, needle: "match") != nil)
        #expect(searchError(encoded, needle: "") != nil)
        #expect(searchError(encoded, needle: "ä") != nil)
    }

    @Test func errorDescriptionNamesTheOffset() {
        #expect(FieldListEncodingError(offset: 3, message: "m").description == "field list, byte 3: m")
    }
}

/// A collection without contiguous storage, to exercise the copying path.
private struct AnySequenceCollection: Collection {
    let base: [UInt8]
    init(_ base: [UInt8]) { self.base = base }
    var startIndex: Int { base.startIndex }
    var endIndex: Int { base.endIndex }
    subscript(position: Int) -> UInt8 { base[position] }
    func index(after i: Int) -> Int { i + 1 }
}

@Suite("FieldListEncoding non-ASCII search")
struct FieldListEncodingNonASCIITests {
    /// The non-ASCII path must agree with `value.lowercased()` searched byte-wise.
    @Test func agreesWithStringLowercased() throws {
        let values = [
            "Ärger ÜBER Öl", "İstanbul", "ΣΊΣΥΦΟΣ", "ǅemal ǈ", "Straße STRASSE", "ＡＢＣ ａｂｃ", "Ω Ω K K Å Å",
            "😀 emoji 😀", "mixed ascii and “quotes” — dash", "ﬁ ligature", "ᾈ greek", "Ⅻ roman",
        ]
        let needles = [
            "ä", "Ü", "i̇", "İS", "\u{307}", "\u{307}st", "σ", "ǆ", "ǆe", "ß", "ａ", "ω", "k", "å", "😀", "“QUOTES”",
            "ﬁ", "ᾀ", "ⅻ", "Ⅻ", "ÆØ", "Ü", "ÖL", "ÜBER Ö", "Ω K",
        ]
        for value in values {
            for needle in needles where !needle.utf8.allSatisfy({ $0 < 0x80 }) {
                let expected = Array(value.lowercased().utf8).contains(subsequence: Array(needle.lowercased().utf8))
                let actual = try FieldListEncoding.containsCaseInsensitive(
                    needle, in: FieldListEncoding.encode([(key: "k", value: value)]))
                #expect(actual == expected, "\(needle) in \(value)")
            }
        }
    }
}

extension FieldListEncodingNonASCIITests {
    @Test func agreesWithStringLowercasedOnRandomText() throws {
        let pool: [String] = [
            "a", "A", "i", "I", "s", "S", "k", "K", " ", "ä", "Ä", "İ", "\u{307}", "ß", "ǅ", "ǆ", "ﬁ", "Σ", "σ", "ς",
            "\u{212A}", "Å", "\u{212B}", "å", "😀", "—", "Ω", "ω", "ᾈ",
        ]
        var state: UInt64 = 0xDEAD_BEEF_CAFE_F00D
        func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
        }
        var matches = 0
        for _ in 0..<3000 {
            let value = (0..<next(12)).map { _ in pool[next(pool.count)] }.joined()
            var needle = (0..<(1 + next(3))).map { _ in pool[next(pool.count)] }.joined()
            let scalars = Array(value.unicodeScalars)
            if !scalars.isEmpty && next(2) == 0 {
                // A slice of the value itself, in a random case.
                let start = next(scalars.count)
                let slice = String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + 1 + next(4))]))
                needle = next(2) == 0 ? slice.uppercased() : slice
            }
            if needle.utf8.allSatisfy({ $0 < 0x80 }) { needle += "ä" }
            let expected = Array(value.lowercased().utf8).contains(subsequence: Array(needle.lowercased().utf8))
            let actual = try FieldListEncoding.containsCaseInsensitive(
                needle, in: FieldListEncoding.encode([(key: "k", value: value)]))
            #expect(actual == expected, "\(needle.debugDescription) in \(value.debugDescription)")
            if actual { matches += 1 }
        }
        #expect(matches > 300)
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
