public import CasebookCrypto

/// age identity files, as `age-keygen` writes them and `age -d -i` reads them:
///
///     # created: 2026-11-24T06:00:00Z
///     # public key: age1…
///     AGE-SECRET-KEY-1…
///
/// Reading follows the reference tool: lines end in LF (a CR before it is dropped),
/// lines starting with `#` and empty lines are ignored, every other line must be an
/// identity, and at least one is required. Casebook reads only X25519 identities.
/// A Casebook identity file (`# casebook identity, format 1`, §11 of vault-format.md)
/// is also accepted: its AGE-SECRET-KEY line is used and the signing key ignored.
public enum AgeIdentityFile {
    /// The file `age-keygen` would write for `identity`, in secure memory.
    /// `created` is the RFC 3339 time put in the first comment.
    public static func encode(_ identity: AgeX25519Identity, created: String) -> SecureBytes {
        var text = Array("# created: \(created)\n# public key: \(identity.recipient.encoded)\n".utf8)
        identity.encoded().withUnsafeBytes { text.append(contentsOf: $0) }
        text.append(10)
        return SecureBytes(consuming: &text)
    }

    /// The identities in an age identity file (or a Casebook identity file), in order.
    /// Errors name the line; they never contain key material.
    public static func parse(_ contents: borrowing SecureBytes) throws(IdentityFile.ParseError) -> [AgeX25519Identity] {
        let isCasebookFile = contents.withUnsafeBytes { raw in
            raw.starts(with: Array((IdentityFile.header + "\n").utf8))
        }
        if isCasebookFile {
            let secrets = try IdentityFile.parse(contents)
            var scalar = SecureBytes(count: X25519.keyByteCount)
            scalar.withUnsafeMutableBytes { out in secrets.agreement.withUnsafeBytes { out.copyMemory(from: $0) } }
            return [AgeX25519Identity(privateKey: try! X25519.PrivateKey(rawRepresentation: scalar))]
        }
        var lines: [[UInt8]] = contents.withUnsafeBytes { raw in
            raw.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        }
        defer { for index in lines.indices { Memory.wipe(&lines[index]) } }
        if lines.last?.isEmpty == true { lines.removeLast() }
        var identities: [AgeX25519Identity] = []
        for index in lines.indices {
            var line = lines[index]
            defer { Memory.wipe(&line) }
            let number = index + 1
            if line.last == 13 { line.removeLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            if let problem = unsupportedShape(line) { throw IdentityFile.ParseError(line: number, message: problem) }
            var encoded = SecureBytes(count: line.count)
            encoded.withUnsafeMutableBytes { out in line.withUnsafeBytes { out.copyMemory(from: $0) } }
            do {
                identities.append(try AgeX25519Identity(encoded: encoded))
            } catch {
                let detail: String
                switch error {
                case .unsupportedRecipientType(let type):
                    detail = "holds an identity of type '\(type)', which Casebook does not support (only AGE-SECRET-KEY-1… X25519 identities)"
                case .invalidKey(let problem):
                    detail = "is invalid: \(problem)"
                default:
                    detail = "is not a valid age identity"
                }
                throw IdentityFile.ParseError(line: number, message: detail)
            }
        }
        guard !identities.isEmpty else {
            throw IdentityFile.ParseError(line: nil, message: "holds no AGE-SECRET-KEY-1… line")
        }
        return identities
    }

    /// Identity forms the reference tool reads that Casebook does not: a message for them.
    private static func unsupportedShape(_ line: [UInt8]) -> String? {
        func starts(_ prefix: String) -> Bool { line.starts(with: Array(prefix.utf8)) }
        if starts("age-encryption.org/") || starts("-----BEGIN AGE ENCRYPTED FILE-----") {
            return "starts a passphrase-protected identity file, which Casebook does not read"
        }
        if starts("-----BEGIN ") { return "starts a PEM block (an SSH or other key), which Casebook does not read as an age identity" }
        if starts("AGE-PLUGIN-") { return "holds an age plugin identity, which Casebook does not support" }
        return nil
    }
}
