public import CasebookFormat
public import Foundation

/// One revision of a record as the vault returns it.
public struct RecordRevision: Sendable {
    public let recordID: String
    public let revision: Int
    public let metadata: RevisionMetadata
    public let content: RecordContent
}

/// Who wrote a revision, when, and why (for amendments). Stored encrypted with the revision.
public struct RevisionMetadata: Equatable, Sendable {
    public enum Origin: String, Sendable {
        case created, amended, imported
        /// Imported from a handover another practitioner sealed to this vault.
        case received
    }

    /// Where a received record came from.
    public struct Provenance: Equatable, Sendable {
        /// The sender's contact name and card fingerprint, as `NAME (FINGERPRINT)`.
        public let sender: String
        public let handoverID: String
        /// The record in the sender's vault: `ID` and revision, as `ID/REVISION`.
        public let source: String
        /// Section keys the sender withheld, in the kind's field order.
        public let withheld: [String]

        public init(sender: String, handoverID: String, source: String, withheld: [String]) {
            self.sender = sender
            self.handoverID = handoverID
            self.source = source
            self.withheld = withheld
        }
    }

    public let author: String
    public let authorKeyID: String
    public let recordedAt: String
    public let origin: Origin
    public let reason: String?
    /// Set exactly when `origin` is `.received`.
    public let provenance: Provenance?

    public init(author: String, authorKeyID: String, recordedAt: String, origin: Origin, reason: String?,
                provenance: Provenance? = nil) {
        self.author = author
        self.authorKeyID = authorKeyID
        self.recordedAt = recordedAt
        self.origin = origin
        self.reason = reason
        self.provenance = provenance
    }

    static let keys = (author: "rev.author", authorKey: "rev.author-key", recordedAt: "rev.recorded-at",
                       origin: "rev.origin", reason: "rev.reason", sender: "rev.received-from",
                       handover: "rev.handover", source: "rev.source", withheld: "rev.withheld")

    var fields: [(key: String, value: String)] {
        var fields = [(Self.keys.author, author), (Self.keys.authorKey, authorKeyID), (Self.keys.recordedAt, recordedAt),
                      (Self.keys.origin, origin.rawValue)]
        if let reason { fields.append((Self.keys.reason, reason)) }
        if let provenance {
            fields += [(Self.keys.sender, provenance.sender), (Self.keys.handover, provenance.handoverID),
                       (Self.keys.source, provenance.source)]
            if !provenance.withheld.isEmpty { fields.append((Self.keys.withheld, provenance.withheld.joined(separator: ","))) }
        }
        return fields.map { (key: $0.0, value: $0.1) }
    }
}

/// The latest revision of a record with its revision metadata (JSON listings, search).
public struct RecordSummary: Sendable {
    public let recordID: String
    public let revision: Int
    public let metadata: RevisionMetadata
    public let header: RecordHeader

    /// The columns `note list` shows.
    public var listing: RecordListing {
        RecordListing(recordID: recordID, revision: revision, kind: header.kind, client: header.client, start: header.start,
                      durationMinutes: header.durationMinutes, modality: header.modality, attendance: header.attendance)
    }
}

/// Which records a listing or search covers. Dates compare with the session start.
public struct RecordFilter: Sendable {
    public var client: ClientReference?
    public var kind: RecordKind?
    public var since: Date?
    public var until: Date?

    public init(client: ClientReference? = nil, kind: RecordKind? = nil, since: Date? = nil, until: Date? = nil) {
        self.client = client
        self.kind = kind
        self.since = since
        self.until = until
    }

    func matches(kind: RecordKind, client: ClientReference, start: SessionStart) -> Bool {
        if let wanted = self.kind, kind != wanted { return false }
        if let wanted = self.client, client != wanted { return false }
        if let since, start.date < since { return false }
        if let until, start.date >= until { return false }
        return true
    }
}
