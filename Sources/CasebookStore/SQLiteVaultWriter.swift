import CasebookFormat
import Foundation
import CasebookCore
import GRDB

/// Writes inside one GRDB transaction; statements are cached so a 100,000-record
/// import prepares each of them once.
final class SQLiteVaultWriter: VaultStoreWriter {
    let db: Database
    /// The next `revisions.seq`, read once per transaction.
    private var nextSeq: Int64?

    init(db: Database) {
        self.db = db
    }

    func insertHeader(_ header: VaultHeaderRow) throws {
        try db.execute(sql: """
            INSERT INTO vault (singleton, format_version, vault_id, kdf_algorithm, kdf_opslimit, kdf_memlimit, kdf_salt,
                               wrapped_master_key, sealed_identity, sealed_profile)
            VALUES (1, ?, ?, 'argon2id13', ?, ?, ?, ?, ?, ?)
            """, arguments: [header.formatVersion, Data(header.vaultID), Int64(header.kdfOpsLimit), Int64(header.kdfMemLimit),
                             Data(header.kdfSalt), Data(header.wrappedMasterKey), Data(header.sealedIdentity),
                             Data(header.sealedProfile)])
    }

    func replaceKeyWrapping(_ header: VaultHeaderRow) throws {
        try db.execute(sql: """
            UPDATE vault SET kdf_opslimit = ?, kdf_memlimit = ?, kdf_salt = ?, wrapped_master_key = ? WHERE singleton = 1
            """, arguments: [Int64(header.kdfOpsLimit), Int64(header.kdfMemLimit), Data(header.kdfSalt), Data(header.wrappedMasterKey)])
        guard db.changesCount == 1 else { throw CasebookError(.integrity, "the vault's key record is missing") }
    }

    func wrappedClientKey(id: [UInt8]) throws -> [UInt8]? {
        guard let row = try Row.fetchOne(db, sql: "SELECT wrapped_key FROM client_keys WHERE id = ?", arguments: [Data(id)]) else {
            return nil
        }
        return try row.blob(0)
    }

    func insertClientKey(id: [UInt8], wrappedKey: [UInt8]) throws {
        try db.cachedStatement(sql: "INSERT INTO client_keys (id, wrapped_key) VALUES (?, ?)")
            .execute(arguments: [Data(id), Data(wrappedKey)])
    }

    func insertRevision(_ row: RevisionRow) throws {
        // The revision's row number is chosen here so the record can point at it before
        // the row exists (the row's foreign key needs the record first).
        let seq = try nextSeq ?? ((Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM revisions") ?? 0) + 1)
        nextSeq = seq + 1
        if row.revision == 1 {
            try db.cachedStatement(sql: """
                INSERT INTO records (id, client_id, latest_revision, latest_seq, sealed_summary) VALUES (?, ?, 1, ?, ?)
                """).execute(arguments: [row.recordID, Data(row.clientID), seq, Data(row.sealedSummary)])
            try db.cachedStatement(sql: "INSERT INTO record_filters (seq, sealed_filter) VALUES (?, ?)")
                .execute(arguments: [db.lastInsertedRowID, Data(row.sealedFilter)])
        } else {
            try db.cachedStatement(sql: """
                UPDATE records SET latest_revision = ?, latest_seq = ?, sealed_summary = ? WHERE id = ? AND latest_revision = ?
                """).execute(arguments: [row.revision, seq, Data(row.sealedSummary), row.recordID, row.revision - 1])
            guard db.changesCount == 1 else {
                throw CasebookError(.integrity, "record \(row.recordID) changed while it was being amended")
            }
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO record_filters (seq, sealed_filter) VALUES ((SELECT seq FROM records WHERE id = ?), ?)
                """).execute(arguments: [row.recordID, Data(row.sealedFilter)])
        }
        try db.cachedStatement(sql: "INSERT INTO revisions (seq, record_id, revision, sealed_meta, sealed_body) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [seq, row.recordID, row.revision, Data(row.sealedMeta), Data(row.sealedBody)])
    }

    func recordExists(_ recordID: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM records WHERE id = ?)"), arguments: [recordID]) ?? false
    }

    func auditCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events") ?? 0
    }

    func auditRows() throws -> [AuditRow] {
        try Row.fetchAll(db, sql: "SELECT sequence, leaf_hash, sealed_event FROM audit_events ORDER BY sequence").map { row in
            AuditRow(sequence: Int(try row.integer(0)), leafHash: try row.blob(1), sealedEvent: try row.blob(2))
        }
    }

    func erasedClient(id: [UInt8]) throws -> [UInt8]? {
        try Row.fetchOne(db, sql: "SELECT sealed_info FROM erased_clients WHERE client_id = ?", arguments: [Data(id)]).map { try $0.blob(0) }
    }

    func eraseClient(id: [UInt8], sealedInfo: [UInt8]) throws {
        try db.execute(sql: "DELETE FROM client_keys WHERE id = ?", arguments: [Data(id)])
        guard db.changesCount == 1 else { throw CasebookError(.integrity, "the client's data key is missing") }
        try db.execute(sql: "INSERT INTO erased_clients (client_id, sealed_info) VALUES (?, ?)", arguments: [Data(id), Data(sealedInfo)])
    }

    func insertReceivedHandover(idMAC: [UInt8], sealedInfo: [UInt8]) throws {
        try db.execute(sql: "INSERT INTO received_handovers (id_mac, sealed_info) VALUES (?, ?)",
                       arguments: [Data(idMAC), Data(sealedInfo)])
    }

    func appendAudit(_ row: AuditRow) throws {
        try db.cachedStatement(sql: "INSERT INTO audit_events (sequence, leaf_hash, sealed_event) VALUES (?, ?, ?)")
            .execute(arguments: [row.sequence, Data(row.leafHash), Data(row.sealedEvent)])
    }

    func contactRows() throws -> [ContactRow] {
        try ContactRows.all(db)
    }

    func insertContact(_ row: ContactRow) throws {
        try db.execute(sql: "INSERT INTO contacts (id, sealed_contact) VALUES (?, ?)",
                       arguments: [Data(row.id), Data(row.sealedContact)])
    }

    func deleteContact(id: [UInt8]) throws {
        try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [Data(id)])
        guard db.changesCount == 1 else { throw CasebookError(.integrity, "the contact changed while it was being removed") }
    }

    func consentRow(id: [UInt8]) throws -> ConsentRow? {
        try ConsentRows.one(db, id: id)
    }

    func insertConsent(_ row: ConsentRow) throws {
        try db.execute(sql: "INSERT INTO consents (row_id, client_id, sealed_consent) VALUES (?, ?, ?)",
                       arguments: [Data(row.id), Data(row.clientID), Data(row.sealedConsent)])
    }
}

/// Reading the `contacts` table, with checked column types.
enum ContactRows {
    static func all(_ db: Database) throws -> [ContactRow] {
        try Row.fetchAll(db, sql: "SELECT id, sealed_contact FROM contacts").map(row)
    }

    static func one(_ db: Database, id: [UInt8]) throws -> ContactRow? {
        try Row.fetchOne(db, sql: "SELECT id, sealed_contact FROM contacts WHERE id = ?", arguments: [Data(id)]).map(row)
    }

    private static func row(_ row: Row) throws -> ContactRow {
        ContactRow(id: try row.blob(0), sealedContact: try row.blob(1))
    }
}

/// Reading the `consents` table, with checked column types.
enum ConsentRows {
    static func all(_ db: Database) throws -> [ConsentRow] {
        try Row.fetchAll(db, sql: "SELECT row_id, client_id, sealed_consent FROM consents").map(row)
    }

    static func one(_ db: Database, id: [UInt8]) throws -> ConsentRow? {
        try Row.fetchOne(db, sql: "SELECT row_id, client_id, sealed_consent FROM consents WHERE row_id = ?", arguments: [Data(id)]).map(row)
    }

    private static func row(_ row: Row) throws -> ConsentRow {
        ConsentRow(id: try row.blob(0), clientID: try row.blob(1), sealedConsent: try row.blob(2))
    }
}
