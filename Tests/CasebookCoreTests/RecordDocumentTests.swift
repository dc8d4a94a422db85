import CasebookCore
import CasebookFormat
import Foundation
import Testing

/// 1-based number of the first line of `text` equal to `line`.
private func lineNumber(of line: String, in text: String) -> Int? {
    text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == line }.map { $0 + 1 }
}

/// `text` with the line exactly `line` replaced by `replacement`.
private func replacing(_ line: String, with replacement: String, in text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0 == line ? replacement : String($0) }
        .joined(separator: "\n")
}

private func parse(_ text: String, _ zone: TimeZone = Zones.utc) throws -> RecordContent {
    try RecordDocument.parse(text, defaultTimeZone: zone)
}

private func parseError(_ text: String) -> RecordInputError? {
    recordError { try parse(text) }
}

/// A valid HII document to derive error cases from.
private let validHII = """
    ---
    kind: hii-session
    start: 2026-11-24 10:00
    client: C-0042
    duration: 50
    modality: video
    attendance: attended
    labels: [family]
    sharing-summary: Attended and engaged.
    ---

    ## Session number

    3

    ## Risk: immediate concern

    no

    ## Focus

    Identity and belonging.
    """

@Suite("Record templates")
struct RecordTemplateTests {
    @Test(arguments: RecordKind.allCases)
    func templateHasEveryFieldAndGuidance(_ kind: RecordKind) throws {
        let template = RecordDocument.template(for: kind)
        let document = try NoteDocument.parse(template)
        #expect(document.entry(forKey: "kind")?.value == .scalar(kind.rawValue))
        #expect(document.frontMatter.map(\.key) == RecordDocument.headerKeys)
        for entry in document.frontMatter where entry.key != "kind" && entry.key != "labels" {
            #expect(entry.value == .scalar(""), "\(entry.key) is pre-filled")
        }
        #expect(document.entry(forKey: "labels")?.value == .list(kind.defaultLabels))
        #expect(document.sections.map(\.title) == kind.fields.map(\.title))
        #expect(document.sections.allSatisfy { $0.body.isEmpty })
        for field in kind.fields {
            let guidance = (field.required ? "Required. " : "") + field.guidance
            #expect(template.contains("## \(field.title)\n\n<!-- \(guidance) -->\n"))
        }
        #expect(template.contains("# one of: in-person, video, phone\nmodality:\n"))
        #expect(template.contains("# one of: attended, did-not-attend, cancelled\nattendance:\n"))
        #expect(template.contains("never a name"))
    }

    @Test(arguments: RecordKind.allCases)
    func blankTemplateFailsOnStart(_ kind: RecordKind) {
        let template = RecordDocument.template(for: kind)
        let error = parseError(template)
        #expect(error?.message == "start is required")
        #expect(error?.line == lineNumber(of: "start:", in: template))
        #expect(error?.description == "line \(lineNumber(of: "start:", in: template)!): start is required")
    }

    @Test(arguments: RecordKind.allCases)
    func filledTemplateParses(_ kind: RecordKind) throws {
        var text = RecordDocument.template(for: kind)
        text = replacing("start:", with: "start: 2026-07-01 10:00", in: text)
        #expect(parseError(text)?.message == "client is required")
        #expect(parseError(text)?.line == lineNumber(of: "client:", in: text))
        text = replacing("client:", with: "client: DDP-2024-117", in: text)
        text = replacing("modality:", with: "modality: phone", in: text)
        #expect(parseError(text)?.message == "attendance is required")
        text = replacing("attendance:", with: "attendance: did-not-attend", in: text)
        let firstRequired = kind.fields.first(where: \.required)!
        let requiredError = parseError(text)
        #expect(requiredError?.message == "\(firstRequired.title) is required")
        #expect(requiredError?.line == lineNumber(of: "## \(firstRequired.title)", in: text))
        for field in kind.fields where field.required {
            let value: String
            switch field.type {
            case .positiveInteger: value = "12"
            case .yesNo: value = "Yes"
            case .choice(let options): value = options[0].uppercased()
            case .text: value = "Filled in."
            }
            text = replacing("## \(field.title)", with: "## \(field.title)\n\n\(value)", in: text)
        }
        let content = try parse(text, Zones.london)
        #expect(content.header.kind == kind)
        #expect(content.header.client.rawValue == "DDP-2024-117")
        #expect(content.header.start.canonical == "2026-07-01T10:00:00+01:00")
        #expect(content.header.durationMinutes == nil)
        #expect(content.header.modality == .phone)
        #expect(content.header.attendance == .didNotAttend)
        #expect(content.header.labels == kind.defaultLabels)
        #expect(content.header.sharingSummary == "")
        #expect(content.sections.count == kind.fields.filter(\.required).count)
        for field in kind.fields where field.required {
            switch field.type {
            case .positiveInteger: #expect(content.sections[field.key] == "12")
            case .yesNo: #expect(content.sections[field.key] == "yes")
            case .choice(let options): #expect(content.sections[field.key] == options[0])
            case .text: #expect(content.sections[field.key] == "Filled in.")
            }
        }
    }
}

@Suite("Record documents")
struct RecordDocumentTests {
    @Test func parsesAValidDocument() throws {
        let content = try parse(validHII, Zones.london)
        #expect(content.header.start.canonical == "2026-11-24T10:00:00Z")
        #expect(content.header.durationMinutes == 50)
        #expect(content.header.modality == .video)
        #expect(content.header.labels == ["family"])
        #expect(content.header.sharingSummary == "Attended and engaged.")
        #expect(content.sections == [
            "session-number": "3", "risk-immediate-concern": "no", "focus": "Identity and belonging.",
        ])
    }

    @Test(arguments: RecordKind.allCases)
    func renderThenParseGivesTheSameContent(_ kind: RecordKind) throws {
        for content in [try Fixtures.content(kind).validated(), try Fixtures.minimal(kind).validated()] {
            let rendered = RecordDocument.render(content)
            #expect(try parse(rendered, Zones.kolkata) == content, "\(rendered)")
            let guided = RecordDocument.render(content, includeGuidance: true)
            #expect(try parse(guided, Zones.kolkata) == content)
            #expect(guided.contains("<!-- "))
            #expect(!rendered.contains("<!-- \(kind.fields[0].guidance)"))
            // Every heading appears, filled or not.
            for field in kind.fields { #expect(rendered.contains("\n## \(field.title)\n")) }
        }
    }

    @Test func renderedText() throws {
        var content = Fixtures.minimal(.mentorLog)
        content.header.sharingSummary = "Met: all fine"
        content.sections["topics"] = "Work\n\n- CV"
        let text = RecordDocument.render(try content.validated())
        #expect(text.hasPrefix("""
            ---
            kind: mentor-log
            start: 2026-11-24T10:00:00+01:00
            client: C-0042
            duration:
            modality: in-person
            attendance: attended
            labels: []
            sharing-summary: "Met: all fine"
            ---

            ## Contact type

            \(Fixtures.richText("Contact type"))

            ## Planned or ad hoc

            ad-hoc

            """))
        #expect(text.contains("\n## Topics\n\nWork\n\n- CV\n\n## Activities\n\n## Mood and engagement\n"))
    }

    @Test func headingsMatchTitlesOrKeysIgnoringCase() throws {
        let text = validHII
            .replacingOccurrences(of: "## Session number", with: "## session-number")
            .replacingOccurrences(of: "## Risk: immediate concern", with: "## RISK: IMMEDIATE CONCERN")
            .replacingOccurrences(of: "## Focus", with: "## FOCUS")
        let content = try parse(text)
        #expect(content.sections["session-number"] == "3")
        #expect(content.sections["risk-immediate-concern"] == "no")
        #expect(content.sections["focus"] == "Identity and belonging.")
    }

    @Test func theologicalAdviceIsAlwaysLabelledReligiousBelief() throws {
        let text = """
            ---
            kind: theological-advice
            start: 2026-11-24T10:00Z
            client: C-0042
            modality: in-person
            attendance: attended
            labels: []
            ---
            ## Adviser's tradition
            Sunni (Hanafi).
            """
        #expect(try parse(text).header.labels == ["religious-belief"])
        let withoutLabels = text.replacingOccurrences(of: "labels: []\n", with: "")
        #expect(try parse(withoutLabels).header.labels == ["religious-belief"])
        let blockLabels = text.replacingOccurrences(of: "labels: []", with: "labels:\n  - family\n  - health")
        #expect(try parse(blockLabels).header.labels == ["family", "health", "religious-belief"])
    }

    @Test func crlfDocumentsParse() throws {
        #expect(try parse(validHII.replacingOccurrences(of: "\n", with: "\r\n")) == (try parse(validHII)))
    }

    /// (line to replace, replacement, expected line, expected message)
    static let headerErrors: [(String, String, Int?, String)] = [
        ("labels: [family]", "labels: [family]\nsessions: 3", 9, "unknown front-matter key 'sessions'"),
        ("kind: hii-session", "kind: hii", 2, "unknown record kind 'hii'"),
        ("kind: hii-session", "kind:", 2, "kind is required"),
        ("kind: hii-session", "# no kind", 10, "kind is required"),
        ("start: 2026-11-24 10:00", "start: 24/11/2026", 3, "'24/11/2026' is not a date and time"),
        ("start: 2026-11-24 10:00", "start: 2026-02-30 10:00", 3, "2026-02-30 is not a date (that month has 28 days)"),
        ("start: 2026-11-24 10:00", "start:", 3, "start is required"),
        ("start: 2026-11-24 10:00", "", 10, "start is required"),
        ("client: C-0042", "client: Jane Doe", 4, ClientReference.ruleMessage),
        ("client: C-0042", "client: [C-0042]", 4, "client must be a single value, not a list"),
        ("client: C-0042", "client:", 4, "client is required"),
        ("duration: 50", "duration: fifty", 5, "duration 'fifty' is not a whole number of minutes"),
        ("duration: 50", "duration: 1441", 5, "duration 1441 is out of range (0 to 1440 minutes)"),
        ("duration: 50", "duration: -5", 5, "duration '-5' is not a whole number of minutes"),
        ("modality: video", "modality: zoom", 6, "unknown modality 'zoom'"),
        ("modality: video", "modality:", 6, "modality is required"),
        ("attendance: attended", "attendance: no-show", 7, "unknown attendance 'no-show'"),
        ("attendance: attended", "", 10, "attendance is required"),
        ("labels: [family]", "labels: family", 8, "labels must be a list"),
        ("labels: [family]", "labels: [Family]", 8, "invalid label 'Family'"),
        ("labels: [family]", "labels: [a, a--b]", 8, "invalid label 'a--b'"),
        ("sharing-summary: Attended and engaged.", "sharing-summary: \"bell\\u0007\"", 9,
         "sharing-summary contains the control character U+0007"),
        ("sharing-summary: Attended and engaged.", "sharing-summary: engaged: well", 9,
         "nested mappings are not supported (': ' or a final ':' in a value)"),
        ("duration: 50", "duration: 50\nduration: 60", 6, "duplicate key 'duration' (first on line 5)"),
    ]

    @Test(arguments: headerErrors.indices)
    func headerErrorsNameTheirLine(_ index: Int) {
        let (line, replacement, expectedLine, message) = Self.headerErrors[index]
        let text = replacing(line, with: replacement, in: validHII)
        let error = parseError(text)
        #expect(error?.message == message, "\(text)")
        #expect(error?.line == expectedLine, "\(text)")
    }

    static let sectionErrors: [(String, String, Int?, String)] = [
        ("## Focus", "## Focuss", 20, "unknown section 'Focuss' for a HII session note"),
        ("3", "03", 12, "Session number must be a whole number from 1 to 100000"),
        ("3", "three", 12, "Session number must be a whole number from 1 to 100000"),
        ("3", "", 12, "Session number is required"),
        ("no", "perhaps", 16, "Risk: immediate concern must be 'yes' or 'no'"),
        ("## Focus", "## session-number", 20, "section 'session-number' repeats 'Session number' (line 12)"),
        ("## Focus", "## FOCUS\n\nx\n\n## focus", 24, "duplicate section 'focus' (first on line 20)"),
        ("Identity and belonging.", "```\nnever closed", 22, "code block is never closed"),
        ("## Session number", "Loose text", 12, "text before the first section: write it under a '## Title' heading"),
    ]

    @Test(arguments: sectionErrors.indices)
    func sectionErrorsNameTheirLine(_ index: Int) {
        let (line, replacement, expectedLine, message) = Self.sectionErrors[index]
        let text = replacing(line, with: replacement, in: validHII)
        let error = parseError(text)
        #expect(error?.message == message, "\(text)")
        #expect(error?.line == expectedLine, "\(text)")
    }

    @Test func unknownSectionHintListsTheTitles() {
        let error = parseError(replacing("## Focus", with: "## Mood", in: validHII))
        #expect(error?.hint == "the sections of a hii-session record are: "
            + RecordKind.hiiSession.fields.map { "'\($0.title)'" }.joined(separator: ", "))
        #expect(error?.hint?.contains("'Risk: escalated to whom and when'") == true)
    }

    @Test func unknownKeyHintListsTheKeys() {
        let error = parseError(replacing("duration: 50", with: "durationn: 50", in: validHII))
        #expect(error?.hint == "the keys are: kind, start, client, duration, modality, attendance, labels, sharing-summary")
    }

    @Test func absentRequiredSectionHasNoLine() {
        let text = replacing("## Session number", with: "", in: replacing("3", with: "", in: validHII))
        let error = parseError(text)
        #expect(error?.message == "Session number is required")
        #expect(error?.line == nil)
        #expect(error?.hint?.hasPrefix("write it under '## Session number'") == true)
    }

    @Test func choiceErrorsNameTheHeadingLine() {
        let text = """
            ---
            kind: ddp-session
            start: 2026-11-24 10:00
            client: C-0042
            modality: video
            attendance: attended
            ---

            ## Provider organisation

            Example Trust

            ## Intervention type

            counselling
            """
        let error = parseError(text)
        #expect(error?.line == 13)
        #expect(error?.message == "Intervention type must be one of: mentoring, psychological, theological-ideological, practical")
    }

    @Test func documentSyntaxErrorsPassThroughWithTheirLine() {
        let error = parseError(replacing("modality: video", with: "modality: &ref video", in: validHII))
        #expect(error?.line == 6)
        #expect(error?.message == "anchors ('&') are not supported")
        #expect(parseError("no front matter")?.line == 1)
    }
}
