/// Why an identity card, one of its values, or a fingerprint was refused.
/// `line` is the 1-based card line the problem is on, when there is one.
public struct IdentityCardError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The text is not a v1 card: wrong lines, order, encoding.
        case malformed
        /// A card of another version (`casebook-card v2`).
        case unsupportedVersion
        /// A line has the right shape but an unacceptable value (name, role, key, time).
        case invalidValue
        /// The signature does not verify under the card's minisign key.
        case badSignature
        /// A fingerprint given to compare with is not in the displayed form.
        case malformedFingerprint
    }

    public let code: Code
    public let line: Int?
    public let message: String

    public init(_ code: Code, line: Int? = nil, _ message: String) {
        self.code = code
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}
