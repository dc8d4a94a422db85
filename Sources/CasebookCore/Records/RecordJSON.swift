public import Foundation
public import CasebookFormat

/// Records as JSON lines for `note import` and as objects in `--json` output. The wire shape
/// and its strict reader are Format's ``RecordJSONObject``; here its strings become a
/// ``RecordContent``: `kind`, `modality` and `attendance` are matched ignoring case, `start`
/// without an offset is read in the given time zone, an empty required value counts as
/// missing, and the content is checked by ``RecordContent/validated()``. Every error is a
/// ``RecordInputError`` naming the line.
public enum RecordJSON {
    /// The keys of a record object, in output order.
    public static let keys = RecordJSONObject.keys

    /// Parses one JSONL line. A blank line is an error ("expected a JSON object"); callers that
    /// allow blank lines in their input skip them before calling.
    public static func parseLine(
        _ line: String, lineNumber: Int, defaultTimeZone: TimeZone
    ) throws(RecordInputError) -> RecordContent {
        try parseLine(line.utf8, lineNumber: lineNumber, defaultTimeZone: defaultTimeZone)
    }

    /// Parses one JSONL line.
    public static func parseLine(
        _ line: Substring, lineNumber: Int, defaultTimeZone: TimeZone
    ) throws(RecordInputError) -> RecordContent {
        try parseLine(line.utf8, lineNumber: lineNumber, defaultTimeZone: defaultTimeZone)
    }

    /// Parses one JSONL line given as UTF-8 bytes (without its line terminator; a final `\r`
    /// is whitespace and allowed). Invalid UTF-8 is an error.
    public static func parseLine(
        _ line: some Collection<UInt8>, lineNumber: Int, defaultTimeZone: TimeZone
    ) throws(RecordInputError) -> RecordContent {
        try content(lineNumber: lineNumber, defaultTimeZone: defaultTimeZone) { () throws(RecordJSONError) in
            try RecordJSONObject(parsing: line, lineNumber: lineNumber)
        }
    }

    /// Parses one JSONL line given as raw UTF-8 bytes.
    public static func parseLine(
        _ line: UnsafeRawBufferPointer, lineNumber: Int, defaultTimeZone: TimeZone
    ) throws(RecordInputError) -> RecordContent {
        try content(lineNumber: lineNumber, defaultTimeZone: defaultTimeZone) { () throws(RecordJSONError) in
            try RecordJSONObject(parsing: line, lineNumber: lineNumber)
        }
    }

    /// Format's object from `parse`, then the domain's content from it.
    private static func content(
        lineNumber: Int, defaultTimeZone: TimeZone, _ parse: () throws(RecordJSONError) -> RecordJSONObject
    ) throws(RecordInputError) -> RecordContent {
        let object: RecordJSONObject
        do {
            object = try parse()
        } catch {
            throw RecordInputError(error)
        }
        return try object.content(lineNumber: lineNumber, defaultTimeZone: defaultTimeZone)
    }

    /// The JSON object for `content`, for `--json` output (encode it with `JSONEncoder`).
    public static func object(for content: RecordContent) -> RecordJSONObject {
        let header = content.header
        return RecordJSONObject(
            kind: header.kind.rawValue,
            client: header.client.rawValue,
            start: header.start.canonical,
            duration: header.durationMinutes,
            modality: header.modality.rawValue,
            attendance: header.attendance.rawValue,
            labels: header.labels,
            sharingSummary: header.sharingSummary,
            sections: content.sections
        )
    }

    /// One compact JSON line (no trailing newline) for `content`, sections in the kind's field
    /// order, which `parseLine(_:lineNumber:defaultTimeZone:)` reads back to `content` when
    /// `content` is the result of ``RecordContent/validated()``.
    public static func line(for content: RecordContent) -> String {
        object(for: content).line(sectionOrder: content.header.kind.fields.map(\.key))
    }
}

extension RecordInputError {
    /// Format's refusal of a JSON line, with its line, message and hint unchanged.
    init(_ error: RecordJSONError) {
        self.init(line: error.line, message: error.message, hint: error.hint)
    }
}

extension RecordJSONObject {
    /// The domain's record from the wire strings, validated; errors name `lineNumber`.
    func content(lineNumber: Int, defaultTimeZone: TimeZone) throws(RecordInputError) -> RecordContent {
        let content: RecordContent
        do throws(RecordInputError) {
            content = try unvalidatedContent(defaultTimeZone: defaultTimeZone)
        } catch {
            throw error.located(at: lineNumber)
        }
        return try content.validated { _ in lineNumber }
    }

    private func unvalidatedContent(defaultTimeZone: TimeZone) throws(RecordInputError) -> RecordContent {
        func required(_ value: String, _ key: String) throws(RecordInputError) -> String {
            guard !value.isEmpty else { throw RecordInputError(message: "\(key) is required") }
            return value
        }
        // The duration first: the scanner used to refuse it where it stood, before the others.
        if let duration {
            guard duration != .max && duration != .min else {
                throw RecordInputError(
                    message: "duration is out of range (0 to \(RecordHeader.maximumDurationMinutes) minutes)")
            }
            try RecordHeader.checkDuration(duration)
        }
        let kind = try RecordKind.parse(try required(kind, "kind"))
        let client = try ClientReference(try required(client, "client"))
        let start = try SessionStart(parsing: try required(start, "start"), defaultTimeZone: defaultTimeZone)
        let modality = try Modality.parse(try required(modality, "modality"))
        let attendance = try Attendance.parse(try required(attendance, "attendance"))
        for label in labels { try RecordHeader.validateLabel(label) }
        return RecordContent(
            header: RecordHeader(
                kind: kind, client: client, start: start, durationMinutes: duration,
                modality: modality, attendance: attendance, labels: labels, sharingSummary: sharingSummary
            ),
            sections: sections
        )
    }
}
