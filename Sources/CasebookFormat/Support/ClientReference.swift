/// A pseudonymous client reference such as `C-0042` or `DDP-2024-117` — never a name.
///
/// Rule: 1 to 8 uppercase ASCII letters, then 1 to 3 groups of `-` followed by 1 to 12
/// uppercase ASCII letters or digits, with at least one digit somewhere. The rule keeps names
/// out: a reference must contain a digit and can hold no spaces, lowercase or accents.
/// A wire token of records, consents and override requests, so it lives with their formats.
public struct ClientReference: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Validates `text` exactly (no trimming, no case change); nil when it breaks the rule.
    /// The domain's throwing initialiser adds the advice.
    public init?(exactly text: String) {
        guard Self.isValid(text) else { return nil }
        rawValue = text
    }

    /// The message for an invalid reference; it does not repeat the input, which may be a name.
    public static let ruleMessage =
        "not a valid client reference: use a pseudonymous reference, never a name: "
        + "1 to 8 capital letters, then 1 to 3 groups of '-' and 1 to 12 capital letters or digits, "
        + "with at least one digit (e.g. C-0042, DDP-2024-117)"

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        while index < bytes.count && isUpper(bytes[index]) { index += 1 }
        guard (1...8).contains(index) else { return false }
        var groups = 0
        var hasDigit = false
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "-") else { return false }
            index += 1
            let start = index
            while index < bytes.count && (isUpper(bytes[index]) || isDigit(bytes[index])) {
                if isDigit(bytes[index]) { hasDigit = true }
                index += 1
            }
            guard (1...12).contains(index - start) else { return false }
            groups += 1
        }
        return (1...3).contains(groups) && hasDigit
    }

    public var description: String { rawValue }

    public static func < (lhs: ClientReference, rhs: ClientReference) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard Self.isValid(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.ruleMessage)
        }
        rawValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
