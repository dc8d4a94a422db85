import CasebookCrypto
import CasebookFormat

/// The keys an unlocked vault holds, all derived from the master key with
/// `crypto_kdf` under the context `cbvault1` (docs/vault-format.md, "Key hierarchy").
final class VaultKeys {
    static let context = "cbvault1"

    enum Purpose: UInt64 {
        case clientKeyWrapping = 1
        case clientIndex = 2
        case identity = 3
        case audit = 4
        /// HMAC-SHA-256 key for contact row ids (docs/vault-format.md §4 and §15).
        case contactIndex = 5
        case handoverRegisterIndex = 6
        case handoverRegister = 7
    }

    let master: SymmetricKey
    let clientKeyWrapping: SymmetricKey
    let clientIndex: SecureBytes
    let identity: SymmetricKey
    let audit: SymmetricKey
    let contactIndex: SecureBytes
    /// HMAC key naming received handovers in their register (ids are not stored in clear).
    let handoverRegisterIndex: SecureBytes
    /// Seals the register's entries.
    let handoverRegister: SymmetricKey

    init(master: consuming SymmetricKey) {
        clientKeyWrapping = Self.derive(master, .clientKeyWrapping)
        clientIndex = Self.derive(master, .clientIndex).secretBytes()
        identity = Self.derive(master, .identity)
        audit = Self.derive(master, .audit)
        contactIndex = Self.derive(master, .contactIndex).secretBytes()
        handoverRegisterIndex = Self.derive(master, .handoverRegisterIndex).secretBytes()
        handoverRegister = Self.derive(master, .handoverRegister)
        self.master = master
    }

    private static func derive(_ master: borrowing SymmetricKey, _ purpose: Purpose) -> SymmetricKey {
        try! KeyDerivation.deriveKey(from: master, context: context, id: purpose.rawValue)
    }

    /// The opaque id under which a client's data key and records are stored:
    /// HMAC-SHA-256(client-index key, "client:" ‖ reference), first 16 bytes. It
    /// groups a client's rows without revealing the reference.
    func clientID(for reference: String) -> [UInt8] {
        Array(HMACSHA256.authenticationCode(for: Array(("client:" + reference).utf8), using: clientIndex).prefix(16))
    }

    /// The id of one consent version's row: HMAC-SHA-256(client-index key, "consent:" ‖ id ‖
    /// ":" ‖ version in decimal), first 16 bytes (docs/vault-format.md §16). The "consent:"
    /// prefix keeps these apart from client ids ("client:" ‖ reference) under the same key.
    func consentRowID(id: String, version: Int) -> [UInt8] {
        Array(HMACSHA256.authenticationCode(for: Array("consent:\(id):\(version)".utf8), using: clientIndex).prefix(16))
    }

    /// The id of a contact's row: HMAC-SHA-256(contact-index key, "contact:" ‖ the 20
    /// fingerprint bytes), first 16 bytes. One row per pair of keys, found without
    /// decrypting anything, and meaningless outside this vault.
    func contactID(for fingerprint: IdentityFingerprint) -> [UInt8] {
        Array(HMACSHA256.authenticationCode(for: Array("contact:".utf8) + fingerprint.bytes, using: contactIndex).prefix(16))
    }
}

/// A client's data key, shared by reference in the per-session cache. Immutable after
/// creation, so concurrent sealing may read it (`SecureBytes` never changes protection).
final class ClientKey: @unchecked Sendable {
    let key: SymmetricKey
    init(_ key: consuming SymmetricKey) { self.key = key }
}
