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

    public let kind: Kind
    public let message: String
    public let hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
