/// Why a record JSON line was refused: the line, what is wrong, and how to fix it.
///
/// Format cannot see Core's `RecordInputError`, so this carries the same three values and
/// Core copies them over unchanged; the text is what a user sees after `line N:`.
public struct RecordJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSONL line number the caller gave.
    public let line: Int
    /// What is wrong, without the line number.
    public let message: String
    /// How to fix it, when there is something useful to say.
    public let hint: String?

    public init(line: Int, message: String, hint: String? = nil) {
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String { "line \(line): \(message)" }
}
