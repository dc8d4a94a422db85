import CasebookCrypto

/// A `ByteSource` over bytes already in memory.
public struct ArraySource: ByteSource, Sendable {
    public let bytes: [UInt8]
    /// How many bytes have been read so far.
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { raw in
            buffer.baseAddress!.copyMemory(from: raw.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}

/// A `ByteSink` that collects everything written to it in memory. Not for secrets
/// that must stay in locked memory: the array is ordinary heap memory.
public struct ArraySink: ByteSink, Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }

    /// Overwrites and empties the collected bytes (after a failed decryption).
    public mutating func wipe() {
        Memory.wipe(&bytes)
        bytes = []
    }
}

/// An `ArraySink` for plaintext with a ceiling: a write that would take it past `limit`
/// bytes throws `.plaintextTooLarge` instead (nothing of that write is kept).
struct LimitedArraySink: ByteSink {
    private(set) var bytes: [UInt8] = []
    let limit: Int

    init(limit: Int, reserving capacity: Int) {
        self.limit = limit
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count <= limit - self.bytes.count else { throw AgeError.plaintextTooLarge(limit: limit) }
        self.bytes.append(contentsOf: bytes)
    }

    mutating func wipe() {
        Memory.wipe(&bytes)
        bytes = []
    }
}
