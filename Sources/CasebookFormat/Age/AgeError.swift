/// Why an age operation failed. Every case reads as a sentence after
/// `casebook: error: `; `hint` suggests what to do about it. Messages never
/// contain key material or plaintext.
public enum AgeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`) is malformed.
    case armor(String)
    /// Valid armor that ends before its `-----END AGE ENCRYPTED FILE-----` line: a
    /// truncated file, not a file of another kind.
    case armorTruncated
    /// The header is malformed or violates the format (including a stanza that an
    /// identity recognises but that is invalid, such as a low-order X25519 share).
    case header(String)
    /// No identity could unwrap the file key, and the file is addressed to a known
    /// recipient type that Casebook does not implement (for example `mlkem768x25519`);
    /// also thrown when parsing a key of such a type.
    case unsupportedRecipientType(String)
    /// The header is valid but none of the identities can unwrap the file key.
    case noMatch
    /// A file key was unwrapped but the header MAC does not verify.
    case headerMAC
    /// The encrypted payload is damaged, truncated or has trailing data.
    case payload(String)
    /// Reading the input or writing the output failed (the message says which), or
    /// the system could not provide what a computation needed (scrypt's memory).
    case io(String)
    /// An `age1…` recipient or `AGE-SECRET-KEY-1…` identity string is malformed.
    case invalidKey(String)
    /// The set of recipients cannot be encrypted to (none given, or a passphrase mixed with others).
    case invalidRecipients(String)
    /// Decrypting into memory stopped: the plaintext would exceed the caller's limit of this many bytes.
    case plaintextTooLarge(limit: Int)

    public var description: String { message }

    /// What kind of failure this is, decided here once for every reader of age files (the
    /// command line's exit status follows from it): an age file that was altered or
    /// truncated after it was sealed is `damaged`; input that is not a well-formed age file,
    /// a key or recipient that is malformed or unsupported, or a file not sealed to us is
    /// `invalid`; reading or writing failed is `environment`.
    public enum Category: Sendable { case invalid, damaged, environment }

    public var category: Category {
        switch self {
        case .headerMAC, .payload, .armorTruncated: .damaged
        case .io: .environment
        case .armor, .header, .unsupportedRecipientType, .noMatch, .invalidKey, .invalidRecipients, .plaintextTooLarge: .invalid
        }
    }

    /// A one-line message for a user.
    public var message: String {
        switch self {
        case .armor(let detail):
            return "the armored age file is malformed: \(detail)"
        case .armorTruncated:
            return "the armored age file is truncated: the '\(AgeArmor.endLine)' line is missing"
        case .header(let detail):
            return "the age file header is invalid: \(detail)"
        case .unsupportedRecipientType(let type):
            return "unsupported recipient type '\(type)': Casebook only supports X25519 (age1…) recipients and passphrases (scrypt)"
        case .noMatch:
            return "none of the available keys or passphrases can decrypt this file"
        case .headerMAC:
            return "the age file header has been altered (its MAC does not verify)"
        case .payload(let detail):
            return "the encrypted content is damaged: \(detail)"
        case .io(let detail):
            return detail
        case .invalidKey(let detail):
            return "invalid age key: \(detail)"
        case .invalidRecipients(let detail):
            return "cannot encrypt to these recipients: \(detail)"
        case .plaintextTooLarge(let limit):
            return "the decrypted content is larger than \(limit) bytes"
        }
    }

    /// What the user can do next, where there is something useful to say.
    public var hint: String? {
        switch self {
        case .armor, .header:
            return "the file is not a valid age file, or it was damaged in transit; ask the sender to send it again"
        case .unsupportedRecipientType:
            return "ask the sender to encrypt to your age1… recipient or with a passphrase"
        case .noMatch:
            return "check that the file was encrypted to your age1… recipient, or that the passphrase is right"
        case .headerMAC, .payload, .armorTruncated:
            return "the file was modified or truncated after it was encrypted; do not trust its contents, ask for a fresh copy"
        case .io, .plaintextTooLarge:
            return nil
        case .invalidKey:
            return "age recipients look like age1… (lower case) and identities like AGE-SECRET-KEY-1… (upper case)"
        case .invalidRecipients:
            return "a passphrase-protected file must have the passphrase as its only recipient"
        }
    }
}
