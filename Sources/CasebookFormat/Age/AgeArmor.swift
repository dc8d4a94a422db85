/// age's ASCII armor: strict PEM (RFC 7468, Figure 3) with the label
/// "AGE ENCRYPTED FILE". Padded base64, 64 columns per line except the last
/// (1…64), LF or CRLF line ends (the same throughout), whitespace allowed only
/// before the BEGIN line and after the END line.
public enum AgeArmor {
    public static let beginLine = "-----BEGIN AGE ENCRYPTED FILE-----"
    public static let endLine = "-----END AGE ENCRYPTED FILE-----"
    static let columns = 64
    static let bytesPerLine = 48
    /// At most this much whitespace is accepted before and after the armored block.
    static let maximumWhitespace = 1024

    /// Armors a binary age file (LF line ends, final LF).
    public static func encode(_ file: [UInt8]) -> [UInt8] {
        var sink = ArmorEncodingSink(ArraySink())
        try! file.withUnsafeBytes { try sink.write($0) }
        try! sink.finish()
        return sink.inner.bytes
    }

    /// Removes the armor, strictly.
    public static func decode(_ text: [UInt8]) throws(AgeError) -> [UInt8] {
        var source = ArmorDecodingSource(ArraySource(text))
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = try typedThrows { try buffer.withUnsafeMutableBytes { raw in try readAll(raw, from: &source) } }
            output += buffer[0..<count]
            if count < buffer.count { return output }
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()
}
