import CasebookFormat

/// One audit event as Core records it: a case per kind of event, carrying exactly that
/// kind's fields, so no call site can forget one or set one that does not belong.
/// `event(sequence:time:actor:)` is the one place an entry becomes the wire `AuditEvent`
/// (docs/formats.md §9.2), written as version 2.
enum AuditEntry {
    case vaultCreated(role: PractitionerRole)
    case passphraseChanged
    case identityExported
    case ageIdentityExported
    case recordCreated(RecordChange)
    case recordAmended(RecordChange)
    case recordsImported(records: [String], kinds: [String], count: Int, digest: String)
    case clientErased(client: ClientReference, count: Int, reason: String)
    case contactAdded(ContactMention)
    case contactRemoved(ContactMention)
    case consentGranted(ConsentMention)
    case consentWithdrawn(ConsentMention)
    case handoverSealed(Disclosure, handover: String)
    case handoverRefused(Refusal)
    case handoverImported(Receipt)
    case exportSealed(Disclosure, ExportMention)
    case exportPlaintext(Disclosure, ExportMention)
    case exportRefused(Refusal)
    case overrideRequested(OverrideMention)
    /// `requester` is the contact whose request this vault countersigned.
    case overrideApproved(OverrideMention, requester: ContactMention)
    /// `count` is the number of events in the bundle, this one included.
    case auditExported(count: Int, to: ContactMention)
    case auditVerified(BundleCheck)

    /// A record revision written (created: revision 1; amended: the new revision).
    struct RecordChange {
        var id: String
        var revision: Int
        var kind: RecordKind
        var client: ClientReference
    }

    /// A contact, as this vault names it, and their card fingerprint (displayed form).
    struct ContactMention {
        var name: String
        var fingerprint: String
    }

    /// A consent version recorded: its id, version, client and canonical hash.
    struct ConsentMention {
        var id: String
        var version: Int
        var client: ClientReference
        var hash: String
        var validFrom: String
        var validUntil: String
        /// `permit`, `deny`, or `permit+deny`.
        var effect: String

        init(_ consent: Consent) {
            id = consent.id
            version = consent.version
            client = consent.client
            hash = consent.canonicalHash
            validFrom = Timestamp.string(consent.validFrom)
            validUntil = Timestamp.string(consent.validUntil)
            let effects = Set(consent.provisions.map(\.effect))
            effect = effects.count > 1 ? "permit+deny" : (effects.first == .deny ? "deny" : "permit")
        }
    }

    /// What left in a handover or an export: the package's hash and what it carried.
    struct Disclosure {
        var records: [String]
        var kinds: [String]
        var digest: String
        var recipients: [String]
        var purpose: ConsentPurpose
        /// The sections sent.
        var fields: [String]
        var basis: [String]
        /// Every consent of the clients the gate evaluated (`ID vN sha256:HASH`).
        var considered: [String]
        var clients: [String]
        var withheld: [String]
        var excluded: [String]

        init(_ minimised: MinimisedDisclosure, digest: String, recipients: [String], purpose: ConsentPurpose, basis: [String],
             considered: [String]) {
            records = minimised.records.map(\.id)
            kinds = minimised.kinds
            self.digest = digest
            self.recipients = recipients
            self.purpose = purpose
            fields = minimised.sent
            self.basis = basis
            self.considered = considered
            clients = minimised.clients
            withheld = minimised.withheld
            excluded = minimised.excluded
        }
    }

    /// An export's own part of its event: the export id, the recipient's name, how it was
    /// delivered (prose), and the override relied on with its approval file's hash.
    struct ExportMention {
        var id: String
        var contact: String?
        var delivery: String
        var override: String?
        var approval: String?
    }

    /// A disclosure refused (or an export aborted): what was asked for and why, in a few words.
    struct Refusal {
        var records: [String]?
        var recipients: [String]
        var purpose: ConsentPurpose
        /// The sections asked for; nil when all were.
        var fields: [String]?
        var basis: [String]
        var considered: [String]
        var clients: [String]
        var detail: String
        var contact: String? = nil
        var override: String? = nil
    }

    /// A handover opened and its records imported.
    struct Receipt {
        var records: [String]
        var kinds: [String]
        var digest: String
        var handover: String
        var sender: String
        var purpose: String
    }

    /// An override request signed (or countersigned) here.
    struct OverrideMention {
        var id: String
        var client: ClientReference
        /// SHA-256 (hex) of the file written.
        var digest: String
        var citation: String
        var recipient: String
        var purpose: ConsentPurpose
        var fields: [String]
    }

    /// A contact's audit bundle verified here.
    struct BundleCheck {
        var sender: String
        var count: Int
        var origin: String
        /// The bundle's root hash, base64.
        var root: String
        var verified: Bool
        /// Verified, but with disclosures the log's own consent history does not support.
        var flagged = false
        /// The first bad entry, when the failure names one.
        var failedAt: Int?
        /// `verify` or `report`.
        var purpose: String
    }

    /// The wire event for this entry at `sequence`.
    func event(sequence: Int, time: String, actor: String) -> AuditEvent {
        var event = AuditEvent(sequence: sequence, time: time, actor: actor, action: action)
        switch self {
        case .vaultCreated(let role):
            event.role = role.rawValue
        case .passphraseChanged, .identityExported, .ageIdentityExported:
            break
        case .recordCreated(let change), .recordAmended(let change):
            event.records = [change.id]
            event.revision = change.revision
            event.kinds = [change.kind.rawValue]
            event.client = change.client.rawValue
        case .recordsImported(let records, let kinds, let count, let digest):
            event.records = records
            event.kinds = kinds
            event.count = count
            event.digest = digest
        case .clientErased(let client, let count, let reason):
            event.client = client.rawValue
            event.count = count
            event.reason = reason
        case .contactAdded(let contact), .contactRemoved(let contact):
            event.contact = contact.name
            event.fingerprint = contact.fingerprint
        case .consentGranted(let consent), .consentWithdrawn(let consent):
            event.revision = consent.version
            event.client = consent.client.rawValue
            event.digest = consent.hash
            event.consent = consent.id
            event.validFrom = consent.validFrom
            event.validUntil = consent.validUntil
            event.effect = consent.effect
        case .handoverSealed(let disclosure, let handover):
            event.set(disclosure)
            event.handover = handover
        case .exportSealed(let disclosure, let export), .exportPlaintext(let disclosure, let export):
            event.set(disclosure)
            event.detail = export.delivery
            event.contact = export.contact
            event.override = export.override
            event.approval = export.approval
            event.export = export.id
        case .handoverRefused(let refusal), .exportRefused(let refusal):
            event.records = refusal.records
            event.count = refusal.records?.count
            event.detail = refusal.detail
            event.recipients = refusal.recipients
            event.purpose = refusal.purpose.rawValue
            event.fields = refusal.fields
            event.contact = refusal.contact
            event.basis = refusal.basis
            event.considered = refusal.considered
            event.clients = refusal.clients
            event.override = refusal.override
        case .handoverImported(let receipt):
            event.records = receipt.records
            event.kinds = receipt.kinds
            event.count = receipt.records.count
            event.digest = receipt.digest
            event.handover = receipt.handover
            event.sender = receipt.sender
            event.purpose = receipt.purpose
        case .overrideRequested(let override):
            event.set(override)
        case .overrideApproved(let override, let requester):
            event.set(override)
            event.contact = requester.name
            event.fingerprint = requester.fingerprint
        case .auditExported(let count, let contact):
            event.count = count
            event.recipients = [contact.fingerprint]
            event.contact = contact.name
        case .auditVerified(let check):
            event.count = check.count
            event.sender = check.sender
            event.origin = check.origin
            event.root = check.root
            event.result = !check.verified ? "failed" : check.flagged ? "flagged" : "verified"
            event.failedAt = check.failedAt
            event.for = check.purpose
        }
        return event
    }

    var action: AuditAction {
        switch self {
        case .vaultCreated: .vaultCreated
        case .passphraseChanged: .passphraseChanged
        case .identityExported: .identityExported
        case .ageIdentityExported: .ageIdentityExported
        case .recordCreated: .recordCreated
        case .recordAmended: .recordAmended
        case .recordsImported: .recordsImported
        case .clientErased: .clientErased
        case .contactAdded: .contactAdded
        case .contactRemoved: .contactRemoved
        case .consentGranted: .consentGranted
        case .consentWithdrawn: .consentWithdrawn
        case .handoverSealed: .handoverSealed
        case .handoverRefused: .handoverRefused
        case .handoverImported: .handoverImported
        case .exportSealed: .exportSealed
        case .exportPlaintext: .exportPlaintext
        case .exportRefused: .exportRefused
        case .overrideRequested: .overrideRequested
        case .overrideApproved: .overrideApproved
        case .auditExported: .auditExported
        case .auditVerified: .auditVerified
        }
    }
}

private extension AuditEvent {
    mutating func set(_ disclosure: AuditEntry.Disclosure) {
        records = disclosure.records
        kinds = disclosure.kinds
        count = disclosure.records.count
        digest = disclosure.digest
        recipients = disclosure.recipients
        purpose = disclosure.purpose.rawValue
        fields = disclosure.fields
        basis = disclosure.basis
        considered = disclosure.considered
        clients = disclosure.clients
        withheld = disclosure.withheld.isEmpty ? nil : disclosure.withheld
        excluded = disclosure.excluded.isEmpty ? nil : disclosure.excluded
    }

    mutating func set(_ override: AuditEntry.OverrideMention) {
        client = override.client.rawValue
        digest = override.digest
        citation = override.citation
        recipients = [override.recipient]
        purpose = override.purpose.rawValue
        fields = override.fields
        self.override = override.id
    }
}
