public import CasebookFormat

/// The outcome of verifying one audit log (a contact's bundle, or this vault's own log):
/// whose log it is, how far it was read, what it was measured against, and the failure, if
/// any. A failed verification still describes what was read before the failure, so that a
/// report can show it, marked as failed.
public struct AuditVerification: Sendable {
    /// The log's origin (`casebook.example/vault/<id>`).
    public let origin: String
    /// Whose log: the contact's name (or this vault's owner) and card fingerprint.
    public let ownerName: String
    public let ownerFingerprint: IdentityFingerprint
    /// When the bundle was exported (its `audit.exported` event); nil for a vault's own log.
    public let exported: String?
    /// Events read and verified (all of them, unless `failure` stopped the reading).
    public let eventCount: UInt64
    /// The root of the tree over those events.
    public let rootHash: MerkleHash
    /// The bundle's own signed checkpoint, when its signature verified.
    public let checkpoint: TrustedCheckpoint?
    /// The trusted checkpoints of this log the log was measured against, smallest first.
    public let trusted: [TrustedCheckpoint]
    /// Files in the trusted folder that belong to other people's logs.
    public let ignored: [String]
    /// Nil when every check passed.
    public let failure: AuditLogFailure?
    /// The disclosure and refusal events read (`AuditReport.actions`), when asked for.
    public let events: [AuditEvent]
    /// Disclosures the log's own consent history does not support (`DisclosureReview`).
    public var flags: [DisclosureReview.Flag] = []
    /// A vault's own log: the first disagreement between its tables and the log, if any.
    public var disagreement: String?

    public var isVerified: Bool { failure == nil && disagreement == nil }

    public init(origin: String, ownerName: String, ownerFingerprint: IdentityFingerprint, exported: String?, eventCount: UInt64,
                rootHash: MerkleHash, checkpoint: TrustedCheckpoint?, trusted: [TrustedCheckpoint], ignored: [String],
                failure: AuditLogFailure?, events: [AuditEvent], flags: [DisclosureReview.Flag] = [], disagreement: String? = nil) {
        self.flags = flags
        self.disagreement = disagreement
        self.origin = origin
        self.ownerName = ownerName
        self.ownerFingerprint = ownerFingerprint
        self.exported = exported
        self.eventCount = eventCount
        self.rootHash = rootHash
        self.checkpoint = checkpoint
        self.trusted = trusted
        self.ignored = ignored
        self.failure = failure
        self.events = events
    }

    /// One line: "verified: …" or "FAILED: …".
    public var summary: String {
        if let failure { return "FAILED: \(failure.message)" }
        if let disagreement { return "FAILED: \(disagreement)" }
        if !flags.isEmpty { return "FLAGGED: the log verified, but \(flags.count) disclosure(s) went against the consent history recorded before them" }
        var text = "verified: \(eventCount) events, tree root \(rootHash.base64)"
        if checkpoint != nil { text += ", checkpoint signed by \(ownerName)" }
        text += trusted.isEmpty ? ", no trusted checkpoint" : ", consistent with \(trusted.count) trusted checkpoint(s) (sizes \(trusted.map { String($0.checkpoint.size) }.joined(separator: ", ")))"
        return text
    }
}
