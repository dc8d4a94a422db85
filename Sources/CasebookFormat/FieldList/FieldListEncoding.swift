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

    static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var remaining = UInt64(value)
        while remaining >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        out.append(UInt8(remaining))
    }
}
