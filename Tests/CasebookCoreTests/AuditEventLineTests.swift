import CasebookFormat
import CasebookCore
import Foundation
import Testing

/// The strict scanner of event lines: exactly what `AuditEvent.canonicalBytes()` writes is
/// accepted (and keys a newer Casebook may add under the same rules); anything else is refused
/// with the offset of the first problem.
@Suite struct AuditEventLineTests {
    static let base = #"{"action":"record.created","actor":"D77DD3737B340E11","client":"C-0042","kinds":["hii-session"],"records":["ZF61ECN67W"],"revision":1,"salt":"f6e1d7d68205d6b3d55f721f9b5acdf9","sequence":1,"time":"2026-11-24T06:23:14Z","version":1}"#

    static func scan(_ text: String) -> Result<AuditEventLine.Fields, AuditEventLine.Problem> {
        Result { () throws(AuditEventLine.Problem) in try AuditEventLine.scan(Array(text.utf8)) }
    }

    static func reason(_ text: String) -> String? {
        if case .failure(let problem) = scan(text) { return problem.reason }
        return nil
    }

    @Test func readsTheVaultFormatExample() throws {
        let fields = try Self.scan(Self.base).get()
        #expect(fields.sequence == 1)
        let bytes = Array(Self.base.utf8)
        #expect(String(decoding: bytes[fields.action], as: UTF8.self) == "record.created")
        #expect(String(decoding: bytes[fields.time], as: UTF8.self) == "2026-11-24T06:23:14Z")
    }

    /// Every event Casebook writes, with every optional field and awkward strings, scans.
    @Test func acceptsWhatTheEncoderWrites() throws {
        var awkward = "quote \" backslash \\ slash / tab \t newline \n CR \r DEL \u{7F} é 中 😀 \u{2028}"
        for scalar in 0..<0x20 { awkward.unicodeScalars.append(Unicode.Scalar(scalar)!) }
        for sequence in [0, 1, 9, 10, 123_456_789] {
            let event = AuditEvent(
                sequence: sequence, time: "2026-11-24T10:22:18Z", actor: "0204CD979A953B64", action: .handoverSealed,
                records: ["A", "B"], revision: 3, kinds: ["hii-session"], client: "C-0042", count: 2, digest: String(repeating: "a", count: 64),
                detail: awkward, handover: "h", recipients: ["FVQE"], sender: "S", purpose: "supervision", fields: [],
                contact: awkward, fingerprint: "F", basis: ["ID v1 sha256:00"], clients: ["C-0042"], withheld: ["plan"], excluded: [],
                override: "o")
            let fields = try AuditEventLine.scan(event.canonicalBytes())
            #expect(fields.sequence == UInt64(sequence))
        }
    }

    /// A newer Casebook's event: an unknown action, unknown keys with nested values.
    @Test func acceptsUnknownKeysAndActions() throws {
        let line = #"{"action":"future.thing-2","actor":"X","alpha":{"b":[1,-2,true,false,{"c":"d"}],"z":{}},"salt":"f6e1d7d68205d6b3d55f721f9b5acdf9","sequence":0,"time":"2030-01-01T00:00:00Z","version":2,"zeta":[]}"#
        #expect(try Self.scan(line).get().sequence == 0)
    }

    @Test func refusesWhatIsNotCanonical() {
        let cases: [(String, String)] = [
            ("", "empty"),
            (" " + Self.base, "expected '{'"),
            (Self.base + " ", "text after"),
            (Self.base.replacingOccurrences(of: #""actor":"#, with: #""actor": "#), "expected a string"),
            (Self.base.replacingOccurrences(of: #""client":"#, with: #""client": "#), "not a JSON value"),
            (Self.base.replacingOccurrences(of: #""client":"#, with: #""client" :"#), "expected ':'"),
            (Self.base.replacingOccurrences(of: #"{"action":"record.created","actor":"D77DD3737B340E11","#, with: #"{"actor":"D77DD3737B340E11","action":"record.created","#), "sorted order"),
            (Self.base.replacingOccurrences(of: #""client":"C-0042","#, with: #""client":"C-0042","client":"C-0043","#), "repeated"),
            (Self.base.replacingOccurrences(of: #""revision":1"#, with: #""revision":null"#), "null"),
            (Self.base.replacingOccurrences(of: #""revision":1"#, with: #""revision":1.0"#), "only integers"),
            (Self.base.replacingOccurrences(of: #""revision":1"#, with: #""revision":01"#), "not canonical"),
            (Self.base.replacingOccurrences(of: #""revision":1"#, with: #""revision":-0"#), "not canonical"),
            (Self.base.replacingOccurrences(of: #""revision":1"#, with: #""revision":1234567890123456789"#), "18 digits"),
            (Self.base.replacingOccurrences(of: "C-0042", with: #"C\/0042"#), "escape"),
            (Self.base.replacingOccurrences(of: "C-0042", with: #"C\u0041"#), "only control characters"),
            (Self.base.replacingOccurrences(of: "C-0042", with: #"C\u001F"#), "only control characters"),
            (Self.base.replacingOccurrences(of: "C-0042", with: #"C\u000a"#), "short escape"),
            (Self.base.replacingOccurrences(of: "C-0042", with: "C\t0042"), "must be escaped"),
            (Self.base.replacingOccurrences(of: #""client""#, with: #""Client""#), "a–z 0–9"),
            (Self.base.replacingOccurrences(of: #""client""#, with: #""cli ent""#), "a–z 0–9"),
            (Self.base.replacingOccurrences(of: #""sequence":1"#, with: #""sequence":-1"#), "'sequence'"),
            (Self.base.replacingOccurrences(of: #""sequence":1"#, with: #""sequence":"1""#), "'sequence'"),
            (Self.base.replacingOccurrences(of: #""version":1"#, with: #""version":0"#), "'version'"),
            (Self.base.replacingOccurrences(of: #""salt":"f6e1d7d68205d6b3d55f721f9b5acdf9""#, with: #""salt":"F6E1D7D68205D6B3D55F721F9B5ACDF9""#), "'salt'"),
            (Self.base.replacingOccurrences(of: "2026-11-24T06:23:14Z", with: "2026-11-24 06:23:14Z"), "'time'"),
            (Self.base.replacingOccurrences(of: "record.created", with: "Record.Created"), "'action'"),
            (Self.base.replacingOccurrences(of: #""actor":"D77DD3737B340E11","#, with: ""), "has no 'actor'"),
            (Self.base.replacingOccurrences(of: #""kinds":["hii-session"]"#, with: #""kinds":["hii-session",]"#), "not a JSON value"),
            (Self.base.replacingOccurrences(of: #""kinds":["hii-session"]"#, with: #""kinds":[[[[[[[[["x"]]]]]]]]]"#), "nested"),
            (Self.base.replacingOccurrences(of: #""revision":1"#, with: #""revision":tru"#), "not a JSON value"),
            ("{}", "no keys"),
            ("[]", "expected '{'"),
            (String(Self.base.dropLast()), "not closed"),
        ]
        for (line, expected) in cases {
            let reason = Self.reason(line)
            #expect(reason?.contains(expected) == true, "\(line): \(reason ?? "accepted")")
        }
        // Invalid UTF-8: an overlong '/', a lone continuation byte, a surrogate.
        for bad: [UInt8] in [[0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80]] {
            var bytes = Array(Self.base.utf8)
            let at = bytes.firstIndex(of: UInt8(ascii: "C"))!
            bytes.insert(contentsOf: bad, at: at)
            let result = Result { () throws(AuditEventLine.Problem) in try AuditEventLine.scan(bytes) }
            guard case .failure(let problem) = result else { Issue.record("invalid UTF-8 \(bad) accepted"); continue }
            #expect(problem.reason == "invalid UTF-8")
        }
    }

    /// Every truncation is refused, every byte flip is refused or still a valid event; none crashes.
    @Test func truncationsAndFlips() {
        let bytes = Array(Self.base.utf8)
        for length in 0..<bytes.count {
            #expect((try? AuditEventLine.scan(Array(bytes[..<length]))) == nil, "truncated to \(length)")
        }
        var accepted = 0
        for index in bytes.indices {
            for bit in 0..<8 {
                var mutated = bytes
                mutated[index] ^= 1 << UInt8(bit)
                if (try? AuditEventLine.scan(mutated)) != nil { accepted += 1 }
            }
        }
        // Only flips inside string values (or digits of the integers) can stay valid.
        #expect(accepted > 0 && accepted < bytes.count * 8 / 2)
    }
}
