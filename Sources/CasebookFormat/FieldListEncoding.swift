import Foundation
/// A compact binary encoding of an ordered list of `(key, value)` string pairs, used for
/// records at rest (inside their encryption).
///
/// Layout, version 1:
///
/// ```text
/// 0x01                                  version
/// repeated until the end of the input:
///   varint  key length in bytes
///   bytes   key, UTF-8
///   varint  value length in bytes
///   bytes   value, UTF-8
/// ```
///
/// A varint is unsigned LEB128: seven bits per byte, least significant group first, the high
/// bit set on every byte but the last. Decoding is strict: the input must be consumed exactly;
/// a varint must be minimal (no final `0x00` byte after a continuation) and at most nine bytes;
/// a length must not run past the end; keys and values must be valid UTF-8; the version must
/// be 1. Keys may repeat and may be empty: the encoding does not interpret them.
public enum FieldListEncoding {
    /// The only version this code writes and reads.
    public static let version: UInt8 = 1

    /// Encodes `fields` in order.
    public static func encode(_ fields: [(key: String, value: String)]) -> [UInt8] {
        var size = 1
        for field in fields {
            size += field.key.utf8.count + field.value.utf8.count + 4
        }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(version)
        for field in fields {
            appendVarint(field.key.utf8.count, to: &out)
            out.append(contentsOf: field.key.utf8)
            appendVarint(field.value.utf8.count, to: &out)
            out.append(contentsOf: field.value.utf8)
        }
        return out
    }

    /// Decodes an encoded field list held in any collection of bytes.
    public static func decode(
        _ bytes: some Collection<UInt8>
    ) throws(FieldListEncodingError) -> [(key: String, value: String)] {
        let contiguous: Result<[(key: String, value: String)], FieldListEncodingError>? =
            bytes.withContiguousStorageIfAvailable { buffer in
                do throws(FieldListEncodingError) {
                    return .success(try decode(UnsafeRawBufferPointer(buffer)))
                } catch {
                    return .failure(error)
                }
            }
        if let contiguous { return try contiguous.get() }
        let copy = Array(bytes)
        let result: Result<[(key: String, value: String)], FieldListEncodingError> =
            copy.withUnsafeBytes { raw in
                do throws(FieldListEncodingError) {
                    return .success(try decode(raw))
                } catch {
                    return .failure(error)
                }
            }
        return try result.get()
    }

    /// Decodes an encoded field list.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer
    ) throws(FieldListEncodingError) -> [(key: String, value: String)] {
        var reader = FieldListReader(bytes: bytes)
        try reader.readVersion()
        var fields: [(key: String, value: String)] = []
        while !reader.isAtEnd {
            // Validated without allocating, then decoded without the generic validating initialiser.
            let key = try reader.readValidRange(what: "key")
            let value = try reader.readValidRange(what: "value")
            fields.append((key: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[key]), as: UTF8.self),
                           value: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self)))
        }
        return fields
    }

    /// Visits every (key, value) pair as byte ranges of `bytes` without allocating. The
    /// structure (version, lengths, exact end) is checked; UTF-8 is not, so the caller must
    /// decode with `String(decoding:as:)` (which replaces invalid sequences) — meant for
    /// authenticated plaintext that only this encoder can have written.
    public static func forEachField(
        in bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void
    ) throws(FieldListEncodingError) {
        var reader = FieldListReader(bytes: bytes)
        try reader.readVersion()
        while !reader.isAtEnd {
            let key = try reader.readRange(what: "key")
            let value = try reader.readRange(what: "value")
            body(UnsafeRawBufferPointer(rebasing: bytes[key]), UnsafeRawBufferPointer(rebasing: bytes[value]))
        }
    }

    /// Whether any VALUE (never a key) contains `needle`, ignoring case.
    ///
    /// An empty needle matches everything. For an ASCII needle, ASCII letters are folded byte by
    /// byte over the raw value bytes, with no allocation per field; all other bytes must match
    /// exactly. For a non-ASCII needle each value is decoded and `value.lowercased()` is searched
    /// for `needle.lowercased()` (comparing `Character`s). A match never spans two fields.
    /// The whole input is validated like `decode(_:)`, so a malformed encoding throws
    /// even when a value earlier in it matches.
    public static func containsCaseInsensitive(
        _ needle: String, in encoded: UnsafeRawBufferPointer
    ) throws(FieldListEncodingError) -> Bool {
        try CaseInsensitiveNeedle(needle).isContained(in: encoded)
    }

    /// Same as `containsCaseInsensitive(_:in:)` for any collection of bytes.
    public static func containsCaseInsensitive(
        _ needle: String, in encoded: some Collection<UInt8>
    ) throws(FieldListEncodingError) -> Bool {
        try CaseInsensitiveNeedle(needle).isContained(in: encoded)
    }

    /// A search term prepared once, for searching many encoded field lists.
    public struct CaseInsensitiveNeedle: Sendable {
        /// The lowercased ASCII bytes of the needle, when it is ASCII.
        private let asciiFolded: [UInt8]?
        /// The lowercased needle, for the non-ASCII path.
        private let lowered: String

        public init(_ needle: String) {
            if needle.utf8.allSatisfy({ $0 < 0x80 }) {
                asciiFolded = needle.utf8.map(FieldListReader.foldASCII)
            } else {
                asciiFolded = nil
            }
            lowered = needle.lowercased()
        }

        /// See `FieldListEncoding.containsCaseInsensitive(_:in:)`.
        public func isContained(in encoded: UnsafeRawBufferPointer) throws(FieldListEncodingError) -> Bool {
            try isContained(in: encoded, skippingKeysWithPrefix: [])
        }

        /// Like `isContained(in:)`, but values whose key starts with `prefix` (UTF-8 bytes)
        /// are not searched (for example bookkeeping fields a person did not write).
        public func isContained(
            in encoded: UnsafeRawBufferPointer, skippingKeysWithPrefix prefix: [UInt8], trustingUTF8: Bool = false
        ) throws(FieldListEncodingError) -> Bool {
            var reader = FieldListReader(bytes: encoded)
            try reader.readVersion()
            var found = lowered.isEmpty
            while !reader.isAtEnd {
                // `trustingUTF8` skips the UTF-8 check for authenticated plaintext this encoder wrote.
                let key = trustingUTF8 ? try reader.readRange(what: "key") : try reader.readValidRange(what: "key")
                let value = trustingUTF8 ? try reader.readRange(what: "value") : try reader.readValidRange(what: "value")
                if found { continue }
                if !prefix.isEmpty, key.count >= prefix.count,
                   prefix.indices.allSatisfy({ encoded[key.lowerBound + $0] == prefix[$0] }) { continue }
                if let asciiFolded {
                    found = FieldListReader.containsFolded(asciiFolded, in: encoded, range: value)
                } else {
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: encoded[value]), as: UTF8.self)
                    found = text.lowercased().contains(lowered)
                }
            }
            return found
        }

        /// See `FieldListEncoding.containsCaseInsensitive(_:in:)`.
        public func isContained(in encoded: some Collection<UInt8>) throws(FieldListEncodingError) -> Bool {
            let contiguous: Result<Bool, FieldListEncodingError>? =
                encoded.withContiguousStorageIfAvailable { buffer in
                    do throws(FieldListEncodingError) {
                        return .success(try isContained(in: UnsafeRawBufferPointer(buffer)))
                    } catch {
                        return .failure(error)
                    }
                }
            if let contiguous { return try contiguous.get() }
            let copy = Array(encoded)
            let result: Result<Bool, FieldListEncodingError> = copy.withUnsafeBytes { raw in
                do throws(FieldListEncodingError) {
                    return .success(try isContained(in: raw))
                } catch {
                    return .failure(error)
                }
            }
            return try result.get()
        }
    }

    static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var remaining = UInt64(value)
        while remaining >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        out.append(UInt8(remaining))
    }
}

/// Why an encoded field list was rejected.
public struct FieldListEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset in the encoded input where the problem was found.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "field list, byte \(offset): \(message)" }
}

/// Strict reader over version-1 bytes.
struct FieldListReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readVersion() throws(FieldListEncodingError) {
        guard bytes.count > 0 else {
            throw FieldListEncodingError(offset: 0, message: "empty input (expected a version byte)")
        }
        guard bytes[0] == FieldListEncoding.version else {
            throw FieldListEncodingError(
                offset: 0, message: "unsupported version \(bytes[0]) (expected \(FieldListEncoding.version))")
        }
        offset = 1
    }

    /// Reads a varint length and checks that that many bytes follow.
    mutating func readLength(what: String) throws(FieldListEncodingError) -> Int {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else {
                throw FieldListEncodingError(offset: start, message: "truncated \(what) length")
            }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && offset - start > 1 {
                    throw FieldListEncodingError(offset: start, message: "non-minimal \(what) length")
                }
                break
            }
            shift += 7
            if shift > 56 {
                throw FieldListEncodingError(offset: start, message: "\(what) length is too large")
            }
        }
        guard result <= UInt64(bytes.count - offset) else {
            throw FieldListEncodingError(
                offset: start, message: "\(what) length \(result) runs past the end of the input")
        }
        return Int(result)
    }

    /// Reads one length-prefixed string's byte range without checking its UTF-8.
    mutating func readRange(what: String) throws(FieldListEncodingError) -> Range<Int> {
        let length = try readLength(what: what)
        let range = offset..<(offset + length)
        offset += length
        return range
    }

    /// Reads one length-prefixed string, validates its UTF-8 without allocating, and returns
    /// its byte range.
    mutating func readValidRange(what: String) throws(FieldListEncodingError) -> Range<Int> {
        let start = offset
        let length = try readLength(what: what)
        let range = offset..<(offset + length)
        offset += length
        guard Self.isValidUTF8(bytes, range) else {
            throw FieldListEncodingError(offset: start, message: "\(what) is not valid UTF-8")
        }
        return range
    }

    @inline(__always)
    static func foldASCII(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Whether `bytes[range]` contains `needle` (lowercase ASCII, not empty) with ASCII
    /// letters folded.
    static func containsFolded(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, range: Range<Int>) -> Bool {
        let count = needle.count
        guard count <= range.count, let base = bytes.baseAddress else { return false }
        return needle.withUnsafeBufferPointer { pattern in
            // Candidates are found with memchr for the first byte in either case (fast,
            // vectorised); each candidate is then compared with ASCII folding.
            let lower = pattern[0]
            let upper = lower >= 97 && lower <= 122 ? lower - 32 : lower
            let last = range.upperBound - count
            func next(_ byte: UInt8, from index: Int) -> Int {
                guard index <= last else { return Int.max }
                guard let found = memchr(base + index, Int32(byte), last - index + 1) else { return Int.max }
                return base.distance(to: UnsafeRawPointer(found))
            }
            var nextLower = next(lower, from: range.lowerBound)
            var nextUpper = upper == lower ? Int.max : next(upper, from: range.lowerBound)
            while true {
                let index = min(nextLower, nextUpper)
                if index == Int.max { return false }
                var matched = 1
                while matched < count && foldASCII(bytes[index + matched]) == pattern[matched] { matched += 1 }
                if matched == count { return true }
                if index == nextLower { nextLower = next(lower, from: index + 1) }
                if index == nextUpper { nextUpper = next(upper, from: index + 1) }
            }
        }
    }

    /// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        @inline(__always) func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        while index < end {
            while index + 8 <= end {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < end else { return true }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
            } else if lead < 0xC2 {
                return false
            } else if lead < 0xE0 {
                guard index + 1 < end, isContinuation(bytes[index + 1]) else { return false }
                index += 2
            } else if lead < 0xF0 {
                guard index + 2 < end else { return false }
                let second = bytes[index + 1]
                guard isContinuation(second), isContinuation(bytes[index + 2]) else { return false }
                if lead == 0xE0 && second < 0xA0 { return false }
                if lead == 0xED && second > 0x9F { return false }
                index += 3
            } else if lead < 0xF5 {
                guard index + 3 < end else { return false }
                let second = bytes[index + 1]
                guard isContinuation(second), isContinuation(bytes[index + 2]),
                      isContinuation(bytes[index + 3])
                else { return false }
                if lead == 0xF0 && second < 0x90 { return false }
                if lead == 0xF4 && second > 0x8F { return false }
                index += 4
            } else {
                return false
            }
        }
        return true
    }
}
