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
        do {
            if let trustedDirectory {
                trustedSet = try TrustedCheckpoints.load(directory: trustedDirectory, origin: auditOrigin,
                                                         signer: identity.minisignPublicKey.key)
            }
            for (index, row) in try store.auditRows().enumerated() {
                let canonical = try context.checkedAuditRow(row, at: index)
                try canonical.withUnsafeBytes { line in
                    let fields = try verifier.append(line)
                    if collectingReport && AuditReport.isReported(line, fields.action) {
                        events.append(try Self.decodeEvent(line, index: UInt64(index)))
                    }
                }
            }
            trusted = try verifier.finish(trusted: trustedSet.checkpoints, signed: nil)
        } catch let error as AuditLogFailure {
            failure = error
        }
        return AuditVerification(
            origin: auditOrigin, ownerName: profile.name, ownerFingerprint: me, exported: nil, eventCount: verifier.count,
            rootHash: verifier.tree.rootHash, checkpoint: nil, trusted: trusted, ignored: trustedSet.ignored,
            failure: failure, events: events)
    }
}
