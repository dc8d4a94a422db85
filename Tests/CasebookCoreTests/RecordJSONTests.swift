import CasebookFormat
import CasebookCore
import Foundation
import Testing

private let goodLine = #"""
{"kind":"hii-session","client":"C-0042","start":"2026-11-03T10:00:00Z","duration":50,"modality":"in-person","attendance":"attended","labels":["x"],"sharing-summary":"Short summary.","sections":{"focus":"Identity\n\n### Detail\n- a","session-number":"3","risk-immediate-concern":"No"}}
"""#

private func parseLine(_ line: String, _ number: Int = 17, _ zone: TimeZone = Zones.utc) throws -> RecordContent {
    try RecordJSON.parseLine(line, lineNumber: number, defaultTimeZone: zone)
}

private func lineError(_ line: String, _ number: Int = 17) -> RecordInputError? {
    recordError { try parseLine(line, number) }
}

/// `goodLine` with `"key":value` text replaced.
private func variant(_ old: String, _ new: String) -> String {
    precondition(goodLine.contains(old), old)
    return goodLine.replacingOccurrences(of: old, with: new)
}

@Suite("Record JSON lines")
struct RecordJSONTests {
    @Test func parsesAGoodLine() throws {
        let content = try parseLine(goodLine)
        #expect(content.header.kind == .hiiSession)
        #expect(content.header.client.rawValue == "C-0042")
        #expect(content.header.start.canonical == "2026-11-03T10:00:00Z")
        #expect(content.header.durationMinutes == 50)
        #expect(content.header.modality == .inPerson)
        #expect(content.header.attendance == .attended)
        #expect(content.header.labels == ["x"])
        #expect(content.header.sharingSummary == "Short summary.")
        #expect(content.sections == [
            "focus": "Identity\n\n### Detail\n- a", "session-number": "3", "risk-immediate-concern": "no",
        ])
    }

    @Test func acceptsEveryInputForm() throws {
        let expected = try parseLine(goodLine)
        #expect(try RecordJSON.parseLine(goodLine[...], lineNumber: 1, defaultTimeZone: Zones.utc) == expected)
        #expect(try RecordJSON.parseLine(Array(goodLine.utf8), lineNumber: 1, defaultTimeZone: Zones.utc) == expected)
        #expect(try RecordJSON.parseLine(Data(goodLine.utf8), lineNumber: 1, defaultTimeZone: Zones.utc) == expected)
        let raw = try Array(goodLine.utf8).withUnsafeBytes { bytes in
            try RecordJSON.parseLine(bytes, lineNumber: 1, defaultTimeZone: Zones.utc)
        }
        #expect(raw == expected)
        #expect(try parseLine("\u{FEFF}" + goodLine + "\r") == expected)
        #expect(try parseLine("  \t" + goodLine + "  ") == expected)
        let spaced = goodLine.replacingOccurrences(of: ",\"", with: " ,\n \"").replacingOccurrences(of: "\":", with: "\" : ")
        #expect(try parseLine(spaced) == expected)
        let upper = variant(#""kind":"hii-session""#, #""kind":"HII-Session""#)
            .replacingOccurrences(of: #""modality":"in-person""#, with: #""modality":"In-Person""#)
        #expect(try parseLine(upper) == expected)
    }

    @Test func minimalLineAndDefaults() throws {
        let line = #"{"kind":"theological-advice","client":"C-1","start":"2026-07-01 10:00","modality":"phone","attendance":"cancelled","sections":{"tradition":"Shia (Ja'fari)"}}"#
        let content = try parseLine(line, 1, Zones.london)
        #expect(content.header.start.canonical == "2026-07-01T10:00:00+01:00")
        #expect(content.header.durationMinutes == nil)
        #expect(content.header.labels == ["religious-belief"])
        #expect(content.header.sharingSummary == "")
        #expect(content.sections == ["tradition": "Shia (Ja'fari)"])
        let empty = try parseLine(#"{"kind":"mentor-log","client":"C-1","start":"2026-07-01T10:00Z","modality":"video","attendance":"attended","labels":[],"sections":{"contact-type":"call","planned":"planned","initiated-by":"client","topics":""}}"#)
        #expect(empty.sections["topics"] == nil)
        #expect(empty.header.labels == [])
    }

    @Test func decodesStringEscapes() throws {
        let line = variant(#""sharing-summary":"Short summary.""#,
                           #""sharing-summary":"q\" b\\ s\/ t\t n\n ä \u00e4 \u00C4 😀 \ud83d\ude00 end""#)
        #expect(try parseLine(line).header.sharingSummary == "q\" b\\ s/ t\t n\n ä ä Ä 😀 😀 end")
    }

    @Test(arguments: RecordKind.allCases)
    func lineRoundTrips(_ kind: RecordKind) throws {
        for content in [try Fixtures.content(kind).validated(), try Fixtures.minimal(kind).validated()] {
            let line = RecordJSON.line(for: content)
            #expect(!line.contains("\n"))
            #expect(try parseLine(line, 1, Zones.kolkata) == content, "\(line)")
        }
    }

    @Test func lineLayout() throws {
        var content = Fixtures.minimal(.hiiSession)
        content.header.sharingSummary = "tab\there \u{1}"
        content.header.durationMinutes = 45
        content.sections["focus"] = "Focus"
        let line = RecordJSON.line(for: content)
        #expect(line == #"{"kind":"hii-session","client":"C-0042","start":"2026-11-24T10:00:00+01:00","duration":45,"modality":"in-person","attendance":"attended","labels":[],"sharing-summary":"tab\there \u0001","sections":{"session-number":"3","focus":"Focus","risk-immediate-concern":"no"}}"#)
    }

    @Test func objectEncodesWithJSONEncoder() throws {
        let content = try parseLine(goodLine)
        let object = RecordJSON.object(for: content)
        #expect(object.kind == "hii-session")
        #expect(object.duration == 50)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(object), as: UTF8.self)
        #expect(text == #"{"attendance":"attended","client":"C-0042","duration":50,"kind":"hii-session","labels":["x"],"modality":"in-person","sections":{"focus":"Identity\n\n### Detail\n- a","risk-immediate-concern":"no","session-number":"3"},"sharing-summary":"Short summary.","start":"2026-11-03T10:00:00Z"}"#)
        #expect(try parseLine(text) == content)
        var noDuration = content
        noDuration.header.durationMinutes = nil
        let withoutDuration = String(decoding: try encoder.encode(RecordJSON.object(for: noDuration)), as: UTF8.self)
        #expect(!withoutDuration.contains("duration"))
        #expect(RecordJSON.keys == ["kind", "client", "start", "duration", "modality", "attendance", "labels", "sharing-summary", "sections"])
    }

    static let errors: [(String, String, String?)] = [
        (variant(#""duration":50"#, #""sesion":50"#), "unknown key 'sesion'",
         "the keys are: kind, client, start, duration, modality, attendance, labels, sharing-summary, sections"),
        (variant(#""duration":50"#, #""duration":50,"duration":60"#), "duplicate key 'duration'", nil),
        (variant(#""kind":"hii-session""#, #""kind":1"#), "'kind' must be a string, not a number", nil),
        (variant(#""client":"C-0042""#, #""client":null"#), "'client' must be a string, not null", nil),
        (variant(#""start":"2026-11-03T10:00:00Z""#, #""start":true"#), "'start' must be a string, not a boolean", nil),
        (variant(#""modality":"in-person""#, #""modality":["video"]"#), "'modality' must be a string, not an array", nil),
        (variant(#""attendance":"attended""#, #""attendance":{}"#), "'attendance' must be a string, not an object", nil),
        (variant(#""duration":50"#, #""duration":"50""#), "'duration' must be a JSON integer (minutes), not a string", nil),
        (variant(#""duration":50"#, #""duration":null"#), "'duration' must be a JSON integer (minutes), not null", nil),
        (variant(#""duration":50"#, #""duration":50.0"#),
         "'duration' must be a whole number of minutes (a JSON integer, without fraction or exponent)", nil),
        (variant(#""duration":50"#, #""duration":5e1"#),
         "'duration' must be a whole number of minutes (a JSON integer, without fraction or exponent)", nil),
        (variant(#""duration":50"#, #""duration":-1"#), "duration -1 is out of range (0 to 1440 minutes)", nil),
        (variant(#""duration":50"#, #""duration":1441"#), "duration 1441 is out of range (0 to 1440 minutes)", nil),
        (variant(#""duration":50"#, #""duration":99999999999999999999999"#),
         "duration is out of range (0 to 1440 minutes)", nil),
        (variant(#""duration":50"#, #""duration":050"#),
         "invalid JSON at column 83: expected a number without leading zeros, found '0'", nil),
        (variant(#""labels":["x"]"#, #""labels":"x""#), "'labels' must be an array of strings, not a string", nil),
        (variant(#""labels":["x"]"#, #""labels":["x",2]"#), "'labels' must be an array of strings; found a number", nil),
        (variant(#""labels":["x"]"#, #""labels":["Bad Label"]"#), "invalid label 'Bad Label'", nil),
        (variant(#""sharing-summary":"Short summary.""#, #""sharing-summary":7"#),
         "'sharing-summary' must be a string, not a number", nil),
        (variant(#""sections":{"#, #""sections":[{"#), "'sections' must be an object of strings, not an array", nil),
        (variant(#""session-number":"3""#, #""session-number":3"#), "section 'session-number' must be a string, not a number", nil),
        (variant(#""session-number":"3""#, #""session-number":"3","session-number":"4""#), "duplicate section 'session-number'", nil),
        (variant(#""session-number":"3""#, #""sesion-number":"3""#), "unknown section 'sesion-number' for a HII session note", nil),
        (variant(#""session-number":"3""#, #""Session number":"3""#), "unknown section 'Session number' for a HII session note", nil),
        (variant(#""session-number":"3""#, #""session-number":"0""#), "Session number must be a whole number from 1 to 100000", nil),
        (variant(#""session-number":"3","#, ""), "Session number is required", nil),
        (variant(#""kind":"hii-session","#, ""), "kind is required", nil),
        (variant(#""start":"2026-11-03T10:00:00Z","#, ""), "start is required", nil),
        (variant(#""kind":"hii-session""#, #""kind":"hii""#), "unknown record kind 'hii'", nil),
        (variant(#""kind":"hii-session""#, #""kind":"""#), "kind is required", nil),
        (variant(#""start":"2026-11-03T10:00:00Z""#, #""start":"""#), "start is required", nil),
        (variant(#""client":"C-0042""#, #""client":"Jane Doe""#), ClientReference.ruleMessage, nil),
        (variant(#""start":"2026-11-03T10:00:00Z""#, #""start":"2026-02-30T10:00:00Z""#),
         "2026-02-30 is not a date (that month has 28 days)", nil),
        (variant(#""modality":"in-person""#, #""modality":"zoom""#), "unknown modality 'zoom'", nil),
        (variant(#""focus":"Identity"#, ###""focus":"## Heading"###),
         "Focus, line 1 of its text: a line starting with '## ' would start a new section", nil),
        ("", "expected a JSON object, found an empty line", nil),
        ("   ", "expected a JSON object, found an empty line", nil),
        ("[]", "expected a JSON object ('{'), found an array", nil),
        ("{}", "kind is required", nil),
        (goodLine + goodLine, "unexpected text after the JSON object at column 285", "put exactly one record on each line"),
        (String(goodLine.dropLast()), "invalid JSON at column 284: expected ',' or '}', found the end of the line", nil),
        (variant(#""duration":50,"#, #""duration":50,,"#), "invalid JSON at column 86: expected a key in double quotes, found ','", nil),
        (variant(#""sections":{"focus""#, #""sections":{"focus","#), "invalid JSON at column 202: expected ':' after the section key, found ','", nil),
        (#"{"kind" "hii-session"}"#, "invalid JSON at column 9: expected ':' after the key, found '\"'", nil),
        (#"{"kind":"hii-session",}"#, "invalid JSON at column 23: expected a key in double quotes, found '}'", nil),
        (#"{'kind':'hii-session'}"#, "invalid JSON at column 2: expected a key in double quotes, found '''", nil),
        (#"{"kind":"hii"#, "invalid JSON at column 9: expected a closing '\"' for this string, found '\"'", nil),
        (#"{"kind":"a\qb"}"#, #"invalid JSON at column 12: expected a valid escape (\" \\ \/ \b \f \n \r \t \uXXXX), found 'q'"#, nil),
        (#"{"kind":"\u12"}"#, #"invalid JSON at column 14: expected four hexadecimal digits after '\u', found '"'"#, nil),
        (#"{"kind":"\ud83d"}"#, #"invalid JSON at column 16: expected a low surrogate '\uDC00'…'\uDFFF' after a high surrogate, found '"'"#, nil),
        (#"{"kind":"\ude00"}"#, "invalid JSON at column 16: expected no unpaired low surrogate, found '\"'", nil),
        ("{\"kind\":\"a\tb\"}", "invalid JSON at column 11: expected no raw control characters in a string (escape them), found byte 0x9", nil),
        (#"{"labels":["a" "b"]}"#, "invalid JSON at column 16: expected ',' or ']', found '\"'", nil),
        (variant(#""client":"C-0042""#, #""client":"C-0042\u0000""#), ClientReference.ruleMessage, nil),
        (variant(#""Short summary.""#, #""Short\u0007""#), "sharing-summary contains the control character U+0007", nil),
    ]

    @Test(arguments: errors.indices)
    func rejectsWithTheLineNumber(_ index: Int) {
        let (line, message, hint) = Self.errors[index]
        let error = lineError(line)
        #expect(error?.line == 17, "\(line)")
        #expect(error?.message == message, "\(line)")
        if let hint { #expect(error?.hint == hint) }
    }

    @Test func describesTheLine() {
        #expect(lineError(variant(#""duration":50"#, #""sesion":50"#))?.description == "line 17: unknown key 'sesion'")
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array(goodLine.utf8)
        let position = bytes.firstIndex(of: UInt8(ascii: "S"))!  // inside "Short summary."
        bytes[position] = 0xFF
        let error = recordError { try RecordJSON.parseLine(bytes, lineNumber: 4, defaultTimeZone: Zones.utc) }
        #expect(error?.line == 4)
        #expect(error?.message.hasPrefix("invalid UTF-8 in the string at column") == true)
        var outside = Array(goodLine.utf8)
        outside.insert(0xC3, at: 1)
        let outsideError = recordError { try RecordJSON.parseLine(outside, lineNumber: 4, defaultTimeZone: Zones.utc) }
        #expect(outsideError?.message == "invalid JSON at column 2: expected a key in double quotes, found byte 0xc3")
    }
}
