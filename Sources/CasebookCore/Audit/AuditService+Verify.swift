public import Foundation
import CasebookFormat

extension AuditService {
    /// Verifies this vault's own audit log: the stored rows run 0, 1, 2, … without a gap,
    /// every event decrypts and matches its stored leaf hash (so an altered event is found
    /// exactly), every event is canonical and carries its position, and the log is measured
    /// against the checkpoints of this vault in `trustedDirectory` (see `AuditLogVerifier`).
    /// Reads only; a failure is returned in `failure`, not thrown. Throws for a trusted
    /// folder that cannot be read or holds something other than checkpoints.
    public func verify(trustedDirectory: URL?, collectingReport: Bool) throws -> AuditVerification {
        let me = ownFingerprint
        var trustedSet = TrustedCheckpointSet.empty
        var failure: AuditLogFailure?
        var verifier = AuditLogVerifier()
        var events: [AuditEvent] = []
        var trusted: [TrustedCheckpoint] = []
        var review = DisclosureReview()
        do {
            if let trustedDirectory {
                trustedSet = try TrustedCheckpoints.load(directory: trustedDirectory, origin: auditOrigin,
                                                         signer: identity.minisignPublicKey.key)
            }
            for (index, row) in try store.auditRows().enumerated() {
                let canonical = try context.checkedAuditRow(row, at: index)
                try canonical.withUnsafeBytes { line in
                    let fields = try verifier.append(line)
                    let reviewed = Self.action(of: line, fields).map(Self.folded.contains) ?? false
                    let reported = collectingReport && AuditReport.isReported(line, fields.action)
                    guard reviewed || reported else { return }
                    let event = try Self.decodeEvent(line, index: UInt64(index))
                    if reviewed { review.apply(event) }
                    if reported { events.append(event) }
                }
            }
            trusted = try verifier.finish(trusted: trustedSet.checkpoints, signed: nil)
        } catch let error as AuditLogFailure {
            failure = error
        }
        var disagreement: String?
        if failure == nil {
            do {
                try checkTables(against: review.state)
            } catch let error as CasebookError where error.code == .integrity {
                disagreement = error.message
            }
        }
        return AuditVerification(
            origin: auditOrigin, ownerName: profile.name, ownerFingerprint: me, exported: nil, eventCount: verifier.count,
            rootHash: verifier.tree.rootHash, checkpoint: nil, trusted: trusted, ignored: trustedSet.ignored,
            failure: failure, events: events, flags: failure == nil ? review.flags : [], disagreement: disagreement)
    }

    /// The events a vault's own verification decodes: the review's and those the tables are checked against.
    static let folded = DisclosureReview.actions.union(AuditLogState.actions)

    /// Every table against the log (docs/vault-format.md §10.3): the log's own contradictions
    /// first, then consents, contacts, the register of received handovers, records and
    /// erasures. Throws the first disagreement.
    func checkTables(against state: AuditLogState) throws {
        if let conflict = state.firstConflict { throw Self.disagreement("\(conflict)") }
        context.adoptLedger(state)
        _ = try consents()
        _ = try contacts.list()
        try checkRegister(against: state)
        try checkRecordRows(against: state)
        try checkErasures(against: state)
    }
}
