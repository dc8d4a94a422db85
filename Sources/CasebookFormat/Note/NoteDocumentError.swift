/// Why a note document was rejected. ``description`` reads `line N: message`.
public struct NoteDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number, when the problem has one.
    public var line: Int?
    /// What is wrong, without the line number.
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var hint: String?

    public init(line: Int?, message: String, hint: String? = nil) {
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}
