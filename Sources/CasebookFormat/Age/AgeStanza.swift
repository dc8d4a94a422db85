/// One recipient stanza of an age header:
///
///     -> type argument…
///     base64 body, wrapped at 64 columns, ending with a line shorter than 64 (maybe empty)
public struct AgeStanza: Equatable, Sendable {
    /// The first argument of the `->` line, e.g. `X25519` or `scrypt`.
    public var type: String
    /// The remaining arguments (never empty strings, printable ASCII without spaces).
    public var arguments: [String]
    /// The decoded body (a wrapped file key for the native types).
    public var body: [UInt8]

    public init(type: String, arguments: [String], body: [UInt8]) {
        self.type = type
        self.arguments = arguments
        self.body = body
    }

    static let columns = 64
    static let bytesPerLine = 48

    /// An argument is 1*VCHAR: printable ASCII, no space.
    static func isValidArgument(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 >= 33 && $0 <= 126 }
    }

    /// The stanza's text, `-> …\n` then the body lines.
    func encoded() throws(AgeError) -> [UInt8] {
        var output = Array("->".utf8)
        for argument in [type] + arguments {
            guard Self.isValidArgument(argument.utf8) else {
                throw .invalidRecipients("stanza argument \"\(argument)\" is empty or not printable ASCII")
            }
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: argument.utf8)
        }
        output.append(10)
        let text = Base64.encodeBytes(body, padded: false)
        var offset = 0
        while true {
            let count = min(Self.columns, text.count - offset)
            output.append(contentsOf: text[offset..<(offset + count)])
            output.append(10)
            offset += count
            if count < Self.columns { break }
        }
        return output
    }
}
