import Foundation
import Testing
import CasebookCrypto
import CasebookFormat

/// Record JSON lines (`note import`) with Format only: what a migration script writes is read
/// into plain values, and anything that is not one strict JSON object is refused with the
/// line number, before any vault is involved.
@Suite struct RecordJSONWireTests {
    static let lines = [
        #"{"kind":"hii-session","client":"C-0042","start":"2026-11-03T10:00:00Z","duration":50,"modality":"in-person","attendance":"attended","labels":["identity-work"],"sharing-summary":"Attended.","sections":{"focus":"Identity","session-number":"3"}}"#,
        #"{"kind":"theological-advice","client":"C-0077","start":"2026-11-06 11:00","modality":"in-person","attendance":"attended","sections":{"tradition":"Shia (Ja'fari)"}}"#,
        "\u{FEFF} { \"kind\" : \"mentor-log\" , \"client\":\"C-1\",\"start\":\"2026-07-01T10:00Z\",\"modality\":\"phone\",\"attendance\":\"cancelled\",\"labels\":[],\"sections\":{\"topics\":\"a\\nb \\u00e4 \\ud83d\\ude00\"}}\r",
    ]

    @Test func validLinesReadIntoPlainValues() throws {
        let objects = try Self.lines.enumerated().map { try RecordJSONObject(parsing: Array($1.utf8), lineNumber: $0 + 1) }
        #expect(objects[0] == RecordJSONObject(
            kind: "hii-session", client: "C-0042", start: "2026-11-03T10:00:00Z", duration: 50, modality: "in-person",
            attendance: "attended", labels: ["identity-work"], sharingSummary: "Attended.",
            sections: ["focus": "Identity", "session-number": "3"]))
        // Values are not interpreted here: the session start stays as written, absent keys empty.
        #expect(objects[1].start == "2026-11-06 11:00")
        #expect(objects[1].duration == nil && objects[1].labels == [] && objects[1].sharingSummary == "")
        #expect(objects[2].sections == ["topics": "a\nb ä 😀"])
        // The compact writer's line reads back to the same values.
        for object in objects {
            let line = object.line(sectionOrder: ["session-number"])
            #expect(try RecordJSONObject(parsing: Array(line.utf8), lineNumber: 1) == object)
        }
        #expect(objects[0].line(sectionOrder: ["session-number", "focus"]).hasSuffix(#""sections":{"session-number":"3","focus":"Identity"}}"#))
    }

    /// The v1 vault's listing (`note list --json` of the old binary) carries the record keys;
    /// with its own keys removed, each entry is a record object Format reads.
    @Test func theV1ListingsRecordKeysRead() throws {
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(WireFixtures.bytes("amira-notes.json"))) as? [[String: Any]])
        #expect(listing.count == 3)
        for (index, entry) in listing.enumerated() {
            var record = entry.filter { RecordJSONObject.keys.contains($0.key) }
            record["sections"] = [String: String]()
            let line = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
            let object = try RecordJSONObject(parsing: [UInt8](line), lineNumber: index + 1)
            #expect(object.kind == entry["kind"] as? String)
            #expect(object.start == entry["start"] as? String)
            #expect(object.duration == entry["duration"] as? Int)
        }
    }

    static let refused: [(String, String)] = [
        ("", "expected a JSON object, found an empty line"),
        ("garbage", "expected a JSON object ('{'), found invalid JSON at column 1"),
        ("null", "expected a JSON object ('{'), found null"),
        (#"{"kind":"a","kind":"b"}"#, "duplicate key 'kind'"),
        (#"{"sections":{"a":"1","a":"2"}}"#, "duplicate section 'a'"),
        (#"{"mood":"x"}"#, "unknown key 'mood'"),
        (#"{"client":null}"#, "'client' must be a string, not null"),
        (#"{"duration":null}"#, "'duration' must be a JSON integer (minutes), not null"),
        (#"{"duration":50.5}"#, "'duration' must be a whole number of minutes (a JSON integer, without fraction or exponent)"),
        (#"{"duration":5e1}"#, "'duration' must be a whole number of minutes (a JSON integer, without fraction or exponent)"),
        (#"{"duration":050}"#, "invalid JSON at column 13: expected a number without leading zeros, found '0'"),
        (#"{"kind":"a\qb"}"#, #"invalid JSON at column 12: expected a valid escape (\" \\ \/ \b \f \n \r \t \uXXXX), found 'q'"#),
        (#"{"kind":"\ude00"}"#, "invalid JSON at column 16: expected no unpaired low surrogate, found '\"'"),
        ("{\"kind\":\"a\tb\"}", "invalid JSON at column 11: expected no raw control characters in a string (escape them), found byte 0x9"),
        (#"{"kind":"a",}"#, "invalid JSON at column 13: expected a key in double quotes, found '}'"),
        (#"{"kind":"a"} {}"#, "unexpected text after the JSON object at column 14"),
        (#"{"labels":["a",1]}"#, "'labels' must be an array of strings; found a number"),
    ]

    @Test(arguments: refused.indices)
    func garbageIsRefusedWithTheLine(_ index: Int) {
        let (line, message) = Self.refused[index]
        #expect(throws: RecordJSONError.self) { try RecordJSONObject(parsing: Array(line.utf8), lineNumber: 9) }
        do {
            _ = try RecordJSONObject(parsing: Array(line.utf8), lineNumber: 9)
        } catch {
            #expect(error.line == 9, "\(line)")
            #expect(error.message == message, "\(line)")
            #expect(error.description == "line 9: \(message)")
        }
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array(Self.lines[0].utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "I"))!] = 0xFF
        #expect(throws: RecordJSONError.self) { try RecordJSONObject(parsing: bytes, lineNumber: 1) }
    }
}
