/// A `ByteSource` that first returns bytes already read (while sniffing the input
/// format), then continues with the original source.
struct PrefixedSource<Inner: ByteSource>: ByteSource {
    var prefix: [UInt8]
    private var offset = 0
    var inner: Inner

    init(prefix: [UInt8], inner: Inner) {
        self.prefix = prefix
        self.inner = inner
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < prefix.count {
            let count = min(prefix.count - offset, buffer.count)
            prefix.withUnsafeBytes { raw in
                buffer.baseAddress!.copyMemory(from: raw.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
        return try inner.read(into: buffer)
    }
}
