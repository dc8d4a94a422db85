import Foundation
import CasebookCrypto

/// What happened, recorded without any note text: identifiers, kinds, counts and
/// digests only. Each event's canonical bytes (JSON, sorted keys, no insignificant
/// whitespace) are one leaf of the audit Merkle tree: leaf hash = SHA-256(0x00 ‖ bytes),
/// as RFC 6962 defines, computed when the event is appended and stored beside it.
/// New optional fields can be added without changing old leaves.
///
/// Version 2 moved what version 1 wrote into `detail` as little grammars (`role=…`,
/// `reason: …`, `origin=…; root=…; result=…; for=…`, a consent id, an override citation,
/// `; override approval sha256:…`) into fields of their own, so a program reads them
/// without parsing prose. Version-1 events are read exactly as they were written.
///
/// Every event carries 16 random bytes (`salt`), so a leaf hash cannot be reversed by
/// guessing the few possible values of the other fields (client, kind, time).
public struct AuditEvent: Codable, Equatable, Sendable {
    public static let currentVersion = 2

    public var version: Int
    /// 16 random bytes, hex: makes the leaf hash unguessable.
    public var salt: String
    /// 0-based position in the log; also the Merkle leaf index.
    public var sequence: Int
    /// RFC 3339 UTC.
    public var time: String
    /// The acting identity: minisign key id (hex) of the vault owner.
    public var actor: String
    public var action: AuditAction
    public var records: [String]?
    public var revision: Int?
    public var kinds: [String]?
    public var client: String?
    public var count: Int?
    /// SHA-256 (hex) of exactly what the action concerned, when it concerns bytes.
    public var digest: String?
    public var detail: String?
    /// Handovers: the handover id, the recipients' and the sender's card fingerprints,
    /// the purpose given, and the section keys sent (absent: all).
    public var handover: String?
    public var recipients: [String]?
    public var sender: String?
    public var purpose: String?
    public var fields: [String]?
    /// Disclosures: the consents relied on, `ID vN sha256:HASH`.
    public var basis: [String]?
    /// The name a contact is known by in this vault, when the action concerns a contact.
    public var contact: String?
    /// The identity-card fingerprint (displayed form, `XXXX-…`) of the contact concerned.
    public var fingerprint: String?
    /// Disclosures: the client references whose records were asked for, sorted.
    public var clients: [String]?
    /// Disclosures: section keys withheld from at least one record that left, sorted.
    public var withheld: [String]?
    /// Disclosures: records asked for that were withheld whole, sorted.
    public var excluded: [String]?
    /// Overrides: the override id (32 hex) concerned.
    public var override: String?
    /// Exports: the export id (32 hex), as in the package's `export.json`.
    public var export: String?
    /// Version 2, `vault.created`: the practitioner's role.
    public var role: String?
    /// Version 2, `client.erased`: why the client's data was erased.
    public var reason: String?
    /// Version 2, `consent.granted` and `consent.withdrawn`: the consent id.
    public var consent: String?
    /// Version 2, `override.requested` and `override.approved`: the legal citation.
    public var citation: String?
    /// Version 2, exports relying on an override: SHA-256 (hex) of the approval file.
    public var approval: String?
    /// Version 2, `audit.verified`: the bundle's log origin, its root hash (base64),
    /// `verified` or `failed`, the first bad entry when one is known, and what the
    /// verification was for (`verify` or `report`).
    public var origin: String?
    public var root: String?
    public var result: String?
    public var failedAt: Int?
    public var `for`: String?
    /// Version 2, disclosures (sealed or refused): every consent of the clients the consent
    /// gate evaluated, `ID vN sha256:HASH`, sorted — so a reader of the log can tell that a
    /// consent in force was left out (a deleted denial) even when it decided nothing.
    public var considered: [String]?
    /// Version 2, `consent.granted` and `consent.withdrawn`: the version's validity window
    /// (RFC 3339 UTC, `valid-until` exclusive) and what its provisions do: `permit`,
    /// `deny`, or `permit+deny` when it has both. Lets a reader tell an expired or denying
    /// basis without the consent itself.
    public var validFrom: String?
    public var validUntil: String?
    public var effect: String?

    private enum CodingKeys: String, CodingKey {
        case version, salt, sequence, time, actor, action, records, revision, kinds, client, count, digest, detail
        case handover, recipients, sender, purpose, fields, basis, contact, fingerprint, clients, withheld, excluded
        case override, export, role, reason, consent, citation, approval, origin, root, result, `for`
        case failedAt = "failed-at"
        case considered, effect
        case validFrom = "valid-from"
        case validUntil = "valid-until"
    }

    public init(sequence: Int, time: String, actor: String, action: AuditAction,
                records: [String]? = nil, revision: Int? = nil, kinds: [String]? = nil, client: String? = nil,
                count: Int? = nil, digest: String? = nil, detail: String? = nil, handover: String? = nil,
                recipients: [String]? = nil, sender: String? = nil, purpose: String? = nil, fields: [String]? = nil,
                contact: String? = nil, fingerprint: String? = nil, basis: [String]? = nil,
                clients: [String]? = nil, withheld: [String]? = nil, excluded: [String]? = nil, override: String? = nil, export: String? = nil) {
        self.version = Self.currentVersion
        self.salt = Hex.encode(SecureRandom.bytes(16))
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.records = records
        self.revision = revision
        self.kinds = kinds
        self.client = client
        self.count = count
        self.digest = digest
        self.detail = detail
        self.handover = handover
        self.recipients = recipients
        self.sender = sender
        self.purpose = purpose
        self.fields = fields
        self.contact = contact
        self.fingerprint = fingerprint
        self.basis = basis
        self.clients = clients
        self.withheld = withheld
        self.excluded = excluded
        self.override = override
        self.export = export
    }

    /// The canonical encoding hashed into the log.
    public func canonicalBytes() -> [UInt8] {
        return CanonicalJSON.encode(self)
    }

    /// RFC 6962 leaf hash of the canonical encoding.
    public static func leafHash(of canonical: [UInt8]) -> [UInt8] {
        SHA256.hash([0] + canonical)
    }
}

/// Security-relevant actions. Raw values are stable: they are in signed history.
/// An open set, so a log written by a newer Casebook (with actions this one does
/// not know) still decodes and verifies.
public struct AuditAction: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    public static let vaultCreated = AuditAction(rawValue: "vault.created")
    public static let recordCreated = AuditAction(rawValue: "record.created")
    public static let recordAmended = AuditAction(rawValue: "record.amended")
    public static let recordsImported = AuditAction(rawValue: "records.imported")
    public static let passphraseChanged = AuditAction(rawValue: "key.passphrase-changed")
    public static let identityExported = AuditAction(rawValue: "key.identity-exported")
    public static let clientErased = AuditAction(rawValue: "client.erased")
    public static let handoverSealed = AuditAction(rawValue: "handover.sealed")
    public static let handoverRefused = AuditAction(rawValue: "handover.refused")
    public static let handoverImported = AuditAction(rawValue: "handover.imported")
    public static let contactAdded = AuditAction(rawValue: "contact.added")
    public static let contactRemoved = AuditAction(rawValue: "contact.removed")
    public static let ageIdentityExported = AuditAction(rawValue: "key.age-identity-exported")
    /// A consent (version 1) was recorded, whether its provisions permit or deny.
    public static let consentGranted = AuditAction(rawValue: "consent.granted")
    /// A consent was withdrawn (a new version carrying the withdrawal).
    public static let consentWithdrawn = AuditAction(rawValue: "consent.withdrawn")
    /// An export was sealed (to an age recipient, a contact or a passphrase) and written.
    public static let exportSealed = AuditAction(rawValue: "export.sealed")
    /// An export was written in plaintext to standard output (`--plaintext`).
    public static let exportPlaintext = AuditAction(rawValue: "export.plaintext")
    /// An export was refused (consent or override did not cover it), or failed before writing.
    public static let exportRefused = AuditAction(rawValue: "export.refused")
    /// A lawful-basis override was requested (this vault signed the request).
    public static let overrideRequested = AuditAction(rawValue: "override.requested")
    /// A lawful-basis override was approved (this vault countersigned someone's request).
    public static let overrideApproved = AuditAction(rawValue: "override.approved")
    /// The whole audit log was sealed to a compliance contact as an audit bundle (this
    /// event is the bundle's last).
    public static let auditExported = AuditAction(rawValue: "audit.exported")
    /// A contact's audit bundle was verified in this vault (passed or failed).
    public static let auditVerified = AuditAction(rawValue: "audit.verified")
}
