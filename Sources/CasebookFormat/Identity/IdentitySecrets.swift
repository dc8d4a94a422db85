public import CasebookCrypto

/// A practitioner's key pairs: X25519 for age (receiving sealed packages) and
/// Ed25519 with a minisign key id (signing). Owned, never copied.
public struct IdentitySecrets: ~Copyable {
    public let agreement: X25519.PrivateKey
    public let signing: Ed25519.PrivateKey
    /// minisign's 8-byte key number, random, chosen when the key is made.
    public let signingKeyID: [UInt8]

    public init(agreement: consuming X25519.PrivateKey, signing: consuming Ed25519.PrivateKey, signingKeyID: [UInt8]) {
        precondition(signingKeyID.count == 8)
        self.agreement = agreement
        self.signing = signing
        self.signingKeyID = signingKeyID
    }

    /// Fresh random keys.
    public static func generate() -> IdentitySecrets {
        IdentitySecrets(agreement: X25519.PrivateKey(), signing: Ed25519.PrivateKey(), signingKeyID: SecureRandom.bytes(8))
    }

    /// The age recipient (`age1…`) others encrypt to.
    public var ageRecipient: String {
        String(decoding: Bech32.encode(hrp: "age", data: agreement.publicKey.rawRepresentation), as: UTF8.self)
    }

    /// The X25519 key as an age identity, for files sent to `ageRecipient`. The scalar is
    /// copied between secure buffers only.
    public func ageIdentity() -> AgeX25519Identity {
        var scalar = SecureBytes(count: X25519.keyByteCount)
        scalar.withUnsafeMutableBytes { out in agreement.withUnsafeBytes { out.copyMemory(from: $0) } }
        return AgeX25519Identity(privateKey: try! X25519.PrivateKey(rawRepresentation: scalar))
    }

    /// The minisign public key others verify with.
    public var minisignPublicKey: MinisignPublicKey {
        MinisignPublicKey(keyID: signingKeyID, key: signing.publicKey)
    }

    /// Raw secret form for wrapping in the vault: X25519 scalar (32) ‖ Ed25519 seed (32) ‖ key id (8).
    public func rawSecret() -> SecureBytes {
        var raw = SecureBytes(count: 72)
        raw.withUnsafeMutableBytes { out in
            agreement.withUnsafeBytes { out.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 32) }
            signing.withSeedBytes { out.baseAddress!.advanced(by: 32).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            signingKeyID.withUnsafeBytes { out.baseAddress!.advanced(by: 64).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        }
        return raw
    }

    /// The inverse of `rawSecret()`.
    public init(rawSecret raw: borrowing SecureBytes) throws(CryptoError) {
        guard raw.count == 72 else { throw .invalidLength(what: "identity secret", expected: 72, actual: raw.count) }
        let scalar = raw.extracting(0..<32)
        let seed = raw.extracting(32..<64)
        let keyID = raw.withUnsafeBytes { Array($0[64..<72]) }
        self.init(agreement: try X25519.PrivateKey(rawRepresentation: scalar), signing: try Ed25519.PrivateKey(seed: seed), signingKeyID: keyID)
    }
}
