public import CasebookCrypto

/// An age X25519 recipient, `age1…` (Bech32, HRP `age`, lower case).
public struct AgeX25519Recipient: AgeRecipient, Hashable, Sendable, CustomStringConvertible {
    static let hrp = "age"
    static let info = Array("age-encryption.org/v1/X25519".utf8)

    public let publicKey: X25519.PublicKey

    public init(publicKey: X25519.PublicKey) {
        self.publicKey = publicKey
    }

    /// Parses an `age1…` recipient. Only the lower-case form is accepted, as age writes it.
    public init(encoded text: String) throws(AgeError) {
        let bytes = Array(text.utf8)
        for prefix in ["ssh-ed25519 ", "ssh-rsa "] where text.hasPrefix(prefix) {
            throw .unsupportedRecipientType(String(prefix.dropLast()))
        }
        guard !bytes.contains(where: { $0 >= 65 && $0 <= 90 }) else {
            throw .invalidKey("an age recipient must be lower case (age1…)")
        }
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(bytes)
        } catch {
            throw .invalidKey("'\(Self.abbreviate(text))' is not a valid age recipient: it \(error.message)")
        }
        switch decoded.hrp {
        case Self.hrp:
            guard decoded.data.count == X25519.keyByteCount,
                  let key = try? X25519.PublicKey(rawRepresentation: decoded.data)
            else {
                throw .invalidKey("an age1… recipient must hold a 32-byte X25519 key")
            }
            publicKey = key
        case "age1pq": throw .unsupportedRecipientType("mlkem768x25519")
        case "age1tag": throw .unsupportedRecipientType("p256tag")
        case "age1tagpq": throw .unsupportedRecipientType("mlkem768p256tag")
        default:
            throw .invalidKey("'\(Self.abbreviate(text))' is not an age X25519 recipient (expected age1…)")
        }
    }

    /// The `age1…` text form.
    public var encoded: String {
        String(decoding: Bech32.encode(hrp: Self.hrp, data: publicKey.rawRepresentation), as: UTF8.self)
    }

    public var description: String { encoded }

    /// One `X25519` stanza: a fresh ephemeral share and the file key wrapped under
    /// HKDF(X25519(ephemeral, recipient), share ‖ recipient, "age-encryption.org/v1/X25519").
    public func wrap(fileKey: borrowing SecureBytes) throws(AgeError) -> [AgeStanza] {
        let ephemeral = X25519.PrivateKey()
        let share = ephemeral.publicKey.rawRepresentation
        let shared: SecureBytes
        do {
            shared = try ephemeral.sharedSecret(with: publicKey)
        } catch {
            throw .invalidKey("the recipient \(encoded) is not a usable X25519 public key (low-order point)")
        }
        let wrapKey = try! HKDF.deriveKey(
            inputKeyMaterial: shared, salt: share + publicKey.rawRepresentation, info: Self.info, outputByteCount: 32)
        let body = AgeKeySchedule.wrap(fileKey: fileKey, with: wrapKey)
        return [AgeStanza(type: AgeStanzaType.x25519, arguments: [Base64.encode(share, padded: false)], body: body)]
    }

    static func abbreviate(_ text: String) -> String {
        text.count <= 24 ? text : String(text.prefix(20)) + "…"
    }
}
