public import Foundation
internal import CasebookFormat

/// Records as Markdown note documents: the header in front matter, one `## Title` section per
/// kind-specific field. The container syntax is ``NoteDocument`` (CasebookFormat).
///
/// Front-matter keys: `kind`, `start`, `client`, `duration` (minutes, may be empty),
/// `modality`, `attendance`, `labels` (a list), `sharing-summary`. Required: `kind`, `client`,
/// `start`, `modality`, `attendance`. `kind`, `modality` and `attendance` are matched ignoring
/// case; `start` takes the forms of ``SessionStart/init(parsing:defaultTimeZone:)``. A section
/// heading is matched to a field by its title or its key, ignoring case; empty sections are
/// dropped. The result is ``RecordContent/validated()``.
public enum RecordDocument {
    /// Front-matter keys, in the order templates and ``render(_:includeGuidance:)`` write them.
    public static let headerKeys = [
        "kind", "start", "client", "duration", "modality", "attendance", "labels", "sharing-summary",
    ]

    static let requiredHeaderKeys: Set<String> = ["kind", "start", "client", "modality", "attendance"]

    /// A blank document for `kind`: commented front matter with every key present and empty
    /// (except `kind` and the kind's default labels), then every section heading with its
    /// guidance as an HTML comment. Parsing it unchanged fails with `start is required`.
    public static func template(for kind: RecordKind) -> String {
        let labels = kind.defaultLabels.isEmpty ? "[]" : "[" + kind.defaultLabels.joined(separator: ", ") + "]"
        var labelComment = "# Labels: lowercase words joined by '-', e.g. [family, employment]. "
            + "Special-category labels: health, religious-belief."
        if !kind.defaultLabels.isEmpty {
            labelComment += "\n# A \(kind.title) is always labelled "
                + kind.defaultLabels.joined(separator: ", ") + "."
        }
        var out = """
            ---
            # \(kind.title). Fill in the header, then write under each heading.
            # Lines starting with '#' here, and the <!-- ... --> lines below, are ignored.
            kind: \(kind.rawValue)
            # Session start: YYYY-MM-DD HH:MM in your local time zone, or add an offset (2026-11-24T10:00+01:00).
            start:
            # Client reference: a pseudonym such as C-0042, never a name.
            client:
            # Duration in minutes (0 to 1440); may be left empty.
            duration:
            # one of: \(Modality.allCases.map(\.rawValue).joined(separator: ", "))
            modality:
            # one of: \(Attendance.allCases.map(\.rawValue).joined(separator: ", "))
            attendance:
            \(labelComment)
            labels: \(labels)
            # Sharing summary: one or two sentences written for disclosure; the minimum a partner needs.
            # Put it in double quotes if it contains ': ' or ' #'.
            sharing-summary:
            ---

            """
        for field in kind.fields {
            out += "\n## \(field.title)\n\n<!-- \(guidanceComment(for: field)) -->\n"
        }
        return out
    }

    static func guidanceComment(for field: FieldSpec) -> String {
        (field.required ? "Required. " : "") + field.guidance
    }

    /// Reads a note document into validated content.
    ///
    /// Errors carry the line: of the offending key or section heading; of the closing `---`
    /// when a required header key is absent; none when a required section is absent altogether.
    public static func parse(
        _ text: String, defaultTimeZone: TimeZone = .current
    ) throws(RecordInputError) -> RecordContent {
        let document: NoteDocument
        do throws(NoteDocumentError) {
            document = try NoteDocument.parse(text)
        } catch {
            throw RecordInputError(line: error.line, message: error.message, hint: error.hint)
        }

        var kind: RecordKind?
        var client: ClientReference?
        var start: SessionStart?
        var duration: Int?
        var modality: Modality?
        var attendance: Attendance?
        var labels: [String] = []
        var summary = ""
        var headerLines: [String: Int] = [:]

        for entry in document.frontMatter {
            let line = entry.line
            headerLines[entry.key] = line
            do throws(RecordInputError) {
                switch entry.key {
                case "labels":
                    switch entry.value {
                    case .list(let items):
                        for item in items { try RecordHeader.validateLabel(item) }
                        labels = items
                    case .scalar(let text):
                        guard text.isEmpty else {
                            throw RecordInputError(
                                message: "labels must be a list",
                                hint: "write labels: [\(text)]"
                            )
                        }
                    }
                default:
                    guard headerKeys.contains(entry.key) else {
                        throw RecordInputError(
                            message: "unknown front-matter key '\(entry.key)'",
                            hint: "the keys are: " + headerKeys.joined(separator: ", ")
                        )
                    }
                    guard case .scalar(let value) = entry.value else {
                        throw RecordInputError(message: "\(entry.key) must be a single value, not a list")
                    }
                    if value.isEmpty {
                        if requiredHeaderKeys.contains(entry.key) {
                            throw RecordInputError(
                                message: "\(entry.key) is required", hint: headerHint(entry.key))
                        }
                        continue
                    }
                    switch entry.key {
                    case "kind": kind = try RecordKind.parse(value)
                    case "client": client = try ClientReference(value)
                    case "start": start = try SessionStart(parsing: value, defaultTimeZone: defaultTimeZone)
                    case "duration": duration = try RecordHeader.parseDuration(value)
                    case "modality": modality = try Modality.parse(value)
                    case "attendance": attendance = try Attendance.parse(value)
                    default: summary = value
                    }
                }
            } catch {
                throw error.located(at: line)
            }
        }

        let closingLine = frontMatterClosingLine(of: text)
        func missing(_ key: String) -> RecordInputError {
            RecordInputError(line: closingLine, message: "\(key) is required", hint: headerHint(key))
        }
        guard let kind else { throw missing("kind") }
        guard let start else { throw missing("start") }
        guard let client else { throw missing("client") }
        guard let modality else { throw missing("modality") }
        guard let attendance else { throw missing("attendance") }

        var sections: [String: String] = [:]
        var sectionLines: [String: Int] = [:]
        for section in document.sections {
            guard let field = kind.field(matchingHeading: section.title) else {
                throw RecordInputError(
                    line: section.line,
                    message: "unknown section '\(section.title)' for a \(kind.title)",
                    hint: "the sections of a \(kind.rawValue) record are: "
                        + kind.fields.map { "'\($0.title)'" }.joined(separator: ", ")
                )
            }
            if let previous = sectionLines[field.key] {
                throw RecordInputError(
                    line: section.line,
                    message: "section '\(section.title)' repeats '\(field.title)' (line \(previous))"
                )
            }
            sectionLines[field.key] = section.line
            sections[field.key] = section.body
        }

        let content = RecordContent(
            header: RecordHeader(
                kind: kind, client: client, start: start, durationMinutes: duration,
                modality: modality, attendance: attendance, labels: labels, sharingSummary: summary
            ),
            sections: sections
        )
        return try content.validated { location in
            switch location {
            case .header(let key): headerLines[key] ?? closingLine
            case .section(let key): sectionLines[key]
            }
        }
    }

    private static func headerHint(_ key: String) -> String? {
        switch key {
        case "kind": "kind is one of: " + RecordKind.allCases.map(\.rawValue).joined(separator: ", ")
        case "start": SessionStart.formatHint
        case "client": "a pseudonymous reference such as C-0042, never a name"
        case "modality": "modality is one of: " + Modality.allCases.map(\.rawValue).joined(separator: ", ")
        case "attendance": "attendance is one of: " + Attendance.allCases.map(\.rawValue).joined(separator: ", ")
        default: nil
        }
    }

    /// The line number of the `---` that closes the front matter (the document parsed, so it
    /// exists).
    private static func frontMatterClosingLine(of text: String) -> Int? {
        var number = 0
        var sawOpening = false
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var bytes = line[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            if number == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            if bytes.elementsEqual("---".utf8) {
                if sawOpening { return number }
                sawOpening = true
            }
        }
        return nil
    }

    /// The note document for `content`: every header key, then every section heading of its
    /// kind in template order (empty ones too, so an editor shows them), each followed by its
    /// guidance comment when `includeGuidance` is set. ``parse(_:defaultTimeZone:)`` reads it
    /// back to `content` whenever `content` is the result of ``RecordContent/validated()``.
    /// `includeEmptySections: false` gives a compact document for reading; the default
    /// keeps every heading so the document is ready for editing.
    public static func render(_ content: RecordContent, includeGuidance: Bool = false, includeEmptySections: Bool = true) -> String {
        let header = content.header
        let frontMatter: [FrontMatterEntry] = [
            FrontMatterEntry(key: "kind", value: .scalar(header.kind.rawValue), line: 2),
            FrontMatterEntry(key: "start", value: .scalar(header.start.canonical), line: 3),
            FrontMatterEntry(key: "client", value: .scalar(header.client.rawValue), line: 4),
            FrontMatterEntry(key: "duration", value: .scalar(header.durationMinutes.map(String.init) ?? ""), line: 5),
            FrontMatterEntry(key: "modality", value: .scalar(header.modality.rawValue), line: 6),
            FrontMatterEntry(key: "attendance", value: .scalar(header.attendance.rawValue), line: 7),
            FrontMatterEntry(key: "labels", value: .list(header.labels), line: 8),
            FrontMatterEntry(key: "sharing-summary", value: .scalar(header.sharingSummary), line: 9),
        ]
        var out = NoteDocument(frontMatter: frontMatter, sections: []).rendered()
        for field in header.kind.fields where includeEmptySections || !(content.sections[field.key] ?? "").isEmpty {
            out += "\n## \(field.title)\n"
            if includeGuidance {
                out += "\n<!-- \(guidanceComment(for: field)) -->\n"
            }
            if let text = content.sections[field.key], !text.isEmpty {
                out += "\n\(text)\n"
            }
        }
        return out
    }
}
