public import CasebookFormat
import Foundation

/// The vault's audit log (docs/formats.md §6, §9), reached as `vault.audit`: its checked
/// events, the Merkle tree and signed checkpoints over them, verification against trusted
/// checkpoints, and audit bundles for a compliance contact.
public struct AuditService: VaultService {
    let context: VaultContext

    /// Every audit event, checked (see `checkedAuditLog`).
    public func events() throws -> [AuditEvent] {
        try checkedAuditLog().map(\.event)
    }
}

/// Reading the log, for every service that reports or proves events.
extension VaultService {
    /// Every stored audit row with its event, each checked by `VaultContext.checkedAuditRow`
    /// and carrying its own sequence number; a failure is an integrity error naming the
    /// first bad index.
    func checkedAuditLog() throws -> [(row: AuditRow, event: AuditEvent)] {
        try store.auditRows().enumerated().map { index, row in
            do {
                let canonical = try context.checkedAuditRow(row, at: index)
                guard let event = try? JSONDecoder().decode(AuditEvent.self, from: Data(canonical)), event.sequence == index else {
                    throw AuditLogFailure.undecryptable(index: UInt64(index))
                }
                return (row, event)
            } catch AuditLogFailure.missingEntry(let index, let next) {
                throw CasebookError(.integrity, "the audit log is not contiguous: entry \(index) is missing (the next one is \(next))",
                                    hint: "events were removed from the vault database outside Casebook")
            } catch {
                throw CasebookError.integrity("audit event \(index) does not decrypt or does not match its hash")
            }
        }
    }
}
