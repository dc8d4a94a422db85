import Foundation

/// The byte-level matching behind `FieldListEncoding.CaseInsensitiveNeedle`.
extension FieldListReader {
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
