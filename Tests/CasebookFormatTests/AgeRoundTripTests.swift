import CasebookCrypto
import CasebookFormat
import Testing

@Suite struct AgeRoundTripTests {
    static let sizes = [0, 1, 65535, 65536, 65537, 3 * 65536, 1 << 20]

    /// The payload of an n-byte plaintext: nonce, then ⌈n / 64 KiB⌉ chunks (at least one), each with a 16-byte tag.
    static func payloadSize(_ plaintextSize: Int) -> Int {
        let chunks = max(1, (plaintextSize + 65535) / 65536)
        return 16 + plaintextSize + 16 * chunks
    }

    @Test(arguments: sizes) func severalX25519Recipients(size: Int) throws {
        let identities = (0..<3).map { _ in AgeX25519Identity() }
        let plaintext = AgeTestSupport.pattern(size, seed: UInt64(size))
        let file = try Age.encrypt(plaintext, to: identities.map(\.recipient))
        let header = try AgeHeader.parse(file)
        #expect(header.header.stanzas.count == 3)
        #expect(header.header.stanzas.allSatisfy { $0.type == "X25519" && $0.arguments.count == 1 && $0.body.count == 32 })
        #expect(file.count == header.byteCount + Self.payloadSize(size))
        for identity in identities {
            #expect(try Age.decrypt(file, identities: [identity]) == plaintext)
        }
        // An identity that is not a recipient finds nothing; listed with a right one, it is skipped.
        let stranger = AgeX25519Identity()
        #expect(throws: AgeError.noMatch) { try Age.decrypt(file, identities: [stranger]) }
        #expect(try Age.decrypt(file, identities: [stranger, identities[2]]) == plaintext)
    }

    @Test(arguments: sizes) func armored(size: Int) throws {
        let identity = AgeX25519Identity()
        let plaintext = AgeTestSupport.pattern(size, seed: 99)
        let file = try Age.encrypt(plaintext, to: [identity.recipient], armor: true)
        let text = String(decoding: file, as: UTF8.self)
        #expect(text.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"))
        #expect(text.hasSuffix("\n-----END AGE ENCRYPTED FILE-----\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast(2)
        #expect(lines.dropLast().allSatisfy { $0.count == 64 })
        #expect((1...64).contains(lines.last?.count ?? 0))
        #expect(try Age.decrypt(file, identities: [identity]) == plaintext)
        // CRLF line ends and surrounding whitespace are accepted too.
        let crlf = Array(("\n \t" + text.split(separator: "\n").joined(separator: "\r\n") + "\r\n\n").utf8)
        #expect(try Age.decrypt(crlf, identities: [identity]) == plaintext)
        // The armor carries exactly the binary file.
        let binary = try AgeArmor.decode(file)
        #expect(AgeArmor.encode(binary) == file)
        #expect(try Age.decrypt(binary, identities: [identity]) == plaintext)
    }

    @Test(arguments: [0, 1, 65536, 65537]) func passphrase(size: Int) throws {
        let plaintext = AgeTestSupport.pattern(size, seed: 7)
        let recipient = AgeScryptRecipient(passphrase: AgeTestSupport.secure("correct horse battery staple"), logN: 10)
        let file = try Age.encrypt(plaintext, to: [recipient], armor: size == 1)
        let identity = AgeScryptIdentity(passphrase: AgeTestSupport.secure("correct horse battery staple"))
        #expect(try Age.decrypt(file, identities: [identity]) == plaintext)
        let wrong = AgeScryptIdentity(passphrase: AgeTestSupport.secure("correct horse battery stapler"))
        #expect(throws: AgeError.noMatch) { try Age.decrypt(file, identities: [wrong]) }
        // An X25519 identity ignores the scrypt stanza.
        #expect(throws: AgeError.noMatch) { try Age.decrypt(file, identities: [AgeX25519Identity()]) }
        // A lower work-factor limit refuses the file before running scrypt.
        let cautious = AgeScryptIdentity(passphrase: AgeTestSupport.secure("correct horse battery staple"), maxLogN: 9)
        #expect(throws: AgeError.header("the scrypt work factor 2^10 exceeds the limit 2^9")) {
            try Age.decrypt(file, identities: [cautious])
        }
    }

    @Test func passphraseDefaultWorkFactorIs18() throws {
        let recipient = AgeScryptRecipient(passphrase: AgeTestSupport.secure("pass"))
        #expect(recipient.logN == 18)
        let file = try Age.encrypt(Array("note".utf8), to: [recipient])
        let stanza = try #require(try AgeHeader.parse(file).header.stanzas.first)
        #expect(stanza.type == "scrypt")
        #expect(stanza.arguments.count == 2 && stanza.arguments[1] == "18")
        #expect(Base64.decodeUnpadded(stanza.arguments[0].utf8)?.count == 16)
        #expect(try Age.decrypt(file, identities: [AgeScryptIdentity(passphrase: AgeTestSupport.secure("pass"))]) == Array("note".utf8))
    }

    @Test func recipientSetsThatCannotBeUsed() throws {
        #expect(throws: AgeError.invalidRecipients("no recipients were given")) { try Age.encrypt([1], to: []) }
        let passphrase = AgeScryptRecipient(passphrase: AgeTestSupport.secure("pass"), logN: 10)
        #expect(throws: AgeError.invalidRecipients("a passphrase cannot be combined with other recipients")) {
            try Age.encrypt([1], to: [passphrase, AgeX25519Identity().recipient])
        }
        #expect(throws: AgeError.invalidRecipients("the passphrase is empty")) {
            try Age.encrypt([1], to: [AgeScryptRecipient(passphrase: SecureBytes(count: 0))])
        }
        #expect(throws: AgeError.invalidRecipients("the scrypt work factor 2^23 is outside 2^1…2^22")) {
            try Age.encrypt([1], to: [AgeScryptRecipient(passphrase: AgeTestSupport.secure("pass"), logN: 23)])
        }
        // A low-order recipient key cannot be encrypted to.
        let lowOrder = AgeX25519Recipient(publicKey: try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32)))
        #expect(throws: AgeError.self) { try Age.encrypt([1], to: [lowOrder]) }
    }

    @Test func identityAndRecipientEncodings() throws {
        let identity = AgeX25519Identity()
        let encoded = identity.encoded()
        let text = encoded.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(text.hasPrefix("AGE-SECRET-KEY-1"))
        let again = try AgeX25519Identity(encoded: encoded)
        #expect(again.recipient == identity.recipient)
        let recipient = identity.recipient.encoded
        #expect(recipient.hasPrefix("age1") && recipient.count == 62)
        #expect(try AgeX25519Recipient(encoded: recipient) == identity.recipient)

        // The C2SP age spec's example identity and recipient belong together.
        let specIdentity = try AgeX25519Identity(
            encoded: AgeTestSupport.secure("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"))
        #expect(specIdentity.recipient.encoded == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")

        #expect(throws: AgeError.invalidKey("an age recipient must be lower case (age1…)")) {
            try AgeX25519Recipient(encoded: recipient.uppercased())
        }
        #expect(throws: AgeError.invalidKey("an age identity must be upper case (AGE-SECRET-KEY-1…)")) {
            try AgeX25519Identity(encoded: AgeTestSupport.secure(text.lowercased()))
        }
        // A changed last character breaks the checksum (always a different character).
        let corrupted = String(recipient.dropLast()) + (recipient.last == "q" ? "p" : "q")
        #expect(throws: AgeError.self) { try AgeX25519Recipient(encoded: corrupted) }
        #expect(throws: AgeError.self) { try AgeX25519Recipient(encoded: "") }
        #expect(throws: AgeError.self) { try AgeX25519Identity(encoded: AgeTestSupport.secure(recipient)) }
        #expect(throws: AgeError.unsupportedRecipientType("mlkem768x25519")) {
            try AgeX25519Identity(encoded: AgeTestSupport.secure(
                "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR"))
        }
        #expect(throws: AgeError.unsupportedRecipientType("ssh-ed25519")) {
            try AgeX25519Recipient(encoded: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN")
        }
        // A post-quantum recipient: Bech32 with HRP age1pq.
        let pq = String(decoding: Bech32.encode(hrp: "age1pq", data: [UInt8](repeating: 7, count: 64)), as: UTF8.self)
        #expect(throws: AgeError.unsupportedRecipientType("mlkem768x25519")) { try AgeX25519Recipient(encoded: pq) }
    }

    @Test func errorsReadAsSentences() {
        let errors: [AgeError] = [
            .armor("x"), .armorTruncated, .header("x"), .unsupportedRecipientType("mlkem768x25519"), .noMatch, .headerMAC,
            .payload("x"), .io("x"), .invalidKey("x"), .invalidRecipients("x"), .plaintextTooLarge(limit: 1),
        ]
        for error in errors {
            #expect(!error.message.isEmpty && error.message.first!.isLowercase)
            #expect(error.description == error.message)
        }
        #expect(AgeError.unsupportedRecipientType("mlkem768x25519").message.contains("'mlkem768x25519'"))
        #expect(AgeError.noMatch.hint != nil)
    }
}
