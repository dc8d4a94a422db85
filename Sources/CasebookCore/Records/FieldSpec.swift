/// One kind-specific section of a record: its key (used in JSON and storage), its `##` title
/// (used in the Markdown document), its type, and the guidance shown in templates.
public struct FieldSpec: Sendable, Equatable {
    /// Stable identifier, `[a-z][a-z0-9-]*`, e.g. `session-number`.
    public let key: String
    /// The `## Title` of the section in a note document.
    public let title: String
    public let type: FieldType
    /// Whether a record of this kind must have a non-empty value.
    public let required: Bool
    /// One line telling the practitioner what belongs here.
    public let guidance: String

    public init(key: String, title: String, type: FieldType = .text, required: Bool = false, guidance: String) {
        self.key = key
        self.title = title
        self.type = type
        self.required = required
        self.guidance = guidance
    }
}

/// The value type of a section.
public enum FieldType: Sendable, Equatable {
    /// Free Markdown text.
    case text
    /// A decimal number from 1 to 100000, without sign or leading zeros.
    case positiveInteger
    /// Exactly `yes` or `no` (accepted in any case, stored lowercase).
    case yesNo
    /// One of the given options (accepted in any case, stored as listed).
    case choice([String])

    /// The largest value a ``positiveInteger`` field accepts.
    public static let positiveIntegerMaximum = 100_000
}
