public import CasebookFormat
import CasebookCrypto

/// A `ByteSource` that hashes what passes through it, so a file streamed once (a handover
/// being decrypted) also yields its SHA-256 without being held or read a second time.
public struct DigestingSource<Inner: ByteSource>: ByteSource {
    public var inner: Inner
    private let state = HasherState()

    public init(_ inner: Inner) {
        self.inner = inner
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.read(into: buffer)
        state.hasher!.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        return count
    }

    /// Reads whatever is left (so the digest covers the whole input), then returns SHA-256
    /// of everything read. Call once.
    public mutating func finalize() throws -> [UInt8] {
        var rest = [UInt8](repeating: 0, count: 64 * 1024)
        while try rest.withUnsafeMutableBytes({ try read(into: $0) }) > 0 {}
        return state.hasher.take()!.finalize()
    }
}

/// The hash state, shared by the copies a value-type source makes of itself.
private final class HasherState {
    var hasher: SHA256.Hasher? = SHA256.Hasher()
}
