/// Strict UTF-8 (RFC 3629) validation and decoding over raw bytes, without generic overhead:
/// the hot path of field-list decoding and JSON line parsing.
public enum StrictUTF8 {
    /// The string held in `bytes`, or nil when they are not valid UTF-8 (no repair).
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isValid(bytes, 0..<bytes.count) else { return nil }
        return bytes.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `bytes[range]` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF).
    public static func isValid(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
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
