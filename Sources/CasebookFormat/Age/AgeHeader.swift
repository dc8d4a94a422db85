/// The textual header of an age v1 file: the version line, one or more recipient
/// stanzas, and the MAC line. Parsing is strict (C2SP age, "ABNF definition of
/// file header"): LF line ends only, canonical unpadded base64, no empty or
/// non-printable arguments, a short final body line, `--- ` and a 32-byte MAC.
public struct AgeHeader: Equatable, Sendable {
    public static let versionLine = "age-encryption.org/v1"
    /// Headers larger than this are refused, keeping memory bounded.
    public static let maximumByteCount = 1 << 20
    public static let macByteCount = 32

    public var stanzas: [AgeStanza]
    /// HMAC-SHA-256 over `encodedForMAC()` under the file key's header MAC key.
    public var mac: [UInt8]

    public init(stanzas: [AgeStanza], mac: [UInt8]) {
        self.stanzas = stanzas
        self.mac = mac
    }

    /// The header up to and including `---` (without the space after it): what the MAC covers.
    public func encodedForMAC() throws(AgeError) -> [UInt8] {
        guard !stanzas.isEmpty else { throw .invalidRecipients("a header needs at least one stanza") }
        var output = Array((Self.versionLine + "\n").utf8)
        for stanza in stanzas { output += try stanza.encoded() }
        output += Array("---".utf8)
        return output
    }

    /// The complete header text, ending with the MAC line's LF.
    public func encoded() throws(AgeError) -> [UInt8] {
        guard mac.count == Self.macByteCount else { throw .header("the MAC must be \(Self.macByteCount) bytes") }
        return try encodedForMAC() + Array(" ".utf8) + Base64.encodeBytes(mac, padded: false) + [10]
    }

    /// Parses the header at the start of `bytes`; returns it with the number of bytes
    /// it occupies (the payload starts there).
    public static func parse(_ bytes: [UInt8]) throws(AgeError) -> (header: AgeHeader, byteCount: Int) {
        var reader = AgeInputReader(ArraySource(bytes))
        let parsed = try read(from: &reader)
        return (parsed.header, parsed.macInput.count + 1 + 43 + 1)
    }

    /// Reads and parses a header; also returns the exact bytes the MAC covers.
    static func read<Source: ByteSource>(
        from reader: inout AgeInputReader<Source>
    ) throws(AgeError) -> (header: AgeHeader, macInput: [UInt8]) {
        var macInput: [UInt8] = []
        var budget = maximumByteCount

        func nextLine(_ reader: inout AgeInputReader<Source>, what: String, limit: Int? = nil) throws(AgeError) -> [UInt8] {
            switch try reader.readLine(maxLength: min(budget, limit ?? budget)) {
            case .line(let line):
                budget -= line.count + 1
                return line
            case .unterminated(let rest):
                if macInput.isEmpty && rest.isEmpty { throw .header("the file is empty") }
                throw .header("the header is truncated (the file ends inside \(what))")
            case .tooLong:
                if macInput.isEmpty { throw .header("not an age v1 file (the first line is not '\(versionLine)')") }
                throw .header("the header is larger than \(maximumByteCount / 1024) KiB")
            }
        }

        // A version line is short; a long first line is not an age header at all.
        let intro = try nextLine(&reader, what: "the version line", limit: 128)
        guard intro == Array(versionLine.utf8) else {
            if intro.starts(with: "age-encryption.org/".utf8), !intro.contains(13) {
                let version = String(decoding: intro.dropFirst("age-encryption.org/".utf8.count), as: UTF8.self)
                throw .header("unsupported age format version '\(version)' (expected v1)")
            }
            throw .header("not an age v1 file (the first line is not '\(versionLine)')")
        }
        macInput += intro + [10]

        var stanzas: [AgeStanza] = []
        while true {
            let line = try nextLine(&reader, what: "the header")
            if line.starts(with: "---".utf8) {
                guard !stanzas.isEmpty else { throw .header("the header has no recipient stanzas") }
                guard line.count == 4 + 43, line[3] == UInt8(ascii: " "),
                      let mac = Base64.decodeUnpadded(line[4...]), mac.count == macByteCount
                else {
                    throw .header("the MAC line is malformed (expected '--- ' and 43 base64 characters)")
                }
                macInput += Array("---".utf8)
                return (AgeHeader(stanzas: stanzas, mac: mac), macInput)
            }
            guard line.starts(with: "-> ".utf8) else {
                throw .header("unexpected line in the header (expected a '-> ' stanza or the '---' MAC line)")
            }
            let fields = line[3...].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard fields.allSatisfy({ AgeStanza.isValidArgument($0) }) else {
                throw .header("a stanza has an empty or non-printable argument")
            }
            macInput += line + [10]
            var body: [UInt8] = []
            while true {
                let bodyLine = try nextLine(&reader, what: "a stanza body")
                guard bodyLine.count <= AgeStanza.columns else {
                    throw .header("a stanza body line is longer than \(AgeStanza.columns) columns")
                }
                guard let decoded = Base64.decodeUnpadded(bodyLine) else {
                    throw .header("a stanza body is not canonical unpadded base64")
                }
                macInput += bodyLine + [10]
                body += decoded
                if bodyLine.count < AgeStanza.columns { break }
            }
            stanzas.append(AgeStanza(
                type: String(decoding: fields[0], as: UTF8.self),
                arguments: fields.dropFirst().map { String(decoding: $0, as: UTF8.self) },
                body: body))
        }
    }
}
