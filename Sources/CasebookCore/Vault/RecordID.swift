import CasebookCrypto

/// Record identifiers: 10 characters of Crockford base32 (50 random bits), short
/// enough to type, random so they reveal nothing about order or client.
public enum RecordID {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    static func generate() -> String {
        let random = SecureRandom.bytes(7)
        var value: UInt64 = 0
        for byte in random { value = value << 8 | UInt64(byte) }
        var characters: [UInt8] = []
        for _ in 0..<10 {
            characters.append(alphabet[Int(value & 31)])
            value >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Accepts what a person types (any case, `O` for 0, `I`/`L` for 1) and returns the canonical id.
    public static func normalized(_ text: String) throws(CasebookError) -> String {
        var output: [UInt8] = []
        for byte in text.uppercased().utf8 {
            switch byte {
            case UInt8(ascii: "O"): output.append(UInt8(ascii: "0"))
            case UInt8(ascii: "I"), UInt8(ascii: "L"): output.append(UInt8(ascii: "1"))
            case UInt8(ascii: "-"): continue
            default:
                guard alphabet.contains(byte) else { throw invalid(text) }
                output.append(byte)
            }
        }
        guard output.count == 10 else { throw invalid(text) }
        return String(decoding: output, as: UTF8.self)
    }

    private static func invalid(_ text: String) -> CasebookError {
        CasebookError(.invalidInput, "'\(text.prefix(40))' is not a record id", remedy: .recordIDForm)
    }
}
