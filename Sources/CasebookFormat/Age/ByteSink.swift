/// A destination for bytes written in pieces (age's output, or plaintext as it is
/// authenticated chunk by chunk).
public protocol ByteSink {
    /// Writes all of `bytes`, or throws.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}
