public import CasebookFormat
import CasebookCrypto

/// A `ByteSource` that hashes (SHA-256) everything read through it, so a file can be
/// identified by its digest while it is streamed once.
public final class DigestingSource<Inner: ByteSource>: ByteSource {
    private var inner: Inner
    private var hasher: SHA256.Hasher? = SHA256.Hasher()

    public init(_ inner: Inner) {
        self.inner = inner
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.read(into: buffer)
        if count > 0 { hasher?.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        return count
    }

    /// Reads what is left (after a failure part-way) so that the digest covers the whole input.
    public func drain() {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while let count = try? read(into: scratch), count > 0 {}
    }

    /// The lower-case hex SHA-256 of everything read; call once, at the end.
    public func digest() -> String {
        guard let hasher = hasher.take() else { return "" }
        return Hex.encode(hasher.finalize())
    }
}
