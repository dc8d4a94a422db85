public import CasebookFormat

/// The one error type users see. `code` decides the exit status; `message` and
/// `hint` are shown as `casebook: error: …` and `hint: …`. Messages never contain
/// secrets or note text.
public struct CasebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable categories; their raw values are the command's exit statuses (README).
    public enum Code: Int32, Sendable, CaseIterable {
        case internalError = 1
        case usage = 2
        case invalidInput = 3
        case notFound = 4
        case wrongPassphrase = 5
        case integrity = 6
        case alreadyExists = 7
        case refused = 8
        case environment = 9
    }

    public let code: Code
    public let message: String
    public let hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { message }

    static func integrity(_ what: String) -> CasebookError {
        CasebookError(.integrity, "record integrity check failed: \(what)",
                      hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
    }
}

extension CasebookError {
    /// A refused wire format as the error users see, with the exit status it always had:
    /// altered evidence is an integrity failure (6), anything else bad input (3).
    public init(_ wire: WireFormatError) {
        self.init(wire.kind == .integrity ? .integrity : .invalidInput, wire.message, hint: wire.hint)
    }
}
