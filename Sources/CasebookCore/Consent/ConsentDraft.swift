public import Foundation
import CasebookCrypto
public import CasebookFormat

/// A recipient as a person names it in a consent (`consent grant --to`): `org:NAME`,
/// `role:ROLE`, or else the name of a contact of the vault, resolved to its card
/// fingerprint when the consent is recorded.
public enum ConsentRecipientName: Hashable, Sendable {
    case contact(String)
    case organisation(String)
    case role(String)

    /// The prefixes decide; the token after them is checked when the consent is validated.
    public init(_ text: String) {
        if text.hasPrefix("org:") {
            self = .organisation(String(text.dropFirst(4)))
        } else if text.hasPrefix("role:") {
            self = .role(String(text.dropFirst(5)))
        } else {
            self = .contact(text)
        }
    }
}

/// What a practitioner asks to record as a consent with one provision (`consent grant` and
/// `consent deny`): everything but what the vault assigns (id, version, who recorded it,
/// when). ``Vault/recordConsent(_:)-(ConsentDraft)`` resolves contact names and records it.
public struct ConsentDraft: Sendable {
    public var client: ClientReference
    /// The one provision, naming organisations and roles; the contacts named are in
    /// ``contactNames`` until the vault resolves them.
    public var provision: ConsentProvision
    /// Contact names as typed, resolved to card fingerprints when the consent is recorded.
    public var contactNames: [String]
    public var validFrom: Date
    public var validUntil: Date
    public var method: ConsentMethod
    /// SHA-256 (hex) of the signed form (``ConsentEvidence``); the form is never stored.
    public var evidenceSHA256: String?

    public init(effect: ConsentEffect, client: ClientReference, purposes: Set<ConsentPurpose>, recipients: [ConsentRecipientName] = [],
                kinds: Set<RecordKind> = [], fields: Set<String> = [], labels: Set<String> = [], actions: Set<DisclosureAction> = [],
                dataFrom: Date? = nil, dataUntil: Date? = nil, validFrom: Date, validUntil: Date, method: ConsentMethod,
                evidenceSHA256: String? = nil) {
        var tokens = Set<ConsentRecipient>()
        var names: [String] = []
        for recipient in recipients {
            switch recipient {
            case .organisation(let organisation): tokens.insert(.organisation(organisation))
            case .role(let role): tokens.insert(.role(role))
            case .contact(let name): names.append(name)
            }
        }
        self.client = client
        provision = ConsentProvision(effect: effect, purposes: purposes, recipients: tokens, kinds: kinds, fields: fields,
                                     labels: labels, actions: actions, dataFrom: dataFrom, dataUntil: dataUntil)
        contactNames = names
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.method = method
        self.evidenceSHA256 = evidenceSHA256
    }

    /// The provision, with contact names resolved by `contact` (name → recipient).
    func resolvedProvision(contact: (String) throws -> ConsentRecipient) throws -> ConsentProvision {
        var resolved = provision
        for name in contactNames { resolved.recipients.insert(try contact(name)) }
        return resolved
    }
}

/// The SHA-256 of a consent's evidence (a scanned form can be large, so it is fed in pieces).
public struct ConsentEvidence: ~Copyable {
    private var hasher = SHA256.Hasher()
    private var total = 0

    public init() {}

    public mutating func update(_ piece: [UInt8]) {
        total += piece.count
        hasher.update(piece)
    }

    /// The hex digest. An empty file is a failed scan or a wrong path, never evidence of
    /// consent: `.invalidInput`, naming `source`.
    public consuming func finalize(source: String) throws(CasebookError) -> String {
        guard total > 0 else {
            throw CasebookError(.invalidInput, "the evidence file \(source) is empty", hint: "give the signed form itself; its SHA-256 is recorded")
        }
        return Hex.encode(hasher.finalize())
    }
}

extension ConsentService {
    /// Records `draft` as a new consent with one provision: `--to` contact names are
    /// resolved to this vault's contacts (by card fingerprint), then it is recorded as
    /// ``record(_:)-(Consent)`` does (new id, version 1, validated, audited).
    @discardableResult
    public func record(_ draft: ConsentDraft) throws -> Consent {
        let provision = try draft.resolvedProvision { name in
            let found = try ContactService(context: context).contact(named: name)
            return .contact(name: found.name, fingerprint: found.fingerprint)
        }
        // id, version and who recorded it when are assigned by record(_:).
        return try record(Consent(
            id: "", version: 0, client: draft.client, recordedBy: "", recordedAt: draft.validFrom, method: draft.method,
            evidenceSHA256: draft.evidenceSHA256, validFrom: draft.validFrom, validUntil: draft.validUntil, provisions: [provision]))
    }
}
