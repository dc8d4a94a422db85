public import CasebookCrypto

/// The identity file, format 1: a practitioner's secret keys as text, for example
/// identities (Keys-example/) and for restoring a vault's identity elsewhere.
///
///     # casebook identity, format 1
///     # (further comment lines, ignored)
///     AGE-SECRET-KEY-1…               Bech32, HRP "age-secret-key-", 32-byte X25519 scalar
///     CASEBOOK-SIGNING-KEY-1…         Bech32, HRP "casebook-signing-key-", key id (8) ‖ Ed25519 seed (32)
///
/// Lines end in `\n`. The first line is exactly the header above; after it, lines
/// starting with `#` are comments, blank lines are ignored, and exactly one key line
/// of each kind must appear. Both key lines are upper case, as age writes its identities.
/// The AGE-SECRET-KEY line alone is a valid age identity for the reference `age -d -i`.
public enum IdentityFile {
    public static let header = "# casebook identity, format 1"
    static let ageHRP = "age-secret-key-"
    static let signingHRP = "casebook-signing-key-"

    public struct ParseError: Error, Equatable, Sendable {
        public let line: Int?
        public let message: String
    }

    /// The file's bytes, in secure memory. `comments` are written after the header.
    public static func encode(_ identity: borrowing IdentitySecrets, comments: [String]) -> SecureBytes {
        var text = Array((header + "\n").utf8)
        for comment in comments { text += Array(("# " + comment + "\n").utf8) }
        var scalar = identity.agreement.withUnsafeBytes { Array($0) }
        var ageLine = Bech32.encode(hrp: ageHRP, data: scalar, uppercase: true)
        Memory.wipe(&scalar)
        var signingData = identity.signingKeyID + identity.signing.withSeedBytes { Array($0) }
        var signingLine = Bech32.encode(hrp: signingHRP, data: signingData, uppercase: true)
        Memory.wipe(&signingData)
        text += ageLine + [10] + signingLine + [10]
        Memory.wipe(&ageLine)
        Memory.wipe(&signingLine)
        return SecureBytes(consuming: &text)
    }

    /// Parses an identity file strictly.
    public static func parse(_ contents: borrowing SecureBytes) throws(ParseError) -> IdentitySecrets {
        var lines: [[UInt8]] = contents.withUnsafeBytes { raw in
            raw.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        }
        defer { for index in lines.indices { Memory.wipe(&lines[index]) } }
        let endsWithNewline = contents.withUnsafeBytes { $0.last == 10 }
        guard endsWithNewline else { throw ParseError(line: nil, message: "does not end with a newline") }
        lines.removeLast()
        guard let first = lines.first, first == Array(header.utf8) else {
            throw ParseError(line: 1, message: "is not a Casebook identity file (expected the line '\(header)')")
        }
        var agreement: X25519.PrivateKey?
        var signing: Ed25519.PrivateKey?
        var keyID: [UInt8] = []
        for index in 1..<lines.count {
            let line = lines[index]
            let number = index + 1
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            guard !line.contains(13) else { throw ParseError(line: number, message: "has a carriage return; use Unix line endings") }
            guard var decoded = try? Bech32.decode(line) else {
                throw ParseError(line: number, message: "is not a valid key line (bad Bech32 encoding or checksum)")
            }
            guard line.allSatisfy({ !($0 >= 97 && $0 <= 122) }) else {
                throw ParseError(line: number, message: "must be upper case")
            }
            defer { Memory.wipe(&decoded.data) }
            switch decoded.hrp {
            case ageHRP:
                guard agreement == nil else { throw ParseError(line: number, message: "repeats the AGE-SECRET-KEY line") }
                guard decoded.data.count == 32 else { throw ParseError(line: number, message: "has an age secret key of the wrong length") }
                agreement = try? X25519.PrivateKey(rawRepresentation: SecureBytes(consuming: &decoded.data))
            case signingHRP:
                guard signing == nil else { throw ParseError(line: number, message: "repeats the CASEBOOK-SIGNING-KEY line") }
                guard decoded.data.count == 40 else { throw ParseError(line: number, message: "has a signing key of the wrong length") }
                keyID = Array(decoded.data[0..<8])
                var seed = Array(decoded.data[8...])
                signing = try? Ed25519.PrivateKey(seed: SecureBytes(consuming: &seed))
            default:
                throw ParseError(line: number, message: "holds an unsupported key type '\(decoded.hrp.uppercased())'")
            }
        }
        guard let agreementKey = agreement.take() else { throw ParseError(line: nil, message: "has no AGE-SECRET-KEY line") }
        guard let signingKey = signing.take() else { throw ParseError(line: nil, message: "has no CASEBOOK-SIGNING-KEY line") }
        return IdentitySecrets(agreement: agreementKey, signing: signingKey, signingKeyID: keyID)
    }
}
