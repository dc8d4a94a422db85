/// A record as a JSON object: one per line in `note import` (JSONL), and in `--json` output.
///
/// ```json
/// {"kind":"hii-session","client":"C-0042","start":"2026-11-03T10:00:00Z","duration":50,
///  "modality":"in-person","attendance":"attended","labels":["x"],"sharing-summary":"…",
///  "sections":{"focus":"…","session-number":"3"}}
/// ```
///
/// Plain strings and numbers: what the values mean (kinds, session times, client references,
/// the duration's range) is the domain's to check. Reading is strict (``init(parsing:lineNumber:)``):
/// the line holds exactly one JSON object (RFC 8259; surrounding whitespace and a leading byte
/// order mark are allowed); keys are exactly ``keys``; `kind`, `client`, `start`, `modality`,
/// `attendance` and `sharing-summary` are strings, `duration` a JSON integer (no fraction, no
/// exponent, no leading zeros), `labels` an array of strings, `sections` an object of strings.
/// `null` is never accepted and duplicate keys or sections are errors. Encoding with
/// `JSONEncoder` gives the `--json` shape (`duration` omitted when unknown); only the parser
/// reads records, so this type is deliberately not `Decodable`.
public struct RecordJSONObject: Encodable, Equatable, Sendable {
    /// The keys of a record object, in output order.
    public static let keys = [
        "kind", "client", "start", "duration", "modality", "attendance", "labels", "sharing-summary", "sections",
    ]

    /// Empty when the key is absent: the domain treats an empty required value as missing.
    public var kind: String
    public var client: String
    public var start: String
    /// Minutes. An integer of more than ``durationDigits`` digits is read as `Int.max` (or
    /// `Int.min` when negative): out of any range, without overflowing.
    public var duration: Int?
    public var modality: String
    public var attendance: String
    public var labels: [String]
    public var sharingSummary: String
    /// Field keys (not titles) to their text.
    public var sections: [String: String]

    /// The digits of `duration` read exactly; more saturate (see ``duration``).
    public static let durationDigits = 12

    public init(
        kind: String = "", client: String = "", start: String = "", duration: Int? = nil, modality: String = "",
        attendance: String = "", labels: [String] = [], sharingSummary: String = "", sections: [String: String] = [:]
    ) {
        self.kind = kind
        self.client = client
        self.start = start
        self.duration = duration
        self.modality = modality
        self.attendance = attendance
        self.labels = labels
        self.sharingSummary = sharingSummary
        self.sections = sections
    }

    enum CodingKeys: String, CodingKey {
        case kind, client, start, duration, modality, attendance, labels
        case sharingSummary = "sharing-summary"
        case sections
    }

    // MARK: Reading

    /// Parses one JSONL line given as UTF-8 bytes (without its line terminator; a final `\r`
    /// is whitespace and allowed). A blank line is an error ("expected a JSON object"); callers
    /// that allow blank lines skip them first. Invalid UTF-8 is an error.
    public init(parsing line: some Collection<UInt8>, lineNumber: Int) throws(RecordJSONError) {
        let contiguous: Result<RecordJSONObject, RecordJSONError>? = line.withContiguousStorageIfAvailable { buffer in
            Result { () throws(RecordJSONError) in
                try RecordJSONObject(parsing: UnsafeRawBufferPointer(buffer), lineNumber: lineNumber)
            }
        }
        if let contiguous {
            self = try contiguous.get()
            return
        }
        let copy = Array(line)
        let result: Result<RecordJSONObject, RecordJSONError> = copy.withUnsafeBytes { buffer in
            Result { () throws(RecordJSONError) in try RecordJSONObject(parsing: buffer, lineNumber: lineNumber) }
        }
        self = try result.get()
    }

    /// Parses one JSONL line given as raw UTF-8 bytes, in one pass without copying them.
    public init(parsing line: UnsafeRawBufferPointer, lineNumber: Int) throws(RecordJSONError) {
        var scanner = RecordJSONScanner(bytes: line, lineNumber: lineNumber)
        self = try scanner.scanRecord()
    }

    // MARK: Writing

    /// One compact JSON line (no trailing newline): keys in ``keys`` order, `duration` omitted
    /// when unknown, sections in `sectionOrder` and then any others sorted, so a kind's fields
    /// read in the order the kind lists them.
    public func line(sectionOrder: [String]) -> String {
        var out = "{\"kind\":"
        Self.appendString(kind, to: &out)
        out += ",\"client\":"
        Self.appendString(client, to: &out)
        out += ",\"start\":"
        Self.appendString(start, to: &out)
        if let duration {
            out += ",\"duration\":\(duration)"
        }
        out += ",\"modality\":"
        Self.appendString(modality, to: &out)
        out += ",\"attendance\":"
        Self.appendString(attendance, to: &out)
        out += ",\"labels\":["
        for (index, label) in labels.enumerated() {
            if index > 0 { out += "," }
            Self.appendString(label, to: &out)
        }
        out += "],\"sharing-summary\":"
        Self.appendString(sharingSummary, to: &out)
        out += ",\"sections\":{"
        let ordered = sectionOrder.filter { sections[$0] != nil }
            + sections.keys.filter { !sectionOrder.contains($0) }.sorted()
        for (index, key) in ordered.enumerated() {
            if index > 0 { out += "," }
            Self.appendString(key, to: &out)
            out += ":"
            Self.appendString(sections[key]!, to: &out)
        }
        out += "}}"
        return out
    }

    /// A JSON string: `"` and `\` escaped, `\n`, `\r`, `\t` by name, other controls as `\u00XX`.
    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
