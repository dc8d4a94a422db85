/// Why a Casebook wire format (a manifest, package, audit event or bundle, override file,
/// consent or record JSON) was refused. Format cannot see Core's `CasebookError`, so this
/// carries the same text and a `kind` that the command line maps to the same exit status
/// (`invalid` → 3, `integrity` → 6, `unsupportedVersion` → 3).
public struct WireFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not this format, malformed or not canonical.
        case invalid
        /// A format or version this Casebook does not read.
        case unsupportedVersion
        /// Well-formed but altered: a proof, digest or signature does not hold.
        case integrity
    }

    /// Refusals a caller may advise on in its own terms (Format knows no commands): a
    /// section list that is empty, or names a section no record kind has.
    public enum Subject: Sendable, Equatable {
        case noSections
        case unknownSection
    }

    public let kind: Kind
    public let message: String
    public let hint: String?
    public let subject: Subject?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, subject: Subject? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.subject = subject
    }

    public var description: String { message }
}
