/// Why an encoded field list was rejected.
public struct FieldListEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset in the encoded input where the problem was found.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "field list, byte \(offset): \(message)" }
}
