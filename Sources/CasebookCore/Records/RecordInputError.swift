public import Foundation

/// Why a record (a Markdown note, a JSON line, stored fields) was rejected.
///
/// ``description`` reads `line N: message` when the problem has a line, else `message`.
/// Messages never repeat a client reference or section text that failed validation, since
/// either could hold a name or other personal data.
public struct RecordInputError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// 1-based line number in the note document, or the JSONL line number.
    public var line: Int?
    /// What is wrong, without the line number.
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var hint: String?

    public init(line: Int? = nil, message: String, hint: String? = nil) {
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }

    public var errorDescription: String? { description }

    /// This error with `line` set when it has none yet.
    func located(at line: Int?) -> RecordInputError {
        var copy = self
        if copy.line == nil { copy.line = line }
        return copy
    }
}
