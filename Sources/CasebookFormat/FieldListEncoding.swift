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
    /// exactly. For a non-ASCII needle, the UTF-8 of `value.lowercased()` is searched for the
    /// UTF-8 of `needle.lowercased()` (a byte-wise match, so no Unicode normalisation: a
    /// precomposed "ä" does not match "a" + U+0308); the lowercased value is computed scalar by
    /// scalar as the search goes, never built as a `String`. A match never spans two fields.
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
        /// The UTF-8 of the lowercased needle, for the non-ASCII path.
        private let lowered: [UInt8]
        /// Whether `lowered` is ASCII (it can be even for a non-ASCII needle: "K", KELVIN SIGN,
        /// lowercases to "k").
        private let loweredIsASCII: Bool
        /// Positions of the two rarest bytes of `asciiFolded`, for the vectorised filter.
        private let anchors: (Int, Int)

        public init(_ needle: String) {
            if needle.utf8.allSatisfy({ $0 < 0x80 }) {
                asciiFolded = needle.utf8.map(FieldListReader.foldASCII)
            } else {
                asciiFolded = nil
            }
            lowered = Array(needle.lowercased().utf8)
            loweredIsASCII = lowered.allSatisfy { $0 < 0x80 }
            anchors = asciiFolded.map(FieldListReader.rarestTwo) ?? (0, 0)
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
                } else if FieldListReader.isASCII(encoded, value) {
                    // Lowercasing ASCII gives ASCII, so only an ASCII lowered needle can match.
                    found = loweredIsASCII
                        && FieldListReader.containsFolded(lowered, in: encoded, range: value)
                } else {
                    found = FieldListReader.loweredContains(lowered, in: encoded, range: value)
                }
            }
            return found
        }

        /// For plaintext this encoder wrote and an AEAD tag has just authenticated: the same
        /// answer as `isContained(in:skippingKeysWithPrefix:trustingUTF8: true)`, found faster.
        /// An ASCII needle is looked for in one vectorised pass over the whole input
        /// (16 candidate positions at a time, filtered on two of its rarest bytes), and the
        /// field structure is walked only to place a candidate match inside one value; so,
        /// unlike the other entry points, a malformed structure is reported only when the
        /// walk reaches it. A non-ASCII needle takes the per-field path.
        public func isContained(
            authenticated encoded: UnsafeRawBufferPointer, skippingKeysWithPrefix prefix: [UInt8]
        ) throws(FieldListEncodingError) -> Bool {
            guard let pattern = asciiFolded, !pattern.isEmpty, let base = encoded.baseAddress else {
                return try isContained(in: encoded, skippingKeysWithPrefix: prefix, trustingUTF8: true)
            }
            var walker = FieldListReader(bytes: encoded)
            try walker.readVersion()
            let count = pattern.count
            guard encoded.count - 1 >= count else { return false }
            let (first, second) = anchors
            // `byte | 0x20` equals `needleByte | 0x20` for both cases of a letter (and for a
            // few other pairs, which the exact comparison then rejects).
            let caseBit = SIMD16<UInt8>(repeating: 0x20)
            let wantFirst = SIMD16<UInt8>(repeating: pattern[first] | 0x20)
            let wantSecond = SIMD16<UInt8>(repeating: pattern[second] | 0x20)
            var value = 0..<0
            var key = 0..<0
            // Whether the needle, matched at `start`, lies inside one searchable value.
            func placed(_ start: Int) throws(FieldListEncodingError) -> Bool {
                for index in 0..<count where FieldListReader.foldASCII(encoded[start + index]) != pattern[index] {
                    return false
                }
                while value.upperBound < start + count {
                    guard !walker.isAtEnd else { return false }
                    key = try walker.readRange(what: "key")
                    value = try walker.readRange(what: "value")
                }
                guard value.lowerBound <= start else { return false }
                return prefix.isEmpty || key.count < prefix.count
                    || !prefix.indices.allSatisfy({ encoded[key.lowerBound + $0] == prefix[$0] })
            }
            var start = 1
            let lastStart = encoded.count - count
            // A set lane is a start position where both anchors match.
            @inline(__always) func hits(at start: Int) -> SIMDMask<SIMD16<Int8>> {
                ((base.loadUnaligned(fromByteOffset: start + first, as: SIMD16<UInt8>.self) | caseBit) .== wantFirst)
                    .& ((base.loadUnaligned(fromByteOffset: start + second, as: SIMD16<UInt8>.self) | caseBit) .== wantSecond)
            }
            @inline(__always) func anySet(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
                let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
                return words[0] | words[1] != 0
            }
            func check(_ mask: SIMDMask<SIMD16<Int8>>, at start: Int) throws(FieldListEncodingError) -> Bool {
                for lane in 0..<16 where mask[lane] {
                    if try placed(start + lane) { return true }
                }
                return false
            }
            // 32 positions per step, tested together, then 16.
            while start + 31 <= lastStart {
                let low = hits(at: start)
                let high = hits(at: start + 16)
                if anySet(low .| high) {
                    if try check(low, at: start) { return true }
                    if try check(high, at: start + 16) { return true }
                }
                start += 32
            }
            while start + 15 <= lastStart {
                let mask = hits(at: start)
                if anySet(mask), try check(mask, at: start) { return true }
                start += 16
            }
            while start <= lastStart {
                if encoded[start + first] | 0x20 == pattern[first] | 0x20, try placed(start) { return true }
                start += 1
            }
            return false
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
        guard StrictUTF8.isValid(bytes, range) else {
            throw FieldListEncodingError(offset: start, message: "\(what) is not valid UTF-8")
        }
        return range
    }

    @inline(__always)
    static func foldASCII(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Whether `bytes[range]` contains `needle` (not empty, with no ASCII capitals) when ASCII
    /// capitals in `bytes` are folded to lowercase; every other byte must match exactly.
    /// How common each byte is in running text (higher = more common): the search anchors
    /// on the needle's rarest byte so that far fewer candidates need checking.
    private static let commonness: [UInt8] = {
        var table = [UInt8](repeating: 1, count: 256)
        for (rank, letter) in " etaoinshrdlcumwfgypbvkjxqz".utf8.reversed().enumerated() {
            table[Int(letter)] = UInt8(rank + 2)
        }
        return table
    }()

    /// The positions of the needle's two rarest bytes (the same position twice for a
    /// one-byte needle): candidates must match both before the whole needle is compared.
    static func rarestTwo(_ needle: [UInt8]) -> (Int, Int) {
        guard !needle.isEmpty else { return (0, 0) }
        let ranked = needle.indices.sorted { (commonness[Int(needle[$0])], $0) < (commonness[Int(needle[$1])], $1) }
        return (ranked[0], ranked.count > 1 ? ranked[1] : ranked[0])
    }

    static func containsFolded(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, range: Range<Int>) -> Bool {
        let count = needle.count
        guard count <= range.count, let base = bytes.baseAddress else { return false }
        return needle.withUnsafeBufferPointer { pattern in
            // Candidates are found with memchr (fast, vectorised) for the needle's rarest
            // byte in either case; each candidate is then compared with ASCII folding.
            var anchor = 0
            for index in 1..<max(1, count) where commonness[Int(pattern[index])] < commonness[Int(pattern[anchor])] {
                anchor = index
            }
            let lower = pattern[anchor]
            let upper = lower >= 97 && lower <= 122 ? lower - 32 : lower
            let first = range.lowerBound + anchor
            let last = range.upperBound - count + anchor
            func next(_ byte: UInt8, from index: Int) -> Int {
                guard index <= last else { return Int.max }
                guard let found = memchr(base + index, Int32(byte), last - index + 1) else { return Int.max }
                return base.distance(to: UnsafeRawPointer(found))
            }
            var nextLower = next(lower, from: first)
            var nextUpper = upper == lower ? Int.max : next(upper, from: first)
            while true {
                let hit = min(nextLower, nextUpper)
                if hit == Int.max { return false }
                let start = hit - anchor
                var matched = 0
                while matched < count && foldASCII(bytes[start + matched]) == pattern[matched] { matched += 1 }
                if matched == count { return true }
                if hit == nextLower { nextLower = next(lower, from: hit + 1) }
                if hit == nextUpper { nextUpper = next(upper, from: hit + 1) }
            }
        }
    }

    /// Whether the UTF-8 of `String(decoding: bytes[range]).lowercased()` contains `needle`
    /// (lowercase UTF-8, not empty), computed without building the lowercased string: ASCII is
    /// folded byte by byte, scalars that do not change when lowercased are compared as they are,
    /// and the others through their Unicode lowercase mapping (the per-scalar mapping that
    /// `String.lowercased()` applies). A match may start inside a multi-scalar mapping, exactly
    /// as a byte search of the lowercased string would find it. `bytes[range]` must be valid UTF-8.
    static func loweredContains(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, range: Range<Int>) -> Bool {
        let first = needle[0]
        var position = range.lowerBound
        while position < range.upperBound {
            let lead = bytes[position]
            if lead < 0x80 {
                if foldASCII(lead) == first
                    && loweredMatches(needle, from: 0, in: bytes, at: position, end: range.upperBound) {
                    return true
                }
                position += 1
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: position)
            if scalar.properties.changesWhenLowercased {
                let mapping = Array(scalar.properties.lowercaseMapping.utf8)
                for start in mapping.indices where mapping[start] & 0xC0 != 0x80 && mapping[start] == first {
                    // Compare the rest of this mapping, then continue after the scalar.
                    var matched = 0
                    var index = start
                    while index < mapping.count && matched < needle.count && mapping[index] == needle[matched] {
                        index += 1
                        matched += 1
                    }
                    if matched == needle.count { return true }
                    if index == mapping.count
                        && loweredMatches(
                            needle, from: matched, in: bytes, at: position + length, end: range.upperBound) {
                        return true
                    }
                }
            } else if lead == first
                && loweredMatches(needle, from: 0, in: bytes, at: position, end: range.upperBound) {
                return true
            }
            position += length
        }
        return false
    }

    /// Whether `needle[matched...]` matches the lowercased text starting at `position`.
    private static func loweredMatches(
        _ needle: [UInt8], from matched: Int, in bytes: UnsafeRawBufferPointer, at position: Int, end: Int
    ) -> Bool {
        var matched = matched
        var position = position
        while matched < needle.count {
            guard position < end else { return false }
            let lead = bytes[position]
            if lead < 0x80 {
                guard foldASCII(lead) == needle[matched] else { return false }
                matched += 1
                position += 1
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: position)
            if scalar.properties.changesWhenLowercased {
                for byte in scalar.properties.lowercaseMapping.utf8 {
                    if matched == needle.count { return true }
                    guard byte == needle[matched] else { return false }
                    matched += 1
                }
            } else {
                for offset in 0..<length {
                    if matched == needle.count { return true }
                    guard bytes[position + offset] == needle[matched] else { return false }
                    matched += 1
                }
            }
            position += length
        }
        return true
    }

    /// The scalar whose valid UTF-8 encoding starts at `position` (a lead byte ≥ 0xC0), and its
    /// length in bytes.
    @inline(__always)
    private static func decodeScalar(_ bytes: UnsafeRawBufferPointer, at position: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[position]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[position + offset] & 0x3F)
        }
        return (Unicode.Scalar(value)!, length)
    }

    /// Whether `bytes[range]` is all ASCII.
    static func isASCII(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return false
            }
            index += 8
        }
        while index < range.upperBound {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
