/// A stream of bytes read in pieces, so that age can process inputs of any size
/// with bounded memory.
public protocol ByteSource {
    /// Reads at most `buffer.count` bytes into `buffer` and returns how many were
    /// read; 0 means the end of the stream (for a non-empty buffer).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Reads until `buffer` is full or the stream ends; returns the number of bytes read.
    mutating func readFull(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            precondition(count > 0 && count <= buffer.count - filled, "ByteSource returned an impossible count")
            filled += count
        }
        return filled
    }
}
