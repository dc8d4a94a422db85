public import CasebookCrypto

/// A passphrase identity: unwraps an `scrypt` stanza.
/// Immutable after initialisation, so it may be shared across threads.
public final class AgeScryptIdentity: AgeIdentity, @unchecked Sendable {
    private let passphrase: SecureBytes
    /// The largest work factor (log2 N) this identity will compute; larger ones are
    /// refused as a header failure instead of running for minutes.
    public let maxLogN: Int

    public init(passphrase: consuming SecureBytes, maxLogN: Int = 22) {
        self.passphrase = passphrase
        self.maxLogN = maxLogN
    }

    /// Per C2SP age: an scrypt stanza must be alone in the header; it has exactly two
    /// arguments, a canonical base64 16-byte salt and a decimal work factor without
    /// leading zeros or sign; its body is a 32-byte wrapped key. Violations are header
    /// failures. A body that does not decrypt (wrong passphrase) is "no match".
    public func unwrap(stanzas: [AgeStanza]) throws(AgeError) -> SecureBytes? {
        let scryptStanzas = stanzas.filter { $0.type == AgeStanzaType.scrypt }
        guard let stanza = scryptStanzas.first else { return nil }
        guard stanzas.count == 1 else {
            throw .header("a passphrase (scrypt) stanza must be the only stanza in the header")
        }
        guard stanza.arguments.count == 2 else {
            throw .header("an scrypt stanza must have exactly two arguments, not \(stanza.arguments.count)")
        }
        guard let salt = Base64.decodeUnpadded(stanza.arguments[0].utf8),
              salt.count == AgeScryptRecipient.saltByteCount
        else {
            throw .header("an scrypt stanza's salt is not canonical base64 of 16 bytes")
        }
        let logN = try Self.parseWorkFactor(stanza.arguments[1])
        guard logN <= maxLogN else {
            throw .header("the scrypt work factor 2^\(logN) exceeds the limit 2^\(maxLogN)")
        }
        guard stanza.body.count == AgeKeySchedule.wrappedFileKeyByteCount else {
            throw .header("an scrypt stanza's body is not a 16-byte wrapped file key")
        }
        let wrapKey = try AgeScryptRecipient.wrapKey(passphrase: passphrase, salt: salt, logN: logN)
        return AgeKeySchedule.unwrap(body: stanza.body, with: wrapKey)
    }

    /// `^[1-9][0-9]*$`, at most two digits (anything larger is beyond any limit).
    static func parseWorkFactor(_ text: String) throws(AgeError) -> Int {
        let digits = Array(text.utf8)
        guard let first = digits.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9"),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            throw .header("the scrypt work factor '\(text.prefix(16))' is not a decimal number without leading zeros")
        }
        guard digits.count <= 2 else {
            throw .header("the scrypt work factor '\(text.prefix(16))' is too large")
        }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
