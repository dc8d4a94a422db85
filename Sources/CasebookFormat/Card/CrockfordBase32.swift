/// Crockford's base32 (digits and upper-case letters without I, L, O and U), used
/// for fingerprints people read aloud and type. Only whole groups of 5 bytes are
/// encoded, so there is no padding.
enum CrockfordBase32 {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The symbols for `bytes`, whose count must be a multiple of 5.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count % 5 == 0)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 5 * 8)
        var accumulator: UInt64 = 0
        var bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt64(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int(accumulator >> UInt64(bits) & 31)])
            }
        }
        return output
    }

    /// The value of one symbol, upper or lower case; nil outside the alphabet.
    static func value(of symbol: UInt8) -> UInt8? {
        let upper = symbol >= 0x61 && symbol <= 0x7A ? symbol - 0x20 : symbol
        return alphabet.firstIndex(of: upper).map(UInt8.init)
    }

    /// The bytes for symbol values (0...31), whose count must be a multiple of 8.
    static func decode(values: [UInt8]) -> [UInt8] {
        precondition(values.count % 8 == 0)
        var output: [UInt8] = []
        var accumulator: UInt64 = 0
        var bits = 0
        for value in values {
            accumulator = accumulator << 5 | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt64(bits)))
            }
        }
        return output
    }
}
