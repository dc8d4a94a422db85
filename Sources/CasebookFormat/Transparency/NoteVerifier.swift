public import CasebookCrypto

/// A known Ed25519 signer of C2SP signed notes: a key name and a public key, with the 4-byte
/// key ID they determine (https://c2sp.org/signed-note, signature type 0x01):
///
///     key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4], big-endian
///
/// Its text form (the "vkey" of Go's golang.org/x/mod/sumdb/note) is
/// `<name>+<key ID, 8 lower-case hex>+<base64(0x01 ‖ public key)>`.
public struct NoteVerifier: Sendable, Hashable {
    /// The signed-note signature type byte of Ed25519.
    public static let ed25519SignatureType: UInt8 = 0x01

    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519.PublicKey

    public init(name: String, publicKey: Ed25519.PublicKey) throws(SignedNoteError) {
        guard Self.isValidKeyName(name) else { throw .invalidKeyName(name) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// For tests: a verifier with a key ID that is not recomputed.
    init(uncheckedName name: String, keyID: UInt32, publicKey: Ed25519.PublicKey) {
        self.name = name
        self.keyID = keyID
        self.publicKey = publicKey
    }

    /// Parses a verifier key string strictly: a valid key name, exactly 8 lower-case hex digits,
    /// canonical padded base64 of 33 bytes starting 0x01, and a key ID that matches.
    public init(parsing vkey: String) throws(SignedNoteError) {
        let parts = vkey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalidVerifierKey("expected <name>+<key id>+<key>") }
        let name = String(parts[0])
        guard Self.isValidKeyName(name) else { throw .invalidKeyName(name) }
        guard let declared = Self.parseHexKeyID(parts[1]) else {
            throw .invalidVerifierKey("key ID must be 8 lower-case hex digits")
        }
        guard let key = Base64.decode(parts[2]), key.count == 1 + Ed25519.publicKeyByteCount else {
            throw .invalidVerifierKey("key must be canonical base64 of 33 bytes")
        }
        guard key[0] == Self.ed25519SignatureType else {
            throw .invalidVerifierKey("unsupported signature type 0x\(Hex.encode([key[0]])) (only Ed25519, 0x01)")
        }
        let publicKey: Ed25519.PublicKey
        do { publicKey = try Ed25519.PublicKey(rawRepresentation: key[1...]) } catch {
            throw .invalidVerifierKey("bad public key")
        }
        let computed = Self.keyID(name: name, publicKey: publicKey)
        guard computed == declared else { throw .verifierKeyIDMismatch(declared: declared, computed: computed) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = computed
    }

    /// The verifier key string.
    public var vkey: String {
        name + "+" + Self.hex(keyID) + "+" + Base64.encode([Self.ed25519SignatureType] + publicKey.rawRepresentation)
    }

    public static func keyID(name: String, publicKey: Ed25519.PublicKey) -> UInt32 {
        var hasher = SHA256.Hasher()
        hasher.update(Array(name.utf8))
        hasher.update([0x0A, ed25519SignatureType])
        hasher.update(publicKey.rawRepresentation)
        let digest = hasher.finalize()
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    /// A key name is non-empty and contains no Unicode white space, no `+` and no control
    /// character (the signed-note rules; control characters cannot appear in a note at all).
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar == "+" || scalar.value < 0x20 || scalar.value == 0x7F
        }
    }

    static func hex(_ keyID: UInt32) -> String {
        Hex.encode((0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * $0)) })
    }

    private static func parseHexKeyID(_ text: Substring) -> UInt32? {
        let bytes = Array(text.utf8)
        guard bytes.count == 8 else { return nil }
        var value: UInt32 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
