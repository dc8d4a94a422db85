/// Standard base64 (RFC 4648 §4) with padding, decoded strictly: only canonical
/// encodings are accepted (no whitespace, no non-zero trailing bits), so one value
/// has one text form. `Base64.decodeUnpadded` serves age, which omits padding.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    public static func encode(_ data: some Collection<UInt8>, padded: Bool = true) -> String {
        String(decoding: encodeBytes(data, padded: padded), as: UTF8.self)
    }

    public static func encodeBytes(_ data: some Collection<UInt8>, padded: Bool = true) -> [UInt8] {
        let bytes = Array(data)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)], alphabet[Int(value & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)]]
            if padded { output += Array("==".utf8) }
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)]]
            if padded { output += Array("=".utf8) }
        }
        return output
    }

    /// Decodes padded base64; nil unless the text is the canonical encoding of its bytes.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 4 == 0 else { return nil }
        var body = bytes[...]
        var padding = 0
        while body.last == UInt8(ascii: "="), padding < 2 { body = body.dropLast(); padding += 1 }
        guard padding == 0 || (bytes.count - padding) % 4 != 0 else { return nil }
        guard let decoded = decodeUnpadded(body) else { return nil }
        return decoded
    }

    /// Decodes unpadded base64 (age's header encoding); nil on any non-canonical input.
    public static func decodeUnpadded(_ text: some Collection<UInt8>) -> [UInt8]? {
        let bytes = Array(text)
        guard bytes.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value = reverse[Int(byte)]
            guard value >= 0 else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Canonical: the unused low bits of the last character must be zero.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }
}
