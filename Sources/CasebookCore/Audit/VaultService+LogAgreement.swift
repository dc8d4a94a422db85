import Foundation
import CasebookCrypto
import CasebookFormat

/// The tables checked against the audit log (docs/vault-format.md §10.3). The log cannot be
/// forged without the vault's keys, but its tables are only rows: anyone who can write
/// `vault.db` can delete a withdrawal, put back a removed contact or empty the register of
/// received handovers. So every decision that depends on them first checks that they say
/// what the log says, and `audit verify` checks all of them; the first disagreement is an
/// integrity error (exit 6) naming what differs.
extension VaultService {
    /// What the verified log says this vault holds; with `records` false, all but which
    /// records exist (see `VaultContext.ledger(records:)`).
    func ledger(records: Bool = false) throws -> AuditLogState { try context.ledger(records: records) }

    /// The error for a table that disagrees with the log.
    static func disagreement(_ what: String) -> CasebookError {
        CasebookError(.integrity, "the vault's tables disagree with its audit log: \(what)", remedy: .verifyLogAndRestore)
    }

    /// The consent rows are exactly the versions the log recorded: versions 1 to N of every
    /// consent id the log names (whether or not its client was erased), no more, no fewer.
    /// (That the latest version's contents have the hash the log recorded is checked where
    /// it is opened, `checkConsentContents`.)
    func checkConsentRows(_ rows: [ConsentRow], against state: AuditLogState) throws {
        var expected: [[UInt8]: (id: String, version: Int, sequence: Int)] = [:]
        for (id, consent) in state.consents {
            for version in 1...max(1, consent.version) {
                expected[keys.consentRowID(id: id, version: version)] = (id, version, consent.sequence)
            }
        }
        var seen = Set<[UInt8]>()
        for row in rows {
            guard expected[row.id] != nil else {
                throw Self.disagreement("the consents table holds a consent version the log never recorded")
            }
            seen.insert(row.id)
        }
        if let missing = expected.filter({ !seen.contains($0.key) }).values.sorted(by: { ($0.id, $0.version) < ($1.id, $1.version) }).first {
            throw Self.disagreement("consent \(missing.id) v\(missing.version) is missing from the consents table (the log recorded it; its latest version is at audit event \(missing.sequence))")
        }
    }

    /// Each opened latest version is the one the log recorded last, with the same hash and client.
    func checkConsentContents(_ latest: [Consent], against state: AuditLogState) throws {
        for consent in latest {
            if let logged = state.consents[consent.id], logged.version > consent.version {
                throw Self.disagreement("consent \(consent.id) v\(consent.version + 1) is missing from the consents table (the log recorded it; its latest version is at audit event \(logged.sequence))")
            }
            guard let logged = state.consents[consent.id], logged.version == consent.version,
                  logged.digest == consent.canonicalHash, logged.client == consent.client.rawValue else {
                throw Self.disagreement("\(consent.label) is not the version the log recorded last")
            }
        }
    }

    /// The contact rows are exactly the contacts the log has added and not removed, each
    /// under the name the log recorded.
    func checkContacts(_ contacts: [Contact], rows: [ContactRow], against state: AuditLogState) throws {
        var expected: [[UInt8]: (name: String, fingerprint: String)] = [:]
        for (fingerprint, contact) in state.contacts where contact.present {
            guard let parsed = try? IdentityFingerprint(parsing: fingerprint) else {
                throw Self.disagreement("the log names contact \(contact.name) by a malformed fingerprint")
            }
            expected[keys.contactID(for: parsed)] = (contact.name, fingerprint)
        }
        for contact in contacts {
            let fingerprint = contact.fingerprint.description
            guard let logged = state.contacts[fingerprint] else {
                throw Self.disagreement("contact \(contact.name) (\(fingerprint)) is in the contacts table but the log never added it")
            }
            guard logged.present else {
                throw Self.disagreement("contact \(contact.name) (\(fingerprint)) is in the contacts table but was removed (audit event \(logged.sequence))")
            }
            guard logged.name == contact.name else {
                throw Self.disagreement("contact \(fingerprint) is named '\(contact.name)' in the contacts table but '\(logged.name)' in the log")
            }
        }
        let present = Set(rows.map(\.id))
        if let missing = expected.filter({ !present.contains($0.key) }).values.sorted(by: { $0.name < $1.name }).first {
            throw Self.disagreement("contact \(missing.name) (\(missing.fingerprint)) is missing from the contacts table (the log added it and never removed it)")
        }
    }

    /// The records named are at the revision the log last recorded for each.
    func checkRecords(_ revisions: [RecordRevision], against state: AuditLogState) throws {
        for revision in revisions {
            if let logged = state.records[revision.recordID] {
                guard logged.revision == revision.revision else {
                    throw Self.disagreement("record \(revision.recordID) is at revision \(revision.revision) but the log recorded revision \(logged.revision) (audit event \(logged.sequence))")
                }
            } else if state.unnamedImports == 0 {
                throw Self.disagreement("record \(revision.recordID) is in the records table but the log never recorded it")
            }
        }
    }
}

/// The checks only `audit verify` runs: they read whole tables.
extension VaultService {
    /// One register row per handover the log says was imported, keyed by sender and id (or,
    /// for rows written before 0.2, by id alone), and no other row.
    func checkRegister(against state: AuditLogState) throws {
        var rows = Set(try store.receivedHandoverIDMACs())
        for (handover, imported) in state.received.sorted(by: { $0.value.sequence < $1.value.sequence }) {
            let sender = try? IdentityFingerprint(parsing: handover.sender)
            let current = HandoverService.registerMAC(id: handover.id, sender: sender, key: keys.handoverRegisterIndex)
            let legacy = HandoverService.registerMAC(id: handover.id, sender: nil, key: keys.handoverRegisterIndex)
            guard sender != nil, rows.remove(current) != nil || rows.remove(legacy) != nil else {
                throw Self.disagreement("handover \(handover.id) from \(handover.sender), imported at audit event \(imported.sequence), is missing from the register of received handovers")
            }
        }
        guard rows.isEmpty else {
            throw Self.disagreement("the register of received handovers holds \(rows.count) entr\(rows.count == 1 ? "y" : "ies") the log never recorded")
        }
    }

    /// Every record the log created is in the records table at the revision the log last
    /// wrote, with one revision row for each of its revisions; every record in the table is
    /// one the log created (or one of the records a version-1 import event counted).
    func checkRecordRows(against state: AuditLogState) throws {
        var unnamed = 0
        var present = Set<String>()
        for row in try store.recordRevisionCounts() {
            present.insert(row.id)
            guard row.revisionRows == row.latestRevision, row.highestRevision == row.latestRevision else {
                throw Self.disagreement("record \(row.id) names revision \(row.latestRevision) as its latest but has \(row.revisionRows) revision row(s), up to revision \(row.highestRevision)")
            }
            guard let logged = state.records[row.id] else {
                unnamed += 1
                guard unnamed <= state.unnamedImports else {
                    throw Self.disagreement("record \(row.id) is in the records table but the log never recorded it")
                }
                continue
            }
            guard logged.revision == row.latestRevision else {
                throw Self.disagreement("record \(row.id) is at revision \(row.latestRevision) but the log recorded revision \(logged.revision) (audit event \(logged.sequence))")
            }
        }
        if let missing = state.records.filter({ !present.contains($0.key) }).min(by: { $0.value.sequence < $1.value.sequence }) {
            throw Self.disagreement("record \(missing.key), recorded at audit event \(missing.value.sequence), is missing from the records table")
        }
    }

    /// The erasure records are exactly the clients the log erased.
    func checkErasures(against state: AuditLogState) throws {
        let rows = Set(try store.erasedClients().map(\.id))
        for (client, sequence) in state.erasedClients.sorted(by: { $0.value < $1.value }) where !rows.contains(keys.clientID(for: client)) {
            throw Self.disagreement("the erasure of client \(client) (audit event \(sequence)) is missing from the erasure records")
        }
        guard rows.count == state.erasedClients.count else {
            throw Self.disagreement("the erasure records hold a client the log never erased")
        }
    }
}
