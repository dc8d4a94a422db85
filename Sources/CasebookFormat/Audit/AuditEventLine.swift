/// One audit event as a line of an audit bundle: its canonical JSON (docs/formats.md §9.2),
/// checked by a strict scanner instead of a JSON decoder, because a verifier reads a million
/// of them. The scanner accepts exactly what `AuditEvent.canonicalBytes()` writes — and any
/// key a newer Casebook may add, as long as it follows the same rules — and extracts only
/// what verification needs: the sequence number, the action and the time.
///
/// Accepted: one object; no white space outside strings; object keys 1–64 bytes of
/// `a–z 0–9 -` starting with a letter, strictly increasing in byte order (so sorted, no
/// duplicates); values are objects, arrays, strings, integers (`-?(0|[1-9][0-9]*)`, at most
/// 18 digits, no `-0`), `true` or `false` — never `null`, never a fraction; strings are strict
/// UTF-8 whose only escapes are JSONEncoder's (`\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, and
/// `\u00xx` in lower-case hex for the other control characters); nesting at most 8 deep.
/// The event's own keys `version` (a positive integer), `salt` (32 lower-case hex digits),
/// `sequence` (a non-negative integer), `time` (`YYYY-MM-DDTHH:MM:SSZ`), `actor` (a string)
/// and `action` (1–64 bytes of `a–z 0–9 . -`) must be present.
public enum AuditEventLine {
    /// Longest event line accepted (a handover of many records lists every record id).
    public static let maximumByteCount = 16 << 20

    /// What the verifier reads from a line: byte ranges into the line for the strings.
    public struct Fields: Equatable, Sendable {
        public let sequence: UInt64
        public let action: Range<Int>
        public let time: Range<Int>
    }

    /// Why a line was refused: a short reason and the byte offset where it was found.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) (byte \(offset))" }
    }

    /// Scans `line` (without its newline) strictly; returns the fields or the first problem.
    public static func scan(_ line: UnsafeRawBufferPointer) throws(Problem) -> Fields {
        guard line.count <= maximumByteCount else { throw Problem(offset: maximumByteCount, reason: "the line is longer than \(maximumByteCount >> 20) MiB") }
        guard let base = line.baseAddress, line.count > 0 else { throw Problem(offset: 0, reason: "the line is empty") }
        var scanner = Scanner(base: base.assumingMemoryBound(to: UInt8.self), end: line.count)
        return try scanner.event()
    }

    /// The same for bytes in an array.
    public static func scan(_ line: [UInt8]) throws(Problem) -> Fields {
        do {
            return try line.withUnsafeBytes { raw in try scan(raw) }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(offset: 0, reason: "\(error)")
        }
    }
}

/// The scanner itself: one pass, no allocation for a well-formed line.
private struct Scanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    var index = 0

    static let maximumDepth = 8

    @inline(__always) func fail(_ reason: String) -> AuditEventLine.Problem {
        AuditEventLine.Problem(offset: index, reason: reason)
    }

    @inline(__always) var current: UInt8? { index < end ? base[index] : nil }

    @inline(__always) mutating func expect(_ byte: UInt8, _ what: String) throws(AuditEventLine.Problem) {
        guard index < end, base[index] == byte else { throw fail("expected \(what)") }
        index += 1
    }

    /// The top-level object with the event's required keys.
    mutating func event() throws(AuditEventLine.Problem) -> AuditEventLine.Fields {
        try expect(UInt8(ascii: "{"), "'{' (an event is one JSON object)")
        var sequence: UInt64?
        var action: Range<Int>?
        var time: Range<Int>?
        var seen = 0  // bit per required key
        var previousKey: Range<Int>? = nil
        if current == UInt8(ascii: "}") { throw fail("the event has no keys") }
        while true {
            let key = try key(after: previousKey)
            previousKey = key
            try expect(UInt8(ascii: ":"), "':' after a key")
            let valueStart = index
            switch keyID(key) {
            case 1:  // action
                let inner = try string()
                guard (1...64).contains(inner.count), inner.allSatisfy({ Self.isActionByte(base[$0]) }) else {
                    index = valueStart
                    throw fail("'action' must be 1–64 characters of a–z 0–9 . -")
                }
                action = inner
                seen |= 1
            case 2:  // actor
                _ = try string()
                seen |= 2
            case 3:  // salt
                let inner = try string()
                guard inner.count == 32, inner.allSatisfy({ Self.isLowerHex(base[$0]) }) else {
                    index = valueStart
                    throw fail("'salt' must be 32 lower-case hex digits")
                }
                seen |= 4
            case 4:  // sequence
                guard let value = try? integer(), value >= 0 else {
                    index = valueStart
                    throw fail("'sequence' must be a non-negative integer")
                }
                sequence = UInt64(value)
                seen |= 8
            case 5:  // time
                let inner = try string()
                guard isTimestamp(inner) else {
                    index = valueStart
                    throw fail("'time' must be YYYY-MM-DDTHH:MM:SSZ")
                }
                time = inner
                seen |= 16
            case 6:  // version
                guard let value = try? integer(), value >= 1 else {
                    index = valueStart
                    throw fail("'version' must be a positive integer")
                }
                seen |= 32
            default:
                try value(depth: 1)
            }
            guard let byte = current else { throw fail("the object is not closed") }
            if byte == UInt8(ascii: ",") { index += 1; continue }
            if byte == UInt8(ascii: "}") { index += 1; break }
            throw fail("expected ',' or '}'")
        }
        guard index == end else { throw fail("text after the event's closing '}'") }
        guard seen == 63, let sequence, let action, let time else {
            let missing = Self.requiredKeys.map(\.description).enumerated().filter { seen & (1 << $0.offset) == 0 }.map(\.element)
            throw AuditEventLine.Problem(offset: index, reason: "the event has no '\(missing.joined(separator: "', '"))'")
        }
        return AuditEventLine.Fields(sequence: sequence, action: action, time: time)
    }

    /// The keys every event has, in the order of the `seen` bits.
    static let requiredKeys: [StaticString] = ["action", "actor", "salt", "sequence", "time", "version"]
    static let timestampShape = Array("dddd-dd-ddTdd:dd:ddZ".utf8)

    /// Which required key `key` is (1–6), or 0.
    func keyID(_ key: Range<Int>) -> Int {
        for (offset, name) in Self.requiredKeys.enumerated() where name.utf8CodeUnitCount == key.count {
            if Self.equal(name.utf8Start, base + key.lowerBound, key.count) { return offset + 1 }
        }
        return 0
    }

    /// A key: a string of `a–z 0–9 -` starting with a letter, greater than `previous`.
    mutating func key(after previous: Range<Int>?) throws(AuditEventLine.Problem) -> Range<Int> {
        let start = index
        try expect(UInt8(ascii: "\""), "a key in double quotes")
        let first = index
        while let byte = current, byte != UInt8(ascii: "\"") {
            guard Self.isKeyByte(byte) else { throw fail("a key may only hold a–z 0–9 -") }
            index += 1
        }
        let key = first..<index
        try expect(UInt8(ascii: "\""), "the end of the key")
        guard (1...64).contains(key.count), Self.isLowerLetter(base[key.lowerBound]) else {
            index = start
            throw fail("a key is 1–64 characters starting with a–z")
        }
        if let previous {
            let order = Self.compare(base + previous.lowerBound, previous.count, base + key.lowerBound, key.count)
            guard order < 0 else {
                index = start
                throw fail(order == 0 ? "a key is repeated" : "keys are not in sorted order")
            }
        }
        return key
    }

    mutating func value(depth: Int) throws(AuditEventLine.Problem) {
        guard depth <= Self.maximumDepth else { throw fail("nested more than \(Self.maximumDepth) deep") }
        guard let byte = current else { throw fail("a value is missing") }
        switch byte {
        case UInt8(ascii: "\""):
            try string()
        case UInt8(ascii: "{"):
            index += 1
            if current == UInt8(ascii: "}") { index += 1; return }
            var previous: Range<Int>? = nil
            while true {
                previous = try key(after: previous)
                try expect(UInt8(ascii: ":"), "':' after a key")
                try value(depth: depth + 1)
                guard let next = current else { throw fail("the object is not closed") }
                index += 1
                if next == UInt8(ascii: ",") { continue }
                if next == UInt8(ascii: "}") { return }
                index -= 1
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            if current == UInt8(ascii: "]") { index += 1; return }
            while true {
                try value(depth: depth + 1)
                guard let next = current else { throw fail("the array is not closed") }
                index += 1
                if next == UInt8(ascii: ",") { continue }
                if next == UInt8(ascii: "]") { return }
                index -= 1
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try integer()
        default:
            throw fail(byte == UInt8(ascii: "n") ? "null is not used in events (absent values are omitted)" : "not a JSON value")
        }
    }

    mutating func literal(_ word: StaticString) throws(AuditEventLine.Problem) {
        guard end - index >= word.utf8CodeUnitCount, Self.equal(word.utf8Start, base + index, word.utf8CodeUnitCount) else {
            throw fail("not a JSON value")
        }
        index += word.utf8CodeUnitCount
    }

    /// `-?(0|[1-9][0-9]*)`, at most 18 digits.
    mutating func integer() throws(AuditEventLine.Problem) -> Int64 {
        let start = index
        var negative = false
        if current == UInt8(ascii: "-") { negative = true; index += 1 }
        let digitsStart = index
        var value: Int64 = 0
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            guard index - digitsStart < 18 else { index = start; throw fail("an integer has more than 18 digits") }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            index += 1
        }
        let digits = index - digitsStart
        guard digits > 0 else { index = start; throw fail("not a JSON value") }
        guard !(digits > 1 && base[digitsStart] == UInt8(ascii: "0")), !(negative && value == 0) else {
            index = start
            throw fail("an integer is not canonical (leading zero or -0)")
        }
        if let byte = current, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw fail("only integers are used in events")
        }
        return negative ? -value : value
    }

    /// A string in JSONEncoder's escaping, strict UTF-8.
    @discardableResult
    mutating func string() throws(AuditEventLine.Problem) -> Range<Int> {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        while true {
            // Fast path: plain ASCII.
            while index < end {
                let byte = base[index]
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                index += 1
            }
            guard let byte = current else { throw fail("a string is not closed") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            case UInt8(ascii: "\\"):
                try escape()
            case 0..<0x20:
                throw fail("a control character in a string must be escaped")
            default:
                try multibyte()
            }
        }
    }

    mutating func escape() throws(AuditEventLine.Problem) {
        guard index + 1 < end else { throw fail("a string is not closed") }
        switch base[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "n"),
             UInt8(ascii: "f"), UInt8(ascii: "r"):
            index += 2
        case UInt8(ascii: "u"):
            guard end - index >= 6, base[index + 2] == UInt8(ascii: "0"), base[index + 3] == UInt8(ascii: "0"),
                  let high = Self.lowerHexValue(base[index + 4]), let low = Self.lowerHexValue(base[index + 5]), high <= 1
            else { throw fail("only control characters are escaped as \\u00xx (lower-case hex)") }
            let value = high << 4 | low
            guard ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(value) else {
                throw fail("this control character has a short escape (\\b \\t \\n \\f \\r)")
            }
            index += 6
        default:
            throw fail("an escape JSONEncoder does not write")
        }
    }

    /// One UTF-8 sequence of two to four bytes (RFC 3629).
    mutating func multibyte() throws(AuditEventLine.Problem) {
        let lead = base[index]
        @inline(__always) func continuation(_ offset: Int) -> UInt8? {
            index + offset < end && base[index + offset] & 0xC0 == 0x80 ? base[index + offset] : nil
        }
        if lead >= 0xC2 && lead < 0xE0, continuation(1) != nil {
            index += 2
        } else if lead >= 0xE0 && lead < 0xF0, let second = continuation(1), continuation(2) != nil,
                  !(lead == 0xE0 && second < 0xA0), !(lead == 0xED && second > 0x9F) {
            index += 3
        } else if lead >= 0xF0 && lead < 0xF5, let second = continuation(1), continuation(2) != nil, continuation(3) != nil,
                  !(lead == 0xF0 && second < 0x90), !(lead == 0xF4 && second > 0x8F) {
            index += 4
        } else {
            throw fail("invalid UTF-8")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` by shape (digits and separators where they belong).
    func isTimestamp(_ range: Range<Int>) -> Bool {
        guard range.count == 20 else { return false }
        for offset in 0..<20 {
            let byte = base[range.lowerBound + offset]
            if Self.timestampShape[offset] == UInt8(ascii: "d") {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            } else if byte != Self.timestampShape[offset] {
                return false
            }
        }
        return true
    }

    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for offset in 0..<count where a[offset] != b[offset] { return false }
        return true
    }

    /// Byte order: negative, zero or positive as `a` sorts before, with or after `b`.
    static func compare(_ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>, _ bCount: Int) -> Int {
        for offset in 0..<min(aCount, bCount) where a[offset] != b[offset] {
            return Int(a[offset]) - Int(b[offset])
        }
        return aCount - bCount
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        isLowerLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
    }

    static func isActionByte(_ byte: UInt8) -> Bool { isKeyByte(byte) || byte == UInt8(ascii: ".") }

    static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

    static func isLowerHex(_ byte: UInt8) -> Bool { lowerHexValue(byte) != nil }

    static func lowerHexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
