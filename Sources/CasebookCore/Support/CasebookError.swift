public import CasebookFormat

/// The domain library's one error type. `code` says what kind of failure it is; an
/// interface (the command line) turns that into its own signal, such as an exit status.
/// `message` reads as a sentence; `hint` is advice in words that name no command or option,
/// and `remedy` is advice an interface spells out in its own terms (a command to run, an
/// option to add). Neither ever contains secrets or note text.
public struct CasebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Stable: interfaces map each one to their signal.
    public enum Code: Sendable, CaseIterable {
        /// A bug: something that should not happen did.
        case internalError
        /// A call's argument is malformed or out of range (a date, a period, an option's value).
        case invalidArgument
        /// Input (a document, file, key, card or passphrase) does not meet the rules.
        case invalidInput
        case notFound
        case wrongPassphrase
        /// Ciphertext, a database, a signature, a proof or a log failed its check.
        case integrity
        case alreadyExists
        /// Policy said no: consent, an override, a confirmation that was not given.
        case refused
        /// The system failed: no terminal, no memory, disk full, the vault busy.
        case environment
    }

    public let code: Code
    /// The sentence. When `argument` is set, it follows the argument's name (the command
    /// line shows "--expires 'x' is not a date").
    public let message: String
    public let hint: String?
    public let remedy: Remedy?
    /// The argument the message is about, when it is about one.
    public let argument: CallArgument?

    public init(_ code: Code, _ message: String, hint: String? = nil, remedy: Remedy? = nil, argument: CallArgument? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.remedy = remedy
        self.argument = argument
    }

    public var description: String { message }

    static func integrity(_ what: String) -> CasebookError {
        CasebookError(.integrity, "record integrity check failed: \(what)",
                      hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
    }
}

extension CasebookError {
    /// A refused wire format in the domain's terms (for callers that must rethrow it as
    /// this module's error, such as the store inside a transaction): altered evidence is an
    /// integrity failure, anything else invalid input.
    public init(_ wire: WireFormatError) {
        self.init(wire.kind == .integrity ? .integrity : .invalidInput, wire.message, hint: wire.hint)
    }
}
