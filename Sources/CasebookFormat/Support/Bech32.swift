import CasebookCrypto

/// Bech32 (BIP 173 checksum, not Bech32m) as age uses it for `age1…` recipients
/// and `AGE-SECRET-KEY-1…` identities: no 90-character limit, strictly one case.
public enum Bech32 {
    public struct DecodingError: Error, Equatable, Sendable {
        public let message: String
    }

    private static let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    /// Encodes `data` under the human-readable part `hrp`. The result is lower case
    /// unless `uppercase` is set (age identities are conventionally upper case).
    public static func encode(hrp: String, data: [UInt8], uppercase: Bool = false) -> [UInt8] {
        let hrpBytes = Array(hrp.lowercased().utf8)
        var values = convertBits(data, from: 8, to: 5, pad: true)!
        defer { Memory.wipe(&values) }
        let checksum = createChecksum(hrp: hrpBytes, values: values)
        var output = hrpBytes + [UInt8(ascii: "1")]
        output.reserveCapacity(output.count + values.count + 6)
        for value in values + checksum { output.append(alphabet[Int(value)]) }
        if uppercase { output = output.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 } }
        return output
    }

    /// Decodes an encoded string, returning its human-readable part (lower-cased) and data.
    /// Rejects mixed case, characters outside the alphabet, bad checksums and non-zero padding.
    public static func decode(_ text: some Collection<UInt8>) throws(DecodingError) -> (hrp: String, data: [UInt8]) {
        var bytes = Array(text)
        defer { Memory.wipe(&bytes) }
        var hasLower = false, hasUpper = false
        for byte in bytes {
            guard byte >= 33 && byte <= 126 else { throw DecodingError(message: "contains a character outside printable ASCII") }
            if byte >= 97 && byte <= 122 { hasLower = true }
            if byte >= 65 && byte <= 90 { hasUpper = true }
        }
        guard !(hasLower && hasUpper) else { throw DecodingError(message: "mixes upper and lower case") }
        var lowered = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        defer { Memory.wipe(&lowered) }
        guard let separator = lowered.lastIndex(of: UInt8(ascii: "1")), separator >= 1 else {
            throw DecodingError(message: "has no separator")
        }
        guard lowered.count - separator - 1 >= 6 else { throw DecodingError(message: "is too short") }
        let hrp = Array(lowered[..<separator])
        var values: [UInt8] = []
        defer { Memory.wipe(&values) }
        values.reserveCapacity(lowered.count - separator - 1)
        for byte in lowered[(separator + 1)...] {
            guard byte < 128, reverse[Int(byte)] >= 0 else { throw DecodingError(message: "contains a character outside the Bech32 alphabet") }
            values.append(UInt8(reverse[Int(byte)]))
        }
        guard polymod(hrpExpand(hrp) + values) == 1 else { throw DecodingError(message: "has a bad checksum") }
        guard let data = convertBits(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else {
            throw DecodingError(message: "has invalid padding")
        }
        return (String(decoding: hrp, as: UTF8.self), data)
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 { checksum ^= generator[index] }
        }
        return checksum
    }

    private static func hrpExpand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func createChecksum(hrp: [UInt8], values: [UInt8]) -> [UInt8] {
        let mod = polymod(hrpExpand(hrp) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        return (0..<6).map { UInt8((mod >> (5 * (5 - UInt32($0)))) & 31) }
    }

    private static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0, bits = 0
        let maxValue = (1 << to) - 1
        var output: [UInt8] = []
        output.reserveCapacity(data.count * from / to + 1)
        for value in data {
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { output.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || (accumulator << (to - bits)) & maxValue != 0 {
            return nil
        }
        return output
    }
}
