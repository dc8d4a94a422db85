public import CasebookCrypto

/// A minisign public key: `Ed` ‖ 8-byte key id ‖ Ed25519 public key, base64 in
/// the key file's second line (format at https://jedisct1.github.io/minisign/).
public struct MinisignPublicKey: Hashable, Sendable {
    public static let algorithm: [UInt8] = Array("Ed".utf8)
    public let keyID: [UInt8]
    public let key: Ed25519.PublicKey

    public init(keyID: [UInt8], key: Ed25519.PublicKey) {
        precondition(keyID.count == 8)
        self.keyID = keyID
        self.key = key
    }

    /// The base64 form minisign prints (`RW…`).
    public var encoded: String {
        Base64.encode(Self.algorithm + keyID + key.rawRepresentation)
    }

    /// The key id as minisign shows it: upper-case hex of the little-endian 64-bit number.
    public var keyIDHex: String { Self.hex(keyID: keyID) }

    /// Upper-case hex of a minisign key id read as a little-endian 64-bit number.
    static func hex(keyID: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: keyID.reversed().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    public struct ParseError: Error, Equatable, Sendable {
        public let message: String
    }

    /// Parses the base64 line strictly: canonical base64, exactly 42 bytes, algorithm `Ed`.
    public init(encoded text: String) throws(ParseError) {
        guard let raw = Base64.decode(text) else { throw ParseError(message: "is not canonical base64") }
        guard raw.count == 42 else { throw ParseError(message: "has \(raw.count) bytes, expected 42") }
        guard Array(raw[0..<2]) == Self.algorithm else { throw ParseError(message: "is not an Ed25519 (Ed) key") }
        keyID = Array(raw[2..<10])
        guard let key = try? Ed25519.PublicKey(rawRepresentation: Array(raw[10...])) else {
            throw ParseError(message: "has a malformed Ed25519 key")
        }
        self.key = key
    }
}
