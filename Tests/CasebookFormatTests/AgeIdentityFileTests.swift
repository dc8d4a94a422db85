import CasebookCrypto
@testable import CasebookFormat
import Testing

@Suite struct AgeIdentityFileTests {
    static func secure(_ text: String) -> SecureBytes {
        var bytes = Array(text.utf8)
        return SecureBytes(consuming: &bytes)
    }

    static func text(_ secret: borrowing SecureBytes) -> String {
        secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test func encodesAsAgeKeygenAndParsesBack() throws {
        let identity = AgeX25519Identity()
        let encoded = AgeIdentityFile.encode(identity, created: "2026-11-24T06:00:00Z")
        let key = Self.text(identity.encoded())
        #expect(Self.text(encoded) == "# created: 2026-11-24T06:00:00Z\n# public key: \(identity.recipient.encoded)\n\(key)\n")
        let parsed = try AgeIdentityFile.parse(encoded)
        #expect(parsed.map(\.recipient) == [identity.recipient])
    }

    @Test func readsLikeTheReferenceTool() throws {
        let first = AgeX25519Identity(), second = AgeX25519Identity()
        // CRLF, blank lines, comments, several keys, no final newline.
        let text = "# a\r\n\r\n\(Self.text(first.encoded()))\r\n#b\n\(Self.text(second.encoded()))"
        #expect(try AgeIdentityFile.parse(Self.secure(text)).map(\.recipient) == [first.recipient, second.recipient])
    }

    @Test func readsTheAgeKeyOfACasebookIdentityFile() throws {
        let secrets = IdentitySecrets.generate()
        let recipient = secrets.ageRecipient
        let file = IdentityFile.encode(secrets, comments: ["test"])
        #expect(try AgeIdentityFile.parse(file).map(\.recipient.encoded) == [recipient])
    }

    @Test(arguments: [
        ("", nil as Int?, "holds no AGE-SECRET-KEY-1… line"),
        ("# nothing\n", nil, "holds no AGE-SECRET-KEY-1… line"),
        ("#\n AGE-SECRET-KEY-1QQQQ\n", 2, "is invalid: not a valid age identity: it contains a character outside printable ASCII"),
        ("AGE-PLUGIN-YUBIKEY-1QQQQQQ\n", 1, "holds an age plugin identity, which Casebook does not support"),
        ("age-encryption.org/v1\n", 1, "starts a passphrase-protected identity file, which Casebook does not read"),
    ])
    func refusesWhatItCannotRead(_ text: String, _ line: Int?, _ message: String) throws {
        let error = #expect(throws: IdentityFile.ParseError.self) { try AgeIdentityFile.parse(Self.secure(text)) }
        #expect(error?.line == line)
        #expect(error?.message == message)
    }

    @Test func refusesLowerCaseAndPostQuantumIdentities() throws {
        let key = Self.text(AgeX25519Identity().encoded())
        let lower = #expect(throws: IdentityFile.ParseError.self) { try AgeIdentityFile.parse(Self.secure(key.lowercased() + "\n")) }
        #expect(lower?.message == "is invalid: an age identity must be upper case (AGE-SECRET-KEY-1…)")
        let pq = String(decoding: Bech32.encode(hrp: "age-secret-key-pq-", data: [UInt8](repeating: 7, count: 32), uppercase: true), as: UTF8.self)
        let hybrid = #expect(throws: IdentityFile.ParseError.self) { try AgeIdentityFile.parse(Self.secure(pq + "\n")) }
        #expect(hybrid?.message == "holds an identity of type 'mlkem768x25519', which Casebook does not support (only AGE-SECRET-KEY-1… X25519 identities)")
    }
}
