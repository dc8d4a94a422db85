/// Lower-case hexadecimal: the one encoder and the one validator for ids, digests, salts
/// and key ids written in Casebook's wire formats.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 15)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// True when `text` is only `0-9a-f` and, if `count` is given, exactly that many characters.
    public static func isLowercase(_ text: some StringProtocol, count: Int? = nil) -> Bool {
        let utf8 = text.utf8
        if let count, utf8.count != count { return false }
        return utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
