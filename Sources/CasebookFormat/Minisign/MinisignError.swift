/// Why a minisign public key file or signature was refused, or a signature did
/// not verify. `line` is 1-based when the problem is on a particular line.
public struct MinisignError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The public key file or key line is not in minisign's format.
        case malformedPublicKey
        /// The signature file is not in minisign's format.
        case malformedSignature
        /// The signature uses an algorithm other than `ED` or `Ed`, or `Ed` where
        /// the caller requires prehashed signatures.
        case unsupportedAlgorithm
        /// The signature was made by a different key (key ids differ).
        case keyMismatch
        /// The signature does not match the message: it was altered, or it is not the signed file.
        case signatureMismatch
        /// The global signature does not match: the trusted comment was altered.
        case trustedCommentMismatch
        /// A legacy (`Ed`) signature over a message too large to buffer.
        case messageTooLarge
        /// A comment or key id given for signing or serialising is not acceptable.
        case invalidInput
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

extension TextLines.Failure {
    /// The same failure as a minisign error of `code`, described as a `what`.
    func minisignError(_ code: MinisignError.Code, what: String) -> MinisignError {
        switch self {
        case .empty:
            MinisignError(code, "the \(what) is empty")
        case .missingFinalNewline(let line):
            MinisignError(code, line: line, "the \(what) is truncated: the line does not end with a newline")
        case .carriageReturn(let line):
            MinisignError(code, line: line, "the \(what) has a carriage return; use Unix (LF) line endings")
        case .invalidUTF8(let line):
            MinisignError(code, line: line, "the \(what) is not valid UTF-8")
        }
    }
}
