import Testing
@testable import CasebookFormat

@Suite struct TrigramFilterTests {
    private func mayMatch(_ text: String, _ values: [String]) throws -> Bool {
        let filter = TrigramFilter.make(values: values)
        let probe = try #require(TrigramFilter.Probe(text))
        return filter.withUnsafeBytes { probe.mayMatch($0) }
    }

    /// The layout of docs/vault-format.md §9.6, computed by hand for one trigram.
    @Test func setsTheDocumentedBit() {
        // "abc" read little-endian is 0x636261; × 0x9E3779B1 mod 2³² = 0x3F0DDE11; its top 11 bits are 504.
        let trigram: UInt32 = 0x63_6261
        let product = trigram &* 0x9E37_79B1
        #expect(product == 0x3F0D_DE11)
        #expect(Int(product >> 21) == 504)
        let filter = TrigramFilter.make(values: ["ABC"])
        #expect(filter.count == 256)
        #expect(filter[504 / 8] == 1 << (504 % 8))
        #expect(filter.enumerated().filter { $0.offset != 504 / 8 }.allSatisfy { $0.element == 0 })
        // Values shorter than three bytes add nothing; trigrams never span two values.
        #expect(TrigramFilter.make(values: ["ab", "c", ""]).allSatisfy { $0 == 0 })
    }

    @Test func neverRulesOutARealMatch() throws {
        var state: UInt64 = 0x7215_0000_C0FF_EE01
        func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789-.,".utf8) + Array("äöü—".utf8)
        var ruledOut = 0
        for _ in 0..<2000 {
            let values = (0..<(1 + next(5))).map { _ in
                String(decoding: (0..<next(200)).map { _ in alphabet[next(alphabet.count)] }, as: UTF8.self)
            }
            let encoded = FieldListEncoding.encode(values.map { (key: "s.x", value: $0) })
            // Texts taken from the values (so they match), and random ones (which mostly do not).
            let source = Array(values[next(values.count)].utf8)
            var texts = [String(decoding: (0..<(3 + next(10))).map { _ in alphabet[next(52)] }, as: UTF8.self)]
            if source.count >= 3 {
                let start = next(source.count - 2)
                let slice = source[start..<min(source.count, start + 3 + next(15))]
                if let text = String(validating: slice, as: UTF8.self), text.utf8.allSatisfy({ $0 < 0x80 }) {
                    texts.append(next(2) == 0 ? text.uppercased() : text)
                }
            }
            for text in texts {
                guard let probe = TrigramFilter.Probe(text) else { continue }
                let matches = try FieldListEncoding.containsCaseInsensitive(text, in: encoded)
                let may = TrigramFilter.make(values: values).withUnsafeBytes { probe.mayMatch($0) }
                if matches { #expect(may, "\(text) in \(values)") }
                if !may { ruledOut += 1 }
            }
        }
        // And it does rule things out: most random texts.
        #expect(ruledOut > 1000)
    }

    @Test func foldsASCIICaseOnly() throws {
        #expect(try mayMatch("housing", ["Housing and EMPLOYMENT"]))
        #expect(try mayMatch("EMPLOY", ["Housing and EMPLOYMENT"]))
        #expect(try !mayMatch("zebra crossing", ["Housing and EMPLOYMENT"]))
        #expect(try !mayMatch("ing and emp", ["Housing and", " EMPLOYMENT"]))
    }

    @Test func declinesTextsItCannotJudge() {
        #expect(TrigramFilter.Probe("ab") == nil)
        #expect(TrigramFilter.Probe("") == nil)
        #expect(TrigramFilter.Probe("Ärger") == nil)
        #expect(TrigramFilter.Probe("abc") != nil)
    }
}
