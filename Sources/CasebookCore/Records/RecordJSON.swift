public import Foundation
internal import CasebookFormat

/// Records as JSON objects: one per line in `note import` (JSONL), and in `--json` output.
///
/// ```json
/// {"kind":"hii-session","client":"C-0042","start":"2026-11-03T10:00:00Z","duration":50,
///  "modality":"in-person","attendance":"attended","labels":["x"],"sharing-summary":"…",
///  "sections":{"focus":"…","session-number":"3"}}
/// ```
///
/// Reading is strict: the line holds exactly one JSON object (RFC 8259; surrounding whitespace
/// and a leading byte order mark are allowed); keys are exactly those above; `kind`, `client`,
/// `start`, `modality` and `attendance` are required strings; `duration` is absent or a JSON
/// integer (no fraction, no exponent) of minutes; `labels` is an array of strings;
/// `sharing-summary` a string; `sections` an object mapping field keys (not titles) to strings.
/// `null` is never accepted, duplicate keys are errors, an empty string for a required key counts
/// as missing, `kind`, `modality` and `attendance` are matched ignoring case, and `start` without
/// an offset is read in the given time zone. The content is then checked by ``RecordContent/validated()``; every
/// error names the line.
public enum RecordJSON {
    /// The keys of a record object, in output order.
    public static let keys = [
        "kind", "client", "start", "duration", "modality", "attendance", "labels", "sharing-summary", "sections",
    ]

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
        let contiguous: Result<RecordContent, RecordInputError>? = line.withContiguousStorageIfAvailable { buffer in
            do throws(RecordInputError) {
                return .success(
                    try parseLine(
                        UnsafeRawBufferPointer(buffer), lineNumber: lineNumber, defaultTimeZone: defaultTimeZone))
            } catch {
                return .failure(error)
            }
        }
        if let contiguous { return try contiguous.get() }
        let copy = Array(line)
        let result: Result<RecordContent, RecordInputError> = copy.withUnsafeBytes { buffer in
            do throws(RecordInputError) {
                return .success(try parseLine(buffer, lineNumber: lineNumber, defaultTimeZone: defaultTimeZone))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSONL line given as raw UTF-8 bytes.
    public static func parseLine(
        _ line: UnsafeRawBufferPointer, lineNumber: Int, defaultTimeZone: TimeZone
    ) throws(RecordInputError) -> RecordContent {
        var parser = JSONRecordParser(bytes: line, lineNumber: lineNumber)
        let fields = try parser.parseRecord()
        let content: RecordContent
        do throws(RecordInputError) {
            content = try fields.content(defaultTimeZone: defaultTimeZone)
        } catch {
            throw error.located(at: lineNumber)
        }
        return try content.validated { _ in lineNumber }
    }

    /// The JSON shape of a record, for `--json` output. Encode it with `JSONEncoder` (add
    /// `.sortedKeys` for stable output) or embed it in a larger `Encodable`; ``line(for:)``
    /// writes it compactly with keys in ``keys`` order and sections in field order. `duration`
    /// is omitted when unknown. Only `parseLine(_:lineNumber:defaultTimeZone:)`
    /// reads records: this type is deliberately not `Decodable`.
    public struct Object: Encodable, Equatable, Sendable {
        public var kind: String
        public var client: String
        public var start: String
        public var duration: Int?
        public var modality: String
        public var attendance: String
        public var labels: [String]
        public var sharingSummary: String
        public var sections: [String: String]

        enum CodingKeys: String, CodingKey {
            case kind, client, start, duration, modality, attendance, labels
            case sharingSummary = "sharing-summary"
            case sections
        }
    }

    /// The JSON object for `content`.
    public static func object(for content: RecordContent) -> Object {
        let header = content.header
        return Object(
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

    /// One compact JSON line (no trailing newline) for `content`, which
    /// `parseLine(_:lineNumber:defaultTimeZone:)` reads back to `content` when
    /// `content` is the result of ``RecordContent/validated()``.
    public static func line(for content: RecordContent) -> String {
        let header = content.header
        var out = "{\"kind\":"
        appendJSONString(header.kind.rawValue, to: &out)
        out += ",\"client\":"
        appendJSONString(header.client.rawValue, to: &out)
        out += ",\"start\":"
        appendJSONString(header.start.canonical, to: &out)
        if let minutes = header.durationMinutes {
            out += ",\"duration\":\(minutes)"
        }
        out += ",\"modality\":"
        appendJSONString(header.modality.rawValue, to: &out)
        out += ",\"attendance\":"
        appendJSONString(header.attendance.rawValue, to: &out)
        out += ",\"labels\":["
        for (index, label) in header.labels.enumerated() {
            if index > 0 { out += "," }
            appendJSONString(label, to: &out)
        }
        out += "],\"sharing-summary\":"
        appendJSONString(header.sharingSummary, to: &out)
        out += ",\"sections\":{"
        let order = header.kind.fields.map(\.key)
        let keys = order.filter { content.sections[$0] != nil }
            + content.sections.keys.filter { !order.contains($0) }.sorted()
        for (index, key) in keys.enumerated() {
            if index > 0 { out += "," }
            appendJSONString(key, to: &out)
            out += ":"
            appendJSONString(content.sections[key]!, to: &out)
        }
        out += "}}"
        return out
    }

    static func appendJSONString(_ text: String, to out: inout String) {
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

/// The raw values of one JSON record, before interpretation.
struct JSONRecordFields {
    var kind: String?
    var client: String?
    var start: String?
    var duration: Int?
    var modality: String?
    var attendance: String?
    var labels: [String] = []
    var sharingSummary = ""
    var sections: [String: String] = [:]

    func content(defaultTimeZone: TimeZone) throws(RecordInputError) -> RecordContent {
        func required(_ value: String?, _ key: String) throws(RecordInputError) -> String {
            guard let value, !value.isEmpty else { throw RecordInputError(message: "\(key) is required") }
            return value
        }
        let kind = try RecordKind.parse(try required(kind, "kind"))
        let client = try ClientReference(try required(client, "client"))
        let start = try SessionStart(parsing: try required(start, "start"), defaultTimeZone: defaultTimeZone)
        let modality = try Modality.parse(try required(modality, "modality"))
        let attendance = try Attendance.parse(try required(attendance, "attendance"))
        for label in labels { try RecordHeader.validateLabel(label) }
        if let duration { try RecordHeader.checkDuration(duration) }
        return RecordContent(
            header: RecordHeader(
                kind: kind, client: client, start: start, durationMinutes: duration,
                modality: modality, attendance: attendance, labels: labels, sharingSummary: sharingSummary
            ),
            sections: sections
        )
    }
}

/// A strict single-purpose JSON reader for one record object.
struct JSONRecordParser {
    let bytes: UnsafeRawBufferPointer
    let lineNumber: Int
    var index = 0

    init(bytes: UnsafeRawBufferPointer, lineNumber: Int) {
        self.bytes = bytes
        self.lineNumber = lineNumber
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    mutating func parseRecord() throws(RecordInputError) -> JSONRecordFields {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else {
            throw failure("expected a JSON object, found an empty line")
        }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw failure("expected a JSON object ('{'), found \(describeValue())")
        }
        index += 1
        var fields = JSONRecordFields()
        var seen: UInt16 = 0
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                let key = try parseKey(named: "key")
                guard let keyIndex = RecordJSON.keys.firstIndex(of: key) else {
                    throw failure(
                        "unknown key '\(key)'",
                        hint: "the keys are: " + RecordJSON.keys.joined(separator: ", ")
                    )
                }
                guard seen & (1 << keyIndex) == 0 else { throw failure("duplicate key '\(key)'") }
                seen |= 1 << keyIndex
                switch key {
                case "kind": fields.kind = try stringValue(for: key)
                case "client": fields.client = try stringValue(for: key)
                case "start": fields.start = try stringValue(for: key)
                case "duration": fields.duration = try durationValue()
                case "modality": fields.modality = try stringValue(for: key)
                case "attendance": fields.attendance = try stringValue(for: key)
                case "labels": fields.labels = try labelsValue()
                case "sharing-summary": fields.sharingSummary = try stringValue(for: key)
                default: fields.sections = try sectionsValue()
                }
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard peek() == UInt8(ascii: "}") else { throw syntax("',' or '}'") }
                index += 1
                break
            }
        }
        skipWhitespace()
        guard index == bytes.count else {
            throw failure("unexpected text after the JSON object at column \(column)",
                          hint: "put exactly one record on each line")
        }
        return fields
    }

    // MARK: Values

    private mutating func stringValue(for key: String) throws(RecordInputError) -> String {
        guard peek() == Self.quote else {
            throw failure("'\(key)' must be a string, not \(describeValue())")
        }
        return try parseString()
    }

    private mutating func durationValue() throws(RecordInputError) -> Int {
        let start = index
        guard let first = peek(), first == UInt8(ascii: "-") || isDigit(first) else {
            throw failure("'duration' must be a JSON integer (minutes), not \(describeValue())")
        }
        if first == UInt8(ascii: "-") { index += 1 }
        guard let lead = peek(), isDigit(lead) else { throw syntax("a digit") }
        var digits = 0
        var value = 0
        while let byte = peek(), isDigit(byte) {
            if digits < 12 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
            digits += 1
            index += 1
        }
        if lead == UInt8(ascii: "0") && digits > 1 {
            index = start
            throw syntax("a number without leading zeros")
        }
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw failure(
                "'duration' must be a whole number of minutes (a JSON integer, without fraction or exponent)")
        }
        if first == UInt8(ascii: "-") { value = -value }
        if digits > 12 { value = first == UInt8(ascii: "-") ? Int.min : Int.max }
        do throws(RecordInputError) {
            try RecordHeader.checkDuration(value)
        } catch {
            throw failure(digits > 12 ? "duration is out of range (0 to \(RecordHeader.maximumDurationMinutes) minutes)" : error.message)
        }
        return value
    }

    private mutating func labelsValue() throws(RecordInputError) -> [String] {
        guard peek() == UInt8(ascii: "[") else {
            throw failure("'labels' must be an array of strings, not \(describeValue())")
        }
        index += 1
        var labels: [String] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return labels
        }
        while true {
            skipWhitespace()
            guard peek() == Self.quote else {
                throw failure("'labels' must be an array of strings; found \(describeValue())")
            }
            labels.append(try parseString())
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard peek() == UInt8(ascii: "]") else { throw syntax("',' or ']'") }
            index += 1
            return labels
        }
    }

    private mutating func sectionsValue() throws(RecordInputError) -> [String: String] {
        guard peek() == UInt8(ascii: "{") else {
            throw failure("'sections' must be an object of strings, not \(describeValue())")
        }
        index += 1
        var sections: [String: String] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return sections
        }
        while true {
            let key = try parseKey(named: "section key")
            guard peek() == Self.quote else {
                throw failure("section '\(key)' must be a string, not \(describeValue())")
            }
            let text = try parseString()
            guard sections.updateValue(text, forKey: key) == nil else {
                throw failure("duplicate section '\(key)'")
            }
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard peek() == UInt8(ascii: "}") else { throw syntax("',' or '}'") }
            index += 1
            return sections
        }
    }

    /// Parses the string starting at the current `"`.
    /// `"key" :` with the whitespace around it; leaves `index` at the value.
    private mutating func parseKey(named what: String) throws(RecordInputError) -> String {
        skipWhitespace()
        guard peek() == Self.quote else { throw syntax("a \(what) in double quotes") }
        let key = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw syntax("':' after the \(what)") }
        index += 1
        skipWhitespace()
        return key
    }

    private mutating func parseString() throws(RecordInputError) -> String {
        let opening = index
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                let text = try makeString(UnsafeRawBufferPointer(rebasing: bytes[start..<index]), at: opening)
                index += 1
                return text
            }
            if byte == Self.backslash { break }
            if byte < 0x20 { throw syntax("no raw control characters in a string (escape them)") }
            index += 1
        }
        guard index < bytes.count else {
            index = opening
            throw syntax("a closing '\"' for this string")
        }
        // Slow path: escapes.
        var buffer = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                let text: String? = buffer.withUnsafeBytes { StrictUTF8.string($0) }
                guard let text else {
                    index = opening
                    throw failure("invalid UTF-8 in the string at column \(column)")
                }
                return text
            }
            if byte < 0x20 { throw syntax("no raw control characters in a string (escape them)") }
            guard byte == Self.backslash else {
                buffer.append(byte)
                index += 1
                continue
            }
            index += 1
            guard let escape = peek() else { break }
            index += 1
            switch escape {
            case Self.quote: buffer.append(Self.quote)
            case Self.backslash: buffer.append(Self.backslash)
            case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800...0xDBFF).contains(value) {
                    guard peek() == Self.backslash, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                        throw syntax("a low surrogate '\\uDC00'…'\\uDFFF' after a high surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw syntax("a low surrogate '\\uDC00'…'\\uDFFF' after a high surrogate")
                    }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(value) {
                    throw syntax("no unpaired low surrogate")
                }
                buffer.append(contentsOf: String(Character(Unicode.Scalar(value)!)).utf8)
            default:
                index -= 1
                throw syntax("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }
        index = opening
        throw syntax("a closing '\"' for this string")
    }

    private mutating func hex4() throws(RecordInputError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw syntax("four hexadecimal digits after '\\u'") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("four hexadecimal digits after '\\u'")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func makeString(_ raw: UnsafeRawBufferPointer, at opening: Int) throws(RecordInputError) -> String {
        guard let text = StrictUTF8.string(raw) else {
            var copy = self
            copy.index = opening
            throw copy.failure("invalid UTF-8 in the string at column \(copy.column)")
        }
        return text
    }

    // MARK: Helpers

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// 1-based column of `index`, counted in Unicode scalars.
    private var column: Int {
        var count = 1
        var position = 0
        while position < min(index, bytes.count) {
            if bytes[position] & 0xC0 != 0x80 { count += 1 }
            position += 1
        }
        return count
    }

    private func describeValue() -> String {
        guard let byte = peek() else { return "the end of the line" }
        switch byte {
        case Self.quote: return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "invalid JSON at column \(column)"
        }
    }

    private func failure(_ message: String, hint: String? = nil) -> RecordInputError {
        RecordInputError(line: lineNumber, message: message, hint: hint)
    }

    private func syntax(_ expected: String) -> RecordInputError {
        let found: String
        if let byte = peek() {
            found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
        } else {
            found = "the end of the line"
        }
        return failure("invalid JSON at column \(column): expected \(expected), found \(found)")
    }
}
