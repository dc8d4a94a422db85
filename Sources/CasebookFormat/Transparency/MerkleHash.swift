internal import CasebookCrypto

/// A 32-byte SHA-256 value in an RFC 6962 Merkle tree: a leaf hash, an interior node, a
/// root, or an element of a proof. Held inline (no heap allocation); its only text form is
/// standard padded base64 (RFC 4648 §4), as in C2SP checkpoints.
public struct MerkleHash: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    var raw: SIMD32<UInt8>

    init(raw: SIMD32<UInt8>) { self.raw = raw }

    /// The hash with these 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var raw = SIMD32<UInt8>()
        for (index, byte) in bytes.enumerated() { raw[index] = byte }
        self.raw = raw
    }

    /// The hash whose canonical padded base64 is `text` (44 characters); nil otherwise.
    public init?(base64 text: some StringProtocol) {
        guard text.utf8.count == 44, let bytes = Base64.decode(text) else { return nil }
        self.init(bytes: bytes)
    }

    /// Reads 32 bytes at `pointer`.
    init(reading pointer: UnsafeRawPointer) {
        raw = pointer.loadUnaligned(as: SIMD32<UInt8>.self)
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public var base64: String { Base64.encode(bytes) }

    public var hex: String { Hex.encode(bytes) }

    public var description: String { base64 }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: raw, body)
    }

    /// The root of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1).
    public static let emptyTreeRoot: MerkleHash = {
        let digest = SHA256.hash([UInt8]())
        return MerkleHash(bytes: digest)!
    }()
}
