internal import CasebookFormat

/// A record's header and kind-specific sections, before ids, authors and revisions.
public struct RecordContent: Equatable, Sendable {
    public var header: RecordHeader
    /// Field key → text. After ``validated()``: only keys of `header.kind`, only non-empty
    /// values, trimmed, with `\r\n` turned into `\n`, and typed fields in canonical form.
    public var sections: [String: String]

    public init(header: RecordHeader, sections: [String: String] = [:]) {
        self.header = header
        self.sections = sections
    }

    /// The text of one section, if present.
    public subscript(field key: String) -> String? {
        sections[key]
    }

    /// This content checked and put in canonical form.
    ///
    /// Checks: duration 0…1440; every label's syntax (and adds the kind's default labels);
    /// no control characters other than tab and newline in the sharing summary or any section;
    /// no unknown section key; every required section present; `positiveInteger` sections are
    /// 1…100000 written without sign or leading zeros; `yesNo` sections are `yes` or `no`
    /// (lowercased); `choice` sections are one of the options (case-normalised); and each
    /// section's text survives a round trip through the Markdown document (no `## ` line, no
    /// whole-line HTML comment, no unclosed code fence).
    public func validated() throws(RecordInputError) -> RecordContent {
        try validated { _ in nil }
    }

    /// Like ``validated()``, but the sections in `withheld` may be absent even when
    /// required: a record received in a handover whose sender withheld them.
    public func validated(withheld: Set<String>) throws(RecordInputError) -> RecordContent {
        try validated(locate: { _ in nil }, withheld: withheld)
    }

    /// Where a value came from, so errors can name a line.
    enum Location: Equatable {
        case header(String)
        case section(String)
    }

    func validated(locate: (Location) -> Int?, withheld: Set<String> = []) throws(RecordInputError) -> RecordContent {
        var header = header
        let kind = header.kind
        if let minutes = header.durationMinutes {
            do throws(RecordInputError) {
                try RecordHeader.checkDuration(minutes)
            } catch {
                throw error.located(at: locate(.header("duration")))
            }
        }
        for label in header.labels {
            do throws(RecordInputError) {
                try RecordHeader.validateLabel(label)
            } catch {
                throw error.located(at: locate(.header("labels")))
            }
        }
        header.labels = RecordHeader.normalizedLabels(header.labels, for: kind)
        let summary = Self.normalizedText(header.sharingSummary)
        if let problem = Self.controlCharacter(in: summary) {
            throw RecordInputError(
                line: locate(.header("sharing-summary")),
                message: "sharing-summary contains the control character \(problem)")
        }
        header.sharingSummary = summary

        for key in sections.keys.sorted() where kind.field(forKey: key) == nil {
            throw RecordInputError(
                line: locate(.section(key)),
                message: "unknown section '\(key)' for a \(kind.title)",
                hint: "the sections of a \(kind.rawValue) record are: "
                    + kind.fields.map(\.key).joined(separator: ", ")
            )
        }

        var output: [String: String] = [:]
        for field in kind.fields {
            let line = locate(.section(field.key))
            let text = Self.normalizedText(sections[field.key] ?? "")
            if text.isEmpty {
                if field.required && !withheld.contains(field.key) {
                    throw RecordInputError(
                        line: line,
                        message: "\(field.title) is required",
                        hint: Self.requiredHint(field)
                    )
                }
                continue
            }
            output[field.key] = try Self.checked(text, for: field, line: line)
        }
        return RecordContent(header: header, sections: output)
    }

    private static func requiredHint(_ field: FieldSpec) -> String {
        "write it under '## \(field.title)' (JSON: sections.\(field.key)): \(field.guidance)"
    }

    private static func checked(_ text: String, for field: FieldSpec, line: Int?) throws(RecordInputError) -> String {
        if let problem = controlCharacter(in: text) {
            throw RecordInputError(line: line, message: "\(field.title) contains the control character \(problem)")
        }
        switch field.type {
        case .text:
            do throws(NoteDocumentError) {
                try NoteDocument.validateSectionBody(text)
            } catch {
                let position = error.line.map { ", line \($0) of its text" } ?? ""
                throw RecordInputError(
                    line: line, message: "\(field.title)\(position): \(error.message)", hint: error.hint)
            }
            return text
        case .positiveInteger:
            let bytes = Array(text.utf8)
            guard let first = bytes.first, first != UInt8(ascii: "0"), bytes.count <= 6,
                  bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let value = Int(text), value <= FieldType.positiveIntegerMaximum
            else {
                throw RecordInputError(
                    line: line,
                    message: "\(field.title) must be a whole number from 1 to \(FieldType.positiveIntegerMaximum)",
                    hint: "write digits only, without sign or leading zeros, e.g. 3"
                )
            }
            return text
        case .yesNo:
            let folded = text.lowercased()
            guard folded == "yes" || folded == "no" else {
                throw RecordInputError(line: line, message: "\(field.title) must be 'yes' or 'no'")
            }
            return folded
        case .choice(let options):
            let folded = text.lowercased()
            guard let option = options.first(where: { $0.lowercased() == folded }) else {
                throw RecordInputError(
                    line: line,
                    message: "\(field.title) must be one of: " + options.joined(separator: ", ")
                )
            }
            return option
        }
    }

    /// `\r\n` → `\n`, then surrounding whitespace and newlines removed.
    static func normalizedText(_ text: String) -> String {
        var text = text
        if containsByte(UInt8(ascii: "\r"), in: text) {
            let bytes = Array(text.utf8)
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") {
                    continue
                }
                output.append(byte)
            }
            text = String(decoding: output, as: UTF8.self)
        }
        let scalars = text.unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        while lower < upper && scalars[lower].properties.isWhitespace {
            lower = scalars.index(after: lower)
        }
        while lower < upper {
            let previous = scalars.index(before: upper)
            guard scalars[previous].properties.isWhitespace else { break }
            upper = previous
        }
        if lower == scalars.startIndex && upper == scalars.endIndex { return text }
        return String(Substring(scalars[lower..<upper]))
    }

    /// Whether `text`'s UTF-8 contains `byte` (a tight loop over contiguous storage).
    static func containsByte(_ byte: UInt8, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            for candidate in buffer where candidate == byte { return true }
            return false
        }
    }

    /// The first control character other than tab and newline, as `U+XXXX`.
    static func controlCharacter(in text: String) -> String? {
        // Every such character is ASCII, so a byte scan finds exactly them.
        var text = text
        let found: UInt8? = text.withUTF8 { buffer in
            for byte in buffer where (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F {
                return byte
            }
            return nil
        }
        guard let found else { return nil }
        let hex = String(found, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    // MARK: Storage fields

    /// Header keys in storage (and document) order.
    static let storageHeaderKeys = [
        "kind", "client", "start", "duration", "modality", "attendance", "labels", "sharing-summary",
    ]

    /// Prefix of section keys in ``storageFields``.
    public static let sectionKeyPrefix = "s."

    /// The record as `(key, value)` pairs for ``FieldListEncoding``:
    /// `kind`, `client`, `start` (canonical RFC 3339), `duration` (decimal minutes; omitted
    /// when unknown), `modality`, `attendance`, `labels` (comma-joined, possibly empty),
    /// `sharing-summary` (possibly empty), then one `s.<field key>` per non-empty section in
    /// the kind's field order. For content returned by ``validated()``,
    /// `RecordContent(storageFields: content.storageFields) == content`.
    public var storageFields: [(key: String, value: String)] {
        var fields: [(key: String, value: String)] = [
            (key: "kind", value: header.kind.rawValue),
            (key: "client", value: header.client.rawValue),
            (key: "start", value: header.start.canonical),
        ]
        if let minutes = header.durationMinutes {
            fields.append((key: "duration", value: String(minutes)))
        }
        fields.append((key: "modality", value: header.modality.rawValue))
        fields.append((key: "attendance", value: header.attendance.rawValue))
        fields.append((key: "labels", value: header.labels.joined(separator: ",")))
        fields.append((key: "sharing-summary", value: header.sharingSummary))
        let order = header.kind.fields.map(\.key)
        for key in order {
            if let text = sections[key], !text.isEmpty {
                fields.append((key: Self.sectionKeyPrefix + key, value: text))
            }
        }
        for key in sections.keys.sorted() where !order.contains(key) {
            fields.append((key: Self.sectionKeyPrefix + key, value: sections[key]!))
        }
        return fields
    }

    /// Rebuilds content from ``storageFields`` and validates it. Unknown or repeated keys and
    /// missing required header keys are errors; `start` must carry its offset.
    public init(storageFields: [(key: String, value: String)]) throws(RecordInputError) {
        var headerFields: [(key: String, value: String)] = []
        var sections: [String: String] = [:]
        for field in storageFields {
            if field.key.hasPrefix(Self.sectionKeyPrefix) {
                let key = String(field.key.dropFirst(Self.sectionKeyPrefix.count))
                guard sections.updateValue(field.value, forKey: key) == nil else {
                    throw RecordInputError(message: "stored record repeats the field '\(field.key)'")
                }
            } else {
                headerFields.append(field)
            }
        }
        let content = RecordContent(header: try RecordHeader(storageFields: headerFields), sections: sections)
        self = try content.validated()
    }
}

extension RecordHeader {
    /// The header alone from its ``RecordContent/storageFields`` (listings decrypt only this part).
    public init(storageFields: [(key: String, value: String)]) throws(RecordInputError) {
        var kind: String?, client: String?, start: String?, duration: String?, modality: String?
        var attendance: String?, labels: String?, summary: String?
        func set(_ slot: inout String?, _ field: (key: String, value: String)) throws(RecordInputError) {
            guard slot == nil else { throw RecordInputError(message: "stored record repeats the field '\(field.key)'") }
            slot = field.value
        }
        for field in storageFields {
            switch field.key {
            case "kind": try set(&kind, field)
            case "client": try set(&client, field)
            case "start": try set(&start, field)
            case "duration": try set(&duration, field)
            case "modality": try set(&modality, field)
            case "attendance": try set(&attendance, field)
            case "labels": try set(&labels, field)
            case "sharing-summary": try set(&summary, field)
            default: throw RecordInputError(message: "stored record has an unknown field '\(field.key)'")
            }
        }
        func required(_ value: String?, _ key: String) throws(RecordInputError) -> String {
            guard let value else { throw RecordInputError(message: "stored record has no '\(key)' field") }
            return value
        }
        let labelText = labels ?? ""
        self.init(
            kind: try RecordKind.parse(try required(kind, "kind")),
            client: try ClientReference(try required(client, "client")),
            start: try SessionStart(canonical: try required(start, "start")),
            durationMinutes: try duration.map { text throws(RecordInputError) in try RecordHeader.parseDuration(text) },
            modality: try Modality.parse(try required(modality, "modality")),
            attendance: try Attendance.parse(try required(attendance, "attendance")),
            labels: labelText.isEmpty ? [] : labelText.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
            sharingSummary: summary ?? "")
    }
}
