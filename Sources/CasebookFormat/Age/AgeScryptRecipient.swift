public import CasebookCrypto

/// A passphrase recipient (age `scrypt` stanza). Its stanza must be the only one
/// in the header, so a passphrase-protected file has no other recipients.
/// Immutable after initialisation, so it may be shared across threads.
public final class AgeScryptRecipient: AgeRecipient, @unchecked Sendable {
    static let saltLabel = Array("age-encryption.org/v1/scrypt".utf8)
    static let saltByteCount = 16
    /// Work factors above this would make the file unreadable by age's (and our) default limit.
    public static let maximumLogN = 22
    /// The work factor Casebook seals with: age's own default.
    public static let defaultLogN = 18

    private let passphrase: SecureBytes
    /// The scrypt work factor is N = 2^logN (r = 8, p = 1).
    public let logN: Int

    public init(passphrase: consuming SecureBytes, logN: Int = defaultLogN) {
        self.passphrase = passphrase
        self.logN = logN
    }

    public var mustBeOnlyRecipient: Bool { true }

    public func wrap(fileKey: borrowing SecureBytes) throws(AgeError) -> [AgeStanza] {
        guard passphrase.count > 0 else { throw .invalidRecipients("the passphrase is empty") }
        guard (1...Self.maximumLogN).contains(logN) else {
            throw .invalidRecipients("the scrypt work factor 2^\(logN) is outside 2^1…2^\(Self.maximumLogN)")
        }
        let salt = SecureRandom.bytes(Self.saltByteCount)
        let wrapKey = try Self.wrapKey(passphrase: passphrase, salt: salt, logN: logN)
        let body = AgeKeySchedule.wrap(fileKey: fileKey, with: wrapKey)
        return [AgeStanza(
            type: AgeStanzaType.scrypt, arguments: [Base64.encode(salt, padded: false), String(logN)], body: body)]
    }

    /// scrypt(N = 2^logN, r = 8, p = 1, S = "age-encryption.org/v1/scrypt" ‖ salt, P = passphrase), 32 bytes.
    static func wrapKey(passphrase: borrowing SecureBytes, salt: [UInt8], logN: Int) throws(AgeError) -> SecureBytes {
        do {
            return try Scrypt.deriveKey(from: passphrase, salt: saltLabel + salt, logN: logN)
        } catch {
            throw .io("scrypt with work factor 2^\(logN) could not run (not enough memory?)")
        }
    }
}
