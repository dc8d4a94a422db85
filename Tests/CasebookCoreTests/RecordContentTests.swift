import CasebookCore
import CasebookFormat
import Testing

private typealias Fields = [(key: String, value: String)]

private func same(_ a: Fields, _ b: Fields) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
}

@Suite("Record content validation")
struct RecordContentTests {
    @Test(arguments: RecordKind.allCases)
    func fixturesAreValidAndStable(_ kind: RecordKind) throws {
        let content = try Fixtures.content(kind).validated()
        #expect(try content.validated() == content)
        #expect(content.sections.count == kind.fields.count)
        let minimal = try Fixtures.minimal(kind).validated()
        #expect(minimal.sections.count == kind.fields.filter(\.required).count)
    }

    @Test func normalises() throws {
        var content = Fixtures.minimal(.mentorLog)
        content.sections["planned"] = "  Ad-Hoc \r\n"
        content.sections["initiated-by"] = "MENTOR"
        content.sections["topics"] = "\n\n  line one\r\n  line two  \n\n"
        content.sections["activities"] = "   \n\t"
        content.header.sharingSummary = "  summary\r\nsecond  "
        content.header.labels = ["zeta", "alpha", "zeta"]
        let validated = try content.validated()
        #expect(validated.sections["planned"] == "ad-hoc")
        #expect(validated.sections["initiated-by"] == "mentor")
        #expect(validated.sections["topics"] == "line one\n  line two")
        #expect(validated.sections["activities"] == nil)
        #expect(validated[field: "topics"] == "line one\n  line two")
        #expect(validated.header.sharingSummary == "summary\nsecond")
        #expect(validated.header.labels == ["alpha", "zeta"])

        var hii = Fixtures.minimal(.hiiSession)
        hii.sections["risk-immediate-concern"] = "Yes"
        #expect(try hii.validated().sections["risk-immediate-concern"] == "yes")
        hii.sections["risk-immediate-concern"] = "NO"
        #expect(try hii.validated().sections["risk-immediate-concern"] == "no")
    }

    @Test func theologicalAdviceIsAlwaysLabelledReligiousBelief() throws {
        var content = Fixtures.minimal(.theologicalAdvice)
        content.header.labels = []
        #expect(try content.validated().header.labels == ["religious-belief"])
        content.header.labels = ["family"]
        #expect(try content.validated().header.labels == ["family", "religious-belief"])
        var switched = Fixtures.minimal(.hiiSession)
        switched.header.kind = .theologicalAdvice
        switched.sections = ["tradition": "Sunni, Hanafi"]
        #expect(try switched.validated().header.labels == ["religious-belief"])
    }

    @Test(arguments: ["0", "03", "-1", "+1", "1.0", "100001", "1e3", "three", "１"])
    func rejectsBadPositiveIntegers(_ text: String) {
        var content = Fixtures.minimal(.hiiSession)
        content.sections["session-number"] = text
        let error = recordError { try content.validated() }
        #expect(error?.message == "Session number must be a whole number from 1 to 100000")
        #expect(error?.line == nil)
    }

    @Test func acceptsPositiveIntegerBounds() throws {
        var content = Fixtures.minimal(.hiiSession)
        for text in ["1", "99", "100000"] {
            content.sections["session-number"] = text
            #expect(try content.validated().sections["session-number"] == text)
        }
    }

    @Test func rejectsOtherBadValues() {
        func error(_ kind: RecordKind, _ change: (inout RecordContent) -> Void) -> RecordInputError? {
            var content = Fixtures.minimal(kind)
            change(&content)
            return recordError { try content.validated() }
        }
        #expect(error(.hiiSession) { $0.sections["risk-immediate-concern"] = "maybe" }?.message
            == "Risk: immediate concern must be 'yes' or 'no'")
        #expect(error(.ddpSession) { $0.sections["intervention-type"] = "theological/ideological" }?.message
            == "Intervention type must be one of: mentoring, psychological, theological-ideological, practical")
        #expect(error(.mentorLog) { $0.sections["planned"] = "ad hoc" }?.message
            == "Planned or ad hoc must be one of: planned, ad-hoc")
        let missing = error(.hiiSession) { $0.sections["session-number"] = nil }
        #expect(missing?.message == "Session number is required")
        #expect(missing?.hint?.contains("## Session number") == true)
        #expect(error(.ddpSession) { $0.sections["provider-organisation"] = "  \n " }?.message
            == "Provider organisation is required")
        let unknown = error(.hiiSession) { $0.sections["sesion-number"] = "3" }
        #expect(unknown?.message == "unknown section 'sesion-number' for a HII session note")
        #expect(unknown?.hint?.contains("session-number, focus") == true)
        #expect(error(.hiiSession) { $0.header.durationMinutes = 1441 }?.message
            == "duration 1441 is out of range (0 to 1440 minutes)")
        #expect(error(.hiiSession) { $0.header.durationMinutes = -1 }?.message
            == "duration -1 is out of range (0 to 1440 minutes)")
        #expect(error(.hiiSession) { $0.header.labels = ["Bad"] }?.message == "invalid label 'Bad'")
        #expect(error(.hiiSession) { $0.header.sharingSummary = "a\u{7}" }?.message
            == "sharing-summary contains the control character U+0007")
        #expect(error(.hiiSession) { $0.sections["focus"] = "a\0b" }?.message
            == "Focus contains the control character U+0000")
        #expect(error(.hiiSession) { $0.sections["focus"] = "a\rb" }?.message
            == "Focus contains the control character U+000D")
        let heading = error(.hiiSession) { $0.sections["focus"] = "intro\n## Sneaky" }
        #expect(heading?.message == "Focus, line 2 of its text: a line starting with '## ' would start a new section")
        #expect(heading?.hint == "use '###' for a heading inside a section")
        #expect(error(.hiiSession) { $0.sections["plan"] = "a\n<!-- hidden -->" }?.message
            == "Plan, line 2 of its text: a line holding only an HTML comment would be dropped")
        #expect(error(.hiiSession) { $0.sections["plan"] = "```\ncode" }?.message
            == "Plan, line 1 of its text: code block is never closed")
        #expect(error(.hiiSession) { $0.header.durationMinutes = 0 } == nil)
        #expect(error(.hiiSession) { $0.header.durationMinutes = 1440 } == nil)
    }
}

@Suite("Record storage fields")
struct RecordStorageFieldsTests {
    @Test func layout() throws {
        var content = Fixtures.minimal(.hiiSession)
        content.header.durationMinutes = 50
        content.header.labels = ["family", "employment"]
        content.header.sharingSummary = "short"
        content.sections["plan"] = "Plan text"
        let validated = try content.validated()
        let expected: Fields = [
            (key: "kind", value: "hii-session"),
            (key: "client", value: "C-0042"),
            (key: "start", value: "2026-11-24T10:00:00+01:00"),
            (key: "duration", value: "50"),
            (key: "modality", value: "in-person"),
            (key: "attendance", value: "attended"),
            (key: "labels", value: "employment,family"),
            (key: "sharing-summary", value: "short"),
            (key: "s.session-number", value: "3"),
            (key: "s.risk-immediate-concern", value: "no"),
            (key: "s.plan", value: "Plan text"),
        ]
        #expect(same(validated.storageFields, expected))
        let minimal = try Fixtures.minimal(.mentorLog).validated().storageFields
        #expect(!minimal.contains { $0.key == "duration" })
        #expect(minimal.first { $0.key == "labels" }?.value == "")
        #expect(minimal.first { $0.key == "sharing-summary" }?.value == "")
    }

    @Test(arguments: RecordKind.allCases)
    func roundTripsThroughTheBinaryEncoding(_ kind: RecordKind) throws {
        for content in [try Fixtures.content(kind).validated(), try Fixtures.minimal(kind).validated()] {
            #expect(try RecordContent(storageFields: content.storageFields) == content)
            let encoded = FieldListEncoding.encode(content.storageFields)
            let decoded = try FieldListEncoding.decode(encoded)
            #expect(try RecordContent(storageFields: decoded) == content)
            #expect(same(try RecordContent(storageFields: decoded).storageFields, content.storageFields))
        }
    }

    @Test func rejectsBadStoredFields() throws {
        let good = try Fixtures.minimal(.hiiSession).validated().storageFields
        func error(_ fields: Fields) -> String? {
            recordError { try RecordContent(storageFields: fields) }?.message
        }
        #expect(error(good + [(key: "extra", value: "x")]) == "stored record has an unknown field 'extra'")
        #expect(error(good + [(key: "kind", value: "hii-session")]) == "stored record repeats the field 'kind'")
        #expect(error(good + [(key: "s.plan", value: "a"), (key: "s.plan", value: "b")])
            == "stored record repeats the field 's.plan'")
        #expect(error(good.filter { $0.key != "start" }) == "stored record has no 'start' field")
        #expect(error(good.map { $0.key == "start" ? (key: "start", value: "2026-11-24T10:00") : $0 })
            == "start time '2026-11-24T10:00' has no UTC offset")
        #expect(error(good.map { $0.key == "labels" ? (key: "labels", value: "a,,b") : $0 }) == "invalid label ''")
        #expect(error(good.map { $0.key == "kind" ? (key: "kind", value: "other") : $0 }) == "unknown record kind 'other'")
        #expect(error(good + [(key: "s.nope", value: "x")]) == "unknown section 'nope' for a HII session note")
        #expect(error(good + [(key: "duration", value: "-5")]) == "duration '-5' is not a whole number of minutes")
    }
}
