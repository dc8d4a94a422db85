/// What an audit log says its vault holds, folded from the events in order: the consents
/// and their latest versions, the contacts, the handovers received, the records and their
/// latest revisions, the erased clients, and the logs whose bundles were verified. The log
/// is the source of truth; a vault's tables are an index of it, checked against this
/// (docs/vault-format.md §10.3). Works on a vault's own log and on a bundle alike.
///
/// `apply` also finds events that contradict what came before (a handover imported twice,
/// a contact removed that was never added): the first one is the log's own disagreement.
public struct AuditLogState: Sendable {
    /// One consent as the log last recorded it.
    public struct ConsentEntry: Equatable, Sendable {
        public var client: String
        /// The latest version recorded.
        public var version: Int
        /// That version's canonical hash (hex).
        public var digest: String
        /// Position of the event that recorded it.
        public var sequence: Int
        /// True when the latest event is `consent.withdrawn`.
        public var withdrawn: Bool
        /// When the withdrawal was recorded (the event's time).
        public var withdrawnAt: String?
        /// Version-2 events only: the validity window and `permit`/`deny`/`permit+deny`.
        public var validFrom: String?
        public var validUntil: String?
        public var effect: String?

        /// `ID vN sha256:HASH`, the form a disclosure's basis names it by.
        public func reliance(id: String) -> String { "\(id) v\(version) sha256:\(digest)" }
    }

    /// One contact as the log last recorded it.
    public struct ContactEntry: Equatable, Sendable {
        public var name: String
        public var present: Bool
        public var sequence: Int
    }

    /// A handover received: who sent it and its id. Two senders may use the same id.
    public struct ReceivedHandover: Hashable, Sendable {
        public var sender: String
        public var id: String

        public init(sender: String, id: String) {
            self.sender = sender
            self.id = id
        }
    }

    /// One record as the log last recorded it.
    public struct RecordEntry: Equatable, Sendable {
        public var revision: Int
        public var sequence: Int
    }

    /// Consent id → its latest version.
    public private(set) var consents: [String: ConsentEntry] = [:]
    /// Card fingerprint (displayed form) → the contact.
    public private(set) var contacts: [String: ContactEntry] = [:]
    /// Handovers imported → the time and position of the import.
    public private(set) var received: [ReceivedHandover: (time: String, sequence: Int)] = [:]
    /// Record id → its latest revision.
    public private(set) var records: [String: RecordEntry] = [:]
    /// Records imported by version-1 `records.imported` events, which did not name them.
    public private(set) var unnamedImports = 0
    /// Client reference → the position of its erasure.
    public private(set) var erasedClients: [String: Int] = [:]
    /// Log origin → the card fingerprint whose bundle first verified under it (`verified`
    /// or `flagged`: its signatures held either way).
    public private(set) var verifiedOrigins: [String: (sender: String, sequence: Int)] = [:]
    /// The first event that contradicts the ones before it, if any.
    public private(set) var firstConflict: Conflict?
    /// Events applied.
    public private(set) var count = 0

    /// An event that contradicts the log before it.
    public struct Conflict: Equatable, Sendable, CustomStringConvertible {
        public let sequence: Int
        public let reason: String
        public var description: String { "audit event \(sequence) \(reason)" }
    }

    public init() {}

    /// The actions `apply` reads; a reader may skip decoding the others.
    public static let actions: Set<AuditAction> = [
        .recordCreated, .recordAmended, .recordsImported, .handoverImported, .contactAdded, .contactRemoved,
        .consentGranted, .consentWithdrawn, .clientErased, .auditVerified,
    ]

    /// Folds one event in (events must come in log order; others than `actions` only count).
    public mutating func apply(_ event: AuditEvent) {
        defer { count += 1 }
        let at = event.sequence
        func conflict(_ reason: String) { noteConflict(at: at, reason) }
        switch event.action {
        case .recordCreated:
            for id in event.records ?? [] { addRecord(id, at: at) }
        case .recordAmended:
            for id in event.records ?? [] {
                guard let current = records[id] else { conflict("amends record \(id), which the log never created"); continue }
                let revision = event.revision ?? 0
                if revision != current.revision + 1 {
                    conflict("writes revision \(revision) of record \(id), whose latest is \(current.revision)")
                }
                records[id] = RecordEntry(revision: max(revision, current.revision), sequence: at)
            }
        case .recordsImported:
            if let ids = event.records {
                for id in ids { addRecord(id, at: at) }
            } else {
                unnamedImports += event.count ?? 0
            }
        case .handoverImported:
            for id in event.records ?? [] { addRecord(id, at: at) }
            guard let id = event.handover, let sender = event.sender else { conflict("imports a handover without naming it"); break }
            let key = ReceivedHandover(sender: sender, id: id)
            if let first = received[key] {
                conflict("imports handover \(id) from \(sender) again (first imported at event \(first.sequence))")
            } else {
                received[key] = (event.time, at)
            }
        case .contactAdded, .contactRemoved:
            guard let fingerprint = event.fingerprint, let name = event.contact else { conflict("names no contact"); break }
            let adding = event.action == .contactAdded
            if (contacts[fingerprint]?.present ?? false) == adding {
                conflict(adding ? "adds contact \(name) (\(fingerprint)), who is already a contact"
                                : "removes contact \(name) (\(fingerprint)), who is not a contact")
            }
            contacts[fingerprint] = ContactEntry(name: name, present: adding, sequence: at)
        case .consentGranted, .consentWithdrawn:
            // Version 1 wrote the consent id into `detail`.
            guard let id = event.consent ?? event.detail, let client = event.client, let version = event.revision,
                  let digest = event.digest else { conflict("names no consent"); break }
            let withdrawing = event.action == .consentWithdrawn
            if let current = consents[id] {
                if !withdrawing || current.withdrawn || version != current.version + 1 || client != current.client {
                    conflict("records version \(version) of consent \(id) after version \(current.version)"
                             + (current.withdrawn ? ", which was withdrawn" : ""))
                }
            } else if withdrawing || version != 1 {
                conflict("records version \(version) of consent \(id), which the log never granted")
            }
            consents[id] = ConsentEntry(client: client, version: version, digest: digest, sequence: at, withdrawn: withdrawing,
                                        withdrawnAt: withdrawing ? event.time : nil,
                                        validFrom: event.validFrom, validUntil: event.validUntil, effect: event.effect)
        case .clientErased:
            guard let client = event.client else { conflict("names no client"); break }
            if erasedClients[client] != nil { conflict("erases client \(client) again") }
            erasedClients[client] = erasedClients[client] ?? at
        case .auditVerified:
            // Version 1 wrote `origin=…; root=…; result=…; for=…` into `detail`.
            let parts = Self.detailParts(event.detail)
            guard ["verified", "flagged"].contains(event.result ?? parts["result"] ?? ""), let origin = event.origin ?? parts["origin"],
                  let sender = event.sender, verifiedOrigins[origin] == nil else { break }
            verifiedOrigins[origin] = (sender, at)
        default:
            break
        }
    }

    /// `key=value; key=value` of a version-1 `audit.verified` detail.
    static func detailParts(_ detail: String?) -> [String: String] {
        var parts: [String: String] = [:]
        for part in (detail ?? "").split(separator: ";") {
            let pair = part.trimmingPrefix(" ").split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parts[String(pair[0])] = String(pair[1]) }
        }
        return parts
    }

    private mutating func noteConflict(at sequence: Int, _ reason: String) {
        if firstConflict == nil { firstConflict = Conflict(sequence: sequence, reason: reason) }
    }

    private mutating func addRecord(_ id: String, at sequence: Int) {
        if records[id] != nil {
            noteConflict(at: sequence, "creates record \(id), which already exists")
            return
        }
        records[id] = RecordEntry(revision: 1, sequence: sequence)
    }
}
