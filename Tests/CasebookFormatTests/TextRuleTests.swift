import Foundation
import Testing
@testable import CasebookFormat

/// The name rule and the one-line rule (docs/formats.md §2.1), fed hostile text, and
/// `DisplayText`, which must escape exactly what the rules refuse.
@Suite struct TextRuleTests {
    @Test func namesPeopleHaveAreAccepted() {
        for name in ["Dr Amira Example", "Séamus Ó Briain-Müller 李", "Zoë O'Neill", "د. أميرة مثال", "김민준", "Ngô Bảo Châu",
                     "Dr Sam Examрle", String(repeating: "é", count: 100), "A", "Dr\u{00A0}Sam"] {
            #expect(TextRule.nameProblem(name) == nil, "\(name) was refused: \(TextRule.nameProblem(name) ?? "")")
            #expect(DisplayText.escaped(name, limit: 100) == name)
        }
    }

    @Test func hostileNamesAreRefusedNamingTheCodePoint() {
        let cases: [(String, String)] = [
            ("", "is empty"),
            ("   ", "has leading or trailing white space"),
            ("\u{3000}", "has leading or trailing white space"),
            (" Amira", "has leading or trailing white space"),
            ("Amira ", "has leading or trailing white space"),
            (String(repeating: "a", count: 101), "is 101 characters long; at most 100 are allowed"),
            ("e" + String(repeating: "\u{301}", count: 600), "is 1201 bytes long in UTF-8; at most 1000 are allowed"),
            ("Dr Sam Example\nfrom:      Dr Amira Example  signature verified", "contains a line break (U+000A)"),
            ("Sam\r\nExample", "contains a line break (U+000D)"),
            ("Sam\u{85}Example", "contains a line break (U+0085)"),
            ("Sam\u{2028}Example", "contains a line break (U+2028)"),
            ("Sam\u{2029}Example", "contains a line break (U+2029)"),
            ("Sam\u{1B}[2JExample", "contains the control character U+001B"),
            ("Sam\tExample", "contains the control character U+0009"),
            ("Sam\u{7F}", "contains the control character U+007F"),
            ("Sam\u{9B}2J", "contains the control character U+009B"),
            ("Sam\u{0}", "contains the control character U+0000"),
            ("Amira\u{202E}elpmaxE", "contains the bidirectional formatting character U+202E"),
            ("Amira\u{2066}x", "contains the bidirectional formatting character U+2066"),
            ("Amira\u{61C}", "contains the bidirectional formatting character U+061C"),
            ("Dr Sam Ex\u{AD}ample", "contains the invisible formatting character U+00AD"),
            ("Dr Sam\u{200B}Example", "contains the invisible formatting character U+200B"),
            ("Dr Sam\u{200D}Example", "contains the invisible formatting character U+200D"),
            ("Dr Sam\u{200C}Example", "contains the invisible formatting character U+200C"),
            ("\u{FEFF}Dr Sam Example", "contains the invisible formatting character U+FEFF"),
            ("Dr Sam Example\u{E0041}", "contains the invisible formatting character U+E0041"),
            ("\u{3164}", "contains the invisible (default-ignorable) character U+3164"),
            ("Sam\u{115F}", "contains the invisible (default-ignorable) character U+115F"),
            ("Sam\u{FFA0}", "contains the invisible (default-ignorable) character U+FFA0"),
            ("Sam\u{FE0F}", "contains the invisible (default-ignorable) character U+FE0F"),
            ("Sam\u{E0100}", "contains the invisible (default-ignorable) character U+E0100"),
            ("Sa\u{34F}m", "contains the invisible (default-ignorable) character U+034F"),
            ("Sam\u{E000}", "contains the private-use character U+E000"),
            ("Sam\u{10FFFD}", "contains the private-use character U+10FFFD"),
            ("Sam\u{FFFF}", "contains the unassigned code point U+FFFF"),
            ("Sam\u{378}", "contains the unassigned code point U+0378"),
        ]
        for (name, expected) in cases {
            #expect(TextRule.nameProblem(name) == expected, "\(DisplayText.escaped(name))")
            // The one-line rule refuses the same characters (its length limit aside).
            if !expected.contains("long") {
                #expect(TextRule.lineProblem(name, limit: 200) == expected, "\(DisplayText.escaped(name))")
            }
        }
    }

    @Test func oneLineTextIsBoundedInCharactersAndBytes() {
        #expect(TextRule.lineProblem(String(repeating: "a", count: 200), limit: 200) == nil)
        #expect(TextRule.lineProblem(String(repeating: "a", count: 201), limit: 200) == "is 201 characters long; at most 200 are allowed")
        #expect(TextRule.lineProblem("", limit: 200) == "is empty")
        // Sixty combining marks on each of 20 letters: 20 characters, but over 2000 bytes.
        let stacked = String(repeating: "e" + String(repeating: "\u{301}", count: 60), count: 20)
        #expect(TextRule.lineProblem(stacked, limit: 200) == "is \(stacked.utf8.count) bytes long in UTF-8; at most 2000 are allowed")
        #expect(TextRule.lineProblem("MAPPA level 2 meeting, 3 December", limit: 200) == nil)
        #expect(TextRule.lineProblem("clinical supervision \u{1B}[2J", limit: 200) == "contains the control character U+001B")
    }

    /// Across the code space: a name refuses a code point exactly when `DisplayText` would
    /// escape it, so nothing a rule lets through is escaped and nothing escaped gets through.
    @Test func theRulesRefuseExactlyWhatDisplayTextEscapes() {
        var ranges: [ClosedRange<UInt32>] = [0...0x2_FFFF, 0xE_0000...0xE_01FF, 0xF_0000...0xF_0010, 0x10_FFF0...0x10_FFFF]
        ranges.append(0x3_0000...0x3_1000)
        var refused = 0
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                var name = "a"
                name.unicodeScalars.append(scalar)
                name += "b"
                let problem = TextRule.nameProblem(name)
                let escaped = DisplayText.escaped(name, limit: 100) != name
                // Combining marks and white space between letters are fine; only the forbidden set is refused.
                #expect((problem != nil) == escaped, "U+\(String(value, radix: 16)): \(problem ?? "accepted"), escaped \(escaped)")
                #expect((problem != nil) == TextRule.isForbidden(scalar))
                if problem != nil { refused += 1 }
            }
        }
        // C0, DEL, C1, the format characters, the unassigned and private-use code points of those planes.
        #expect(refused > 10_000)
    }

    /// Random strings over a hostile alphabet: whatever the name rule accepts has no
    /// forbidden code point, no surrounding white space, 1–100 characters, and is shown as is.
    @Test func randomHostileTextNeverSlipsThrough() {
        let alphabet: [Unicode.Scalar] = ["a", "Z", " ", "\n", "\r", "\t", "\u{1B}", "[", "2", "J", "\u{7F}", "\u{85}", "\u{9B}", "\u{AD}",
                                          "\u{200B}", "\u{200D}", "\u{202E}", "\u{2066}", "\u{2028}", "\u{2029}", "\u{3164}", "\u{115F}",
                                          "\u{FFA0}", "\u{FE0F}", "\u{FEFF}", "\u{E0041}", "\u{E000}", "\u{301}", "р", "é", "\u{3000}", "李"]
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) { text.unicodeScalars.append(alphabet.randomElement(using: &generator)!) }
            guard TextRule.nameProblem(text) == nil else { continue }
            accepted += 1
            #expect(!text.unicodeScalars.contains(where: TextRule.isForbidden), "\(DisplayText.escaped(text))")
            #expect(!text.unicodeScalars.first!.properties.isWhitespace && !text.unicodeScalars.last!.properties.isWhitespace)
            #expect((1...100).contains(text.count))
            #expect(DisplayText.escaped(text, limit: 100) == text)
        }
        #expect(accepted > 100)
    }

    @Test func displayTextShowsHostileTextAsOneInertLine() {
        #expect(DisplayText.escaped("Sam\nfrom: Amira  signature verified", limit: 100) == "Sam\\u{000A}from: Amira  signature verified")
        #expect(DisplayText.escaped("\u{1B}[2J", limit: 100) == "\\u{001B}[2J")
        #expect(DisplayText.escaped("Amira\u{202E}elpmaxE", limit: 100) == "Amira\\u{202E}elpmaxE")
        #expect(DisplayText.escaped("\u{3164}", limit: 100) == "\\u{3164}")
        #expect(DisplayText.escaped("Ex\u{AD}ample", limit: 100) == "Ex\\u{00AD}ample")
        #expect(DisplayText.escaped(String(repeating: "a", count: 50), limit: 40) == String(repeating: "a", count: 40) + "…")
    }
}
