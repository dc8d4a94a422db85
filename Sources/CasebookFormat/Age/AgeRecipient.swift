public import CasebookCrypto

/// Something a file can be encrypted to: it wraps the 16-byte file key into one or
/// more header stanzas.
public protocol AgeRecipient {
    /// The stanzas that carry `fileKey` for this recipient.
    func wrap(fileKey: borrowing SecureBytes) throws(AgeError) -> [AgeStanza]
    /// True when this recipient's stanza must be the only stanza in the header
    /// (passphrases: scrypt). Defaults to false.
    var mustBeOnlyRecipient: Bool { get }
}

extension AgeRecipient {
    public var mustBeOnlyRecipient: Bool { false }
}

/// Something that can decrypt files: it recognises its stanzas and unwraps the file key.
public protocol AgeIdentity: AnyObject {
    /// The file key from the first stanza addressed to this identity that decrypts,
    /// or nil if there is none. Throws `AgeError.header` for a stanza of this
    /// identity's type that is malformed; stanzas of other types are ignored.
    func unwrap(stanzas: [AgeStanza]) throws(AgeError) -> SecureBytes?
}

/// Stanza types that have a meaning in the age ecosystem.
enum AgeStanzaType {
    static let x25519 = "X25519"
    static let scrypt = "scrypt"
    /// Recipient types specified by C2SP age (or in wide use with the reference
    /// tools) that Casebook does not implement. A file addressed only to these is
    /// reported as `unsupportedRecipientType` rather than "no match".
    static let knownUnsupported: Set<String> = [
        "mlkem768x25519", "p256tag", "mlkem768p256tag", "ssh-ed25519", "ssh-rsa", "piv-p256",
    ]
}
