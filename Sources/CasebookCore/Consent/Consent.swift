public import Foundation
public import CasebookFormat

/// A client's recorded consent to disclosure (docs/consent.md): one version of an
/// append-only, versioned record. A new version (same ``id``, ``version`` + 1) replaces the
/// previous one from its ``recordedAt`` onwards; a withdrawal is recorded as a new version
/// that carries ``withdrawal`` (see ``withdrawn(at:reason:)``).
///
/// Times are instants with whole seconds. Windows are half-open: a consent is active at `t`
/// when `validFrom <= t < validUntil`, it was recorded by `t`, and it was not withdrawn at or
/// before `t`. ``validated()`` checks every rule; ``ConsentEvaluator`` only relies on
/// validated consents.
public struct Consent: Equatable, Sendable {
    /// 10 characters of Crockford base32, the same form as record ids (e.g. `7KQ2M9XD4A`).
    public var id: String
    /// 1 for the first version, then 2, 3, …
    public var version: Int
    public var client: ClientReference
    /// The practitioner who recorded this version, as a display name (1–100 characters).
    public var recordedBy: String
    public var recordedAt: Date
    public var method: ConsentMethod
    /// SHA-256 (64 lower-case hex digits) of the signed form or other evidence; the
    /// evidence itself is never stored.
    public var evidenceSHA256: String?
    public var validFrom: Date
    public var validUntil: Date
    public var withdrawal: ConsentWithdrawal?
    /// In order: a provision is referred to by its 1-based position ("provision 3").
    public var provisions: [ConsentProvision]

    public init(
        id: String, version: Int, client: ClientReference, recordedBy: String, recordedAt: Date,
        method: ConsentMethod, evidenceSHA256: String? = nil, validFrom: Date, validUntil: Date,
        withdrawal: ConsentWithdrawal? = nil, provisions: [ConsentProvision]
    ) {
        self.id = id
        self.version = version
        self.client = client
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.method = method
        self.evidenceSHA256 = evidenceSHA256
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.withdrawal = withdrawal
        self.provisions = provisions
    }

    /// `consent 7KQ2M9XD4A v2`: how messages and reasons name this version.
    public var label: String { "consent \(id) v\(version)" }
}

/// How the consent was obtained.
public enum ConsentMethod: String, CaseIterable, Sendable, Codable {
    case written
    case verbal
    case electronic

    /// Parses a method exactly as written in lower case; the error lists the methods.
    public static func parse(_ text: String) throws(CasebookError) -> ConsentMethod {
        if let method = ConsentMethod(rawValue: text) { return method }
        throw CasebookError(.invalidInput, "unknown consent method '\(text.prefix(40))'",
                            hint: "the method is one of: " + allCases.map(\.rawValue).joined(separator: ", "))
    }
}

/// When and why a consent was withdrawn. Withdrawal is final and not retroactive:
/// requests before ``time`` were covered, requests at or after it are not.
public struct ConsentWithdrawal: Equatable, Sendable {
    public var time: Date
    /// One line, 1–500 characters, no control characters.
    public var reason: String

    public init(time: Date, reason: String) {
        self.time = time
        self.reason = reason
    }
}

/// Whether a provision allows or forbids what it covers.
public enum ConsentEffect: String, CaseIterable, Sendable, Codable {
    case permit
    case deny
}

/// What leaves the vault: a handover to a Casebook contact or an export to anyone else.
public enum DisclosureAction: String, CaseIterable, Sendable, Codable, Comparable {
    case handover
    case export

    public static func parse(_ text: String) throws(CasebookError) -> DisclosureAction {
        if let action = DisclosureAction(rawValue: text) { return action }
        throw CasebookError(.invalidInput, "unknown disclosure action '\(text.prefix(40))'",
                            hint: "the actions are: " + allCases.map(\.rawValue).joined(separator: ", "))
    }

    public static func < (lhs: DisclosureAction, rhs: DisclosureAction) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ConsentPurpose {
    public static func parse(_ text: String) throws(CasebookError) -> ConsentPurpose {
        if let purpose = ConsentPurpose(rawValue: text) { return purpose }
        throw CasebookError(.invalidInput, "unknown purpose '\(text.prefix(40))'",
                            hint: "the purposes are: " + allCases.map(\.rawValue).joined(separator: ", "))
    }
}

/// Who a provision is about.
///
/// A contact is matched by its card fingerprint only (the name is how this vault knows it,
/// kept for people reading the consent). Organisations and roles are lower-case tokens,
/// words of letters and digits joined by single `-`, at most 64 characters
/// (`org:probation-london`, `role:offender-manager`), matched exactly.
public enum ConsentRecipient: Hashable, Sendable, CustomStringConvertible {
    case contact(name: String, fingerprint: IdentityFingerprint)
    case organisation(String)
    case role(String)

    /// `org:NAME`, `role:ROLE`, or `NAME (FINGERPRINT)`.
    public var description: String {
        switch self {
        case .contact(let name, let fingerprint): "\(name) (\(fingerprint))"
        case .organisation(let name): "org:\(name)"
        case .role(let role): "role:\(role)"
        }
    }

    /// The canonical text: `contact:FINGERPRINT`, `org:NAME` or `role:ROLE` (the contact's
    /// name is encoded beside it).
    var canonicalKey: String {
        switch self {
        case .contact(_, let fingerprint): "contact:\(fingerprint)"
        case .organisation(let name): "org:\(name)"
        case .role(let role): "role:\(role)"
        }
    }

    /// Longest organisation or role token.
    public static let maximumTokenLength = 64
}

/// One permit or deny rule of a consent. Every dimension left empty (or nil) is
/// unconstrained, except ``purposes``, which must name at least one purpose, and
/// ``recipients``, which a permit must name (a deny without recipients covers everyone).
public struct ConsentProvision: Equatable, Sendable {
    public var effect: ConsentEffect
    public var purposes: Set<ConsentPurpose>
    public var recipients: Set<ConsentRecipient>
    public var kinds: Set<RecordKind>
    /// Section keys (``FieldSpec/key``); the record header is not a field (docs/consent.md).
    public var fields: Set<String>
    /// Matches a record carrying at least one of these labels. A permit covers a record with
    /// a special-category label only when it names that label.
    public var labels: Set<String>
    public var actions: Set<DisclosureAction>
    /// Matches records whose session started at or after this instant.
    public var dataFrom: Date?
    /// Matches records whose session started before this instant.
    public var dataUntil: Date?

    public init(
        effect: ConsentEffect, purposes: Set<ConsentPurpose>, recipients: Set<ConsentRecipient> = [],
        kinds: Set<RecordKind> = [], fields: Set<String> = [], labels: Set<String> = [],
        actions: Set<DisclosureAction> = [], dataFrom: Date? = nil, dataUntil: Date? = nil
    ) {
        self.effect = effect
        self.purposes = purposes
        self.recipients = recipients
        self.kinds = kinds
        self.fields = fields
        self.labels = labels
        self.actions = actions
        self.dataFrom = dataFrom
        self.dataUntil = dataUntil
    }
}

/// Which provision of which consent version: `consent 7KQ2M9XD4A v2 provision 3`.
public struct ProvisionReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var consentID: String
    public var version: Int
    /// 1-based.
    public var provision: Int
    public var effect: ConsentEffect

    public init(consentID: String, version: Int, provision: Int, effect: ConsentEffect) {
        self.consentID = consentID
        self.version = version
        self.provision = provision
        self.effect = effect
    }

    public var description: String { "consent \(consentID) v\(version) provision \(provision)" }

    public static func < (lhs: ProvisionReference, rhs: ProvisionReference) -> Bool {
        (lhs.consentID, lhs.version, lhs.provision) < (rhs.consentID, rhs.version, rhs.provision)
    }
}
