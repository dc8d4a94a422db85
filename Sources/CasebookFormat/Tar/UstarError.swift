/// Why an archive could not be written or was refused when read. `offset` is the
/// byte offset of the offending 512-byte block when there is one.
public struct UstarError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not the archive shape Casebook reads: size, checksum, magic, field encodings, padding, end blocks.
        case malformed
        /// An entry that is not a plain regular file: directory, link, device, FIFO, pax or GNU extension header.
        case unsupportedEntry
        /// A file name outside the allowed form (ASCII letters, digits, '.', '_', '-'; no '/' or '..').
        case invalidName
        /// Two entries with the same name.
        case duplicateName
        /// More entries or more content than the caller's limits allow.
        case limitExceeded
    }

    public let code: Code
    public let offset: Int?
    public let message: String

    public init(_ code: Code, offset: Int? = nil, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset { return "at byte \(offset): \(message)" }
        return message
    }
}
