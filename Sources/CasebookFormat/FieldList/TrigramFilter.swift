/// A record's search filter, version 1: a 2,048-bit Bloom filter (one hash function) of
/// every three consecutive bytes inside each of the record's searchable values, with
/// ASCII capitals folded to lowercase and every other byte as it is. A search for an
/// ASCII text of three bytes or more reads a record's revision only when every trigram
/// of the (folded) text has its bit set: the filter can give false positives, never a
/// false negative, because the search matches folded bytes inside one value.
///
/// Layout: 256 bytes; bit `n` is bit `n % 8` (least significant first) of byte `n / 8`.
/// The bit of the trigram `b0 b1 b2` is the top 11 bits of the 32-bit product
/// `(b0 | b1 << 8 | b2 << 16) × 0x9E3779B1` (wrapping). See docs/vault-format.md §9.6.
public enum TrigramFilter {
    public static let byteCount = 256
    static let multiplier: UInt32 = 0x9E37_79B1

    @inline(__always)
    static func bit(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Int {
        let trigram = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16
        return Int((trigram &* multiplier) >> 21)
    }

    /// The filter of `values` (a record's header and section values).
    public static func make(values: some Sequence<String>) -> [UInt8] {
        var filter = [UInt8](repeating: 0, count: byteCount)
        for value in values {
            let bytes = value.utf8.map(FieldListReader.foldASCII)
            guard bytes.count >= 3 else { continue }
            for index in 0..<(bytes.count - 2) {
                let bit = bit(bytes[index], bytes[index + 1], bytes[index + 2])
                filter[bit >> 3] |= 1 << UInt8(bit & 7)
            }
        }
        return filter
    }

    /// The bits a search text needs. Nil when a filter cannot rule anything out: a text
    /// shorter than three bytes, or one that is not ASCII (its case-insensitive match
    /// lowercases beyond ASCII, which the filter does not model).
    public struct Probe: Sendable {
        private let bits: [Int]

        public init?(_ text: String) {
            guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            let folded = text.utf8.map(FieldListReader.foldASCII)
            guard folded.count >= 3 else { return nil }
            bits = Array(Set((0..<(folded.count - 2)).map { TrigramFilter.bit(folded[$0], folded[$0 + 1], folded[$0 + 2]) })).sorted()
        }

        /// Whether a record with this filter may contain the text. A filter of the wrong
        /// size rules nothing out.
        public func mayMatch(_ filter: UnsafeRawBufferPointer) -> Bool {
            guard filter.count == TrigramFilter.byteCount else { return true }
            for bit in bits where filter[bit >> 3] & (1 << UInt8(bit & 7)) == 0 { return false }
            return true
        }
    }
}
