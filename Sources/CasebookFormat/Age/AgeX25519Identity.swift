public import CasebookCrypto

/// An age X25519 identity (`AGE-SECRET-KEY-1…`): unwraps `X25519` stanzas.
/// Immutable after initialisation and only read by libsodium, so it may be shared
/// across threads.
public final class AgeX25519Identity: AgeIdentity, @unchecked Sendable {
    static let hrp = "age-secret-key-"
    static let hybridHRP = "age-secret-key-pq-"

    private let privateKey: X25519.PrivateKey
    /// The matching `age1…` recipient.
    public let recipient: AgeX25519Recipient

    public init(privateKey: consuming X25519.PrivateKey) {
        recipient = AgeX25519Recipient(publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// A fresh random identity.
    public convenience init() {
        self.init(privateKey: X25519.PrivateKey())
    }

    /// Parses an `AGE-SECRET-KEY-1…` line (upper case, no surrounding whitespace).
    /// A post-quantum `AGE-SECRET-KEY-PQ-1…` identity is an unsupported identity type:
    /// it throws `.unsupportedRecipientType("mlkem768x25519")`.
    public convenience init(encoded: borrowing SecureBytes) throws(AgeError) {
        var key: (hrp: String, data: [UInt8])
        do {
            key = try encoded.withUnsafeBytes { try Bech32.decode($0) }
        } catch {
            let detail = (error as? Bech32.DecodingError)?.message ?? "is malformed"
            throw .invalidKey("not a valid age identity: it \(detail)")
        }
        let hasLowerCase = encoded.withUnsafeBytes { raw in raw.contains { $0 >= 97 && $0 <= 122 } }
        defer { Memory.wipe(&key.data) }
        switch key.hrp {
        case Self.hrp:
            break
        case Self.hybridHRP:
            throw .unsupportedRecipientType("mlkem768x25519")
        default:
            throw .invalidKey("not an age X25519 identity (expected AGE-SECRET-KEY-1…)")
        }
        guard !hasLowerCase else { throw .invalidKey("an age identity must be upper case (AGE-SECRET-KEY-1…)") }
        guard key.data.count == X25519.keyByteCount else {
            throw .invalidKey("an AGE-SECRET-KEY-1… identity must hold a 32-byte X25519 key")
        }
        let secret = SecureBytes(consuming: &key.data)
        self.init(privateKey: try! X25519.PrivateKey(rawRepresentation: secret))
    }

    /// The `AGE-SECRET-KEY-1…` text form, in secure memory.
    public func encoded() -> SecureBytes {
        var scalar = privateKey.withUnsafeBytes { Array($0) }
        var text = Bech32.encode(hrp: Self.hrp, data: scalar, uppercase: true)
        Memory.wipe(&scalar)
        return SecureBytes(consuming: &text)
    }

    /// Unwraps the first `X25519` stanza addressed to this identity. Per C2SP age, an
    /// `X25519` stanza with other than one argument, a share that is not canonical
    /// base64 of 32 bytes, a body that is not 32 bytes, or a share giving the all-zero
    /// shared secret, is a header failure; a body that does not decrypt is not ours.
    public func unwrap(stanzas: [AgeStanza]) throws(AgeError) -> SecureBytes? {
        for stanza in stanzas where stanza.type == AgeStanzaType.x25519 {
            guard stanza.arguments.count == 1 else {
                throw .header("an X25519 stanza must have exactly one argument, not \(stanza.arguments.count)")
            }
            guard let share = Base64.decodeUnpadded(stanza.arguments[0].utf8), share.count == X25519.keyByteCount else {
                throw .header("an X25519 stanza's share is not canonical base64 of 32 bytes")
            }
            guard stanza.body.count == AgeKeySchedule.wrappedFileKeyByteCount else {
                throw .header("an X25519 stanza's body is not a 16-byte wrapped file key")
            }
            let shared: SecureBytes
            do {
                shared = try privateKey.sharedSecret(with: X25519.PublicKey(rawRepresentation: share))
            } catch {
                throw .header("an X25519 stanza's share is a low-order point (all-zero shared secret)")
            }
            let wrapKey = try! HKDF.deriveKey(
                inputKeyMaterial: shared, salt: share + recipient.publicKey.rawRepresentation,
                info: AgeX25519Recipient.info, outputByteCount: 32)
            if let fileKey = AgeKeySchedule.unwrap(body: stanza.body, with: wrapKey) {
                return fileKey
            }
        }
        return nil
    }
}
