/// A strict single-purpose JSON reader for one record object: one pass over the bytes, strings
/// made straight from them (copied only when they hold escapes), errors naming the column.
struct RecordJSONScanner {
    let bytes: UnsafeRawBufferPointer
    let lineNumber: Int
    var index = 0

    init(bytes: UnsafeRawBufferPointer, lineNumber: Int) {
        self.bytes = bytes
        self.lineNumber = lineNumber
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    mutating func scanRecord() throws(RecordJSONError) -> RecordJSONObject {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else {
            throw failure("expected a JSON object, found an empty line")
        }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw failure("expected a JSON object ('{'), found \(describeValue())")
        }
        index += 1
        var fields = RecordJSONObject()
        var seen: UInt16 = 0
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                let key = try parseKey(named: "key")
                guard let keyIndex = RecordJSONObject.keys.firstIndex(of: key) else {
                    throw failure(
                        "unknown key '\(key)'",
                        hint: "the keys are: " + RecordJSONObject.keys.joined(separator: ", ")
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

    private mutating func stringValue(for key: String) throws(RecordJSONError) -> String {
        guard peek() == Self.quote else {
            throw failure("'\(key)' must be a string, not \(describeValue())")
        }
        return try parseString()
    }

    /// A JSON integer; the domain checks its range. Digits beyond ``RecordJSONObject/durationDigits``
    /// saturate instead of overflowing.
    private mutating func durationValue() throws(RecordJSONError) -> Int {
        let start = index
        guard let first = peek(), first == UInt8(ascii: "-") || isDigit(first) else {
            throw failure("'duration' must be a JSON integer (minutes), not \(describeValue())")
        }
        if first == UInt8(ascii: "-") { index += 1 }
        guard let lead = peek(), isDigit(lead) else { throw syntax("a digit") }
        var digits = 0
        var value = 0
        while let byte = peek(), isDigit(byte) {
            if digits < RecordJSONObject.durationDigits { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
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
        if digits > RecordJSONObject.durationDigits { return first == UInt8(ascii: "-") ? Int.min : Int.max }
        return first == UInt8(ascii: "-") ? -value : value
    }

    private mutating func labelsValue() throws(RecordJSONError) -> [String] {
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

    private mutating func sectionsValue() throws(RecordJSONError) -> [String: String] {
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

    /// `"key" :` with the whitespace around it; leaves `index` at the value.
    private mutating func parseKey(named what: String) throws(RecordJSONError) -> String {
        skipWhitespace()
        guard peek() == Self.quote else { throw syntax("a \(what) in double quotes") }
        let key = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw syntax("':' after the \(what)") }
        index += 1
        skipWhitespace()
        return key
    }

    /// Parses the string starting at the current `"`.
    private mutating func parseString() throws(RecordJSONError) -> String {
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

    private mutating func hex4() throws(RecordJSONError) -> UInt32 {
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

    private func makeString(_ raw: UnsafeRawBufferPointer, at opening: Int) throws(RecordJSONError) -> String {
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

    private func failure(_ message: String, hint: String? = nil) -> RecordJSONError {
        RecordJSONError(line: lineNumber, message: message, hint: hint)
    }

    private func syntax(_ expected: String) -> RecordJSONError {
        let found: String
        if let byte = peek() {
            found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
        } else {
            found = "the end of the line"
        }
        return failure("invalid JSON at column \(column): expected \(expected), found \(found)")
    }
}
