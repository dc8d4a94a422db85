public import Foundation
public import CasebookCore
import GRDB

/// The embedded default store: one SQLite file, `vault.db`, in a `0700` folder.
public final class SQLiteVaultStore: VaultStore {
    public static let databaseFileName = "vault.db"

    let queue: DatabaseQueue
    /// Files of the vault that other users can read (see `VaultFilePermissions`), each with
    /// its fix, for the interface to show as warnings.
    public let permissionWarnings: [String]

    private init(queue: DatabaseQueue, permissionWarnings: [String] = []) {
        self.queue = queue
        self.permissionWarnings = permissionWarnings
    }

    /// Creates the vault folder (`0700`) and an empty database (`0600`). Refuses a
    /// folder that already holds a vault or anything else.
    public static func create(in folder: URL) throws(CasebookError) -> SQLiteVaultStore {
        let files = FileManager.default
        let databaseURL = folder.appendingPathComponent(databaseFileName)
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CasebookError(.alreadyExists, "\(folder.path) exists and is not a folder")
            }
            if files.fileExists(atPath: databaseURL.path) {
                throw CasebookError(.alreadyExists, "a vault already exists in \(folder.path)",
                                    remedy: .chooseAnotherVaultFolder)
            }
            let contents = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
            guard contents.isEmpty else {
                throw CasebookError(.alreadyExists, "\(folder.path) is not empty",
                                    hint: "create the vault in a new or empty folder")
            }
        } else {
            do {
                try files.createDirectory(at: folder, withIntermediateDirectories: true,
                                          attributes: [.posixPermissions: 0o700])
            } catch {
                throw CasebookError(.environment, "cannot create the vault folder \(folder.path)")
            }
        }
        try restrict(folder.path, to: 0o700)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: databaseURL.path, configuration: configuration(readOnly: false))
            try restrict(databaseURL.path, to: 0o600)
            // Only takes effect before the first table exists.
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = \(Schema.pageSize)") }
            try Schema.migrator().migrate(queue)
        } catch let error as CasebookError {
            throw error
        } catch {
            throw StoreErrors.map(error)
        }
        return SQLiteVaultStore(queue: queue)
    }

    /// Opens an existing vault. `readOnly` guarantees the command cannot change it. A folder
    /// or database other users can write is refused before it is opened.
    public static func open(in folder: URL, readOnly: Bool) throws(CasebookError) -> SQLiteVaultStore {
        let databaseURL = folder.appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: databaseURL.path) else {
            throw CasebookError(.notFound, "no vault in \(folder.path)",
                                remedy: .createVault)
        }
        let warnings = try VaultFilePermissions.check(folder: folder, database: databaseURL)
        do {
            let queue = try DatabaseQueue(path: databaseURL.path, configuration: configuration(readOnly: readOnly))
            let migrator = Schema.migrator()
            let (applied, complete, superseded) = try queue.read { db in
                (try migrator.appliedIdentifiers(db), try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db))
            }
            if superseded {
                throw CasebookError(.invalidInput, "this vault was written by a newer Casebook", hint: "upgrade Casebook to open it")
            }
            if complete { return SQLiteVaultStore(queue: queue, permissionWarnings: warnings) }
            guard applied.contains("v1") else {
                throw CasebookError(.integrity, "the vault database is incomplete or not a Casebook vault",
                                    hint: "restore the vault folder from a backup")
            }
            // Written by an older Casebook: upgrade it in place, in one transaction per
            // migration (a failed upgrade leaves the vault as it was), even for a command
            // that only reads. Ciphertexts are moved, never re-encrypted.
            if readOnly {
                try migrator.migrate(try DatabaseQueue(path: databaseURL.path, configuration: configuration(readOnly: false)))
            } else {
                try migrator.migrate(queue)
            }
            return SQLiteVaultStore(queue: queue, permissionWarnings: warnings)
        } catch let error as CasebookError {
            throw error
        } catch {
            throw StoreErrors.map(error)
        }
    }

    /// A private in-memory store (tests).
    public static func inMemory() throws -> SQLiteVaultStore {
        let queue = try DatabaseQueue(configuration: configuration(readOnly: false))
        try Schema.migrator().migrate(queue)
        return SQLiteVaultStore(queue: queue)
    }

    private static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Freed pages are overwritten, so removed key material does not linger in the file.
            if !readOnly { try db.execute(sql: "PRAGMA secure_delete = ON") }
        }
        return configuration
    }

    private static func restrict(_ path: String, to mode: Int) throws(CasebookError) {
        do {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw CasebookError(.environment, "cannot set permissions on \(path)")
        }
    }

    // MARK: VaultStore

    public func loadHeader() throws(CasebookError) -> VaultHeaderRow {
        try StoreErrors.mapping {
            try queue.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM vault WHERE singleton = 1") else {
                    throw CasebookError(.integrity, "the vault database has no key record",
                                        hint: "restore the vault folder from a backup")
                }
                guard let opsLimit = UInt64(exactly: try row.integer("kdf_opslimit")),
                      let memLimit = UInt64(exactly: try row.integer("kdf_memlimit")) else {
                    throw CasebookError(.integrity, "the vault's key record is malformed")
                }
                return VaultHeaderRow(
                    formatVersion: Int(try row.integer("format_version")), vaultID: try row.blob("vault_id"),
                    kdfOpsLimit: opsLimit, kdfMemLimit: memLimit, kdfSalt: try row.blob("kdf_salt"),
                    wrappedMasterKey: try row.blob("wrapped_master_key"),
                    sealedIdentity: try row.blob("sealed_identity"), sealedProfile: try row.blob("sealed_profile"))
            }
        }
    }

    public func write<T>(_ body: (any VaultStoreWriter) throws -> T) throws -> T {
        do {
            return try queue.write { db in try body(SQLiteVaultWriter(db: db)) }
        } catch let error as CasebookError {
            throw error
        } catch let error as DatabaseError {
            throw StoreErrors.map(error)
        }
    }

    public func wrappedClientKey(id: [UInt8]) throws(CasebookError) -> [UInt8]? {
        try StoreErrors.mapping {
            try queue.read { db in try SQLiteVaultWriter(db: db).wrappedClientKey(id: id) }
        }
    }

    public func revisions(recordID: String) throws(CasebookError) -> RecordRevisions {
        try revisions(recordIDs: [recordID])[0]
    }

    public func revisions(recordIDs: [String]) throws(CasebookError) -> [RecordRevisions] {
        try StoreErrors.mapping {
            try queue.read { db in try recordIDs.map { try Self.revisions(recordID: $0, db: db) } }
        }
    }

    private static func revisions(recordID: String, db: Database) throws -> RecordRevisions {
                guard let record = try Row.fetchOne(db.cachedStatement(sql: "SELECT client_id, latest_revision, latest_seq FROM records WHERE id = ?"),
                                                    arguments: [recordID]) else { return RecordRevisions(rows: [], latest: 0) }
                let clientID = try record.blob("client_id")
                let latest = Int(try record.integer("latest_revision"))
                var latestSeq: Int64?
                let rows = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT seq, revision, sealed_meta, sealed_body FROM revisions WHERE record_id = ? ORDER BY revision
                    """), arguments: [recordID]).map { row in
                    let revision = Int(try row.integer("revision"))
                    if revision == latest { latestSeq = try row.integer("seq") }
                    return RevisionRow(recordID: recordID, revision: revision, clientID: clientID,
                                       sealedMeta: try row.blob("sealed_meta"), sealedBody: try row.blob("sealed_body"))
                }
                // The row pointer that scans follow must name the same row as the revision
                // number (a wrong revision number itself is reported by the caller's count check).
                if rows.count == latest, latestSeq != (try record.integer("latest_seq")) {
                    throw CasebookError(.integrity, "record integrity check failed: record \(recordID)'s latest-revision pointers disagree",
                                        hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
                }
                return RecordRevisions(rows: rows, latest: latest)
    }

    /// The hot path of `note list` and `note search`: steps the statement with the
    /// SQLite C API and hands each row over as a value, one at a time.
    public func forEachLatestRevision(
        clientID: [UInt8]?, includeBody: Bool, candidate: ((RecordFilterRow) throws -> Bool)?,
        _ visit: (LatestRevisionRow) throws -> Void
    ) throws {
        // One pass over `records` (or a client's slice of it, through its index) and one
        // rowid lookup per record; RawRows checks that the row found is the revision named.
        // With a `candidate` test, a first pass reads only the records' filters, and the
        // revisions are then looked up one record at a time.
        let select = """
            SELECT r.id, r.latest_revision, r.client_id, v.sealed_meta, \(includeBody ? "v.sealed_body" : "NULL"),
                   v.record_id, v.revision, r.sealed_summary, r.seq
            FROM records r LEFT JOIN revisions v ON v.seq = r.latest_seq
            """
        let clientFilter = clientID == nil ? "" : "WHERE r.client_id = ?"
        do {
            try queue.read { db in
                let clientKeys = try ClientKeyTable(db)
                let arguments: StatementArguments = clientID.map { [Data($0)] } ?? []
                guard let candidate else {
                    let statement = try db.makeStatement(sql: "\(select) \(clientFilter)")
                    try statement.setArguments(arguments)
                    try RawRows(statement.sqliteStatement, clientKeys: clientKeys).forEach(includeBody: includeBody, visit)
                    return
                }
                let filters = try db.makeStatement(sql: """
                    SELECT r.id, r.latest_revision, r.client_id, f.sealed_filter, r.seq
                    FROM records r LEFT JOIN record_filters f ON f.seq = r.seq \(clientFilter)
                    """)
                try filters.setArguments(arguments)
                let (wanted, total) = try RawRows(filters.sqliteStatement, clientKeys: clientKeys).candidates(candidate)
                if wanted.count * 4 > total {
                    // Most records may match: one sequential pass, skipping the others, is
                    // cheaper than a lookup per candidate.
                    let statement = try db.makeStatement(sql: "\(select) \(clientFilter)")
                    try statement.setArguments(arguments)
                    try RawRows(statement.sqliteStatement, clientKeys: clientKeys)
                        .forEach(includeBody: includeBody, only: Set(wanted), visit)
                    return
                }
                let one = try db.makeStatement(sql: "\(select) WHERE r.seq = ?")
                let rows = RawRows(one.sqliteStatement, clientKeys: clientKeys)
                for seq in wanted {
                    try rows.rebind(seq)
                    try rows.forEach(includeBody: includeBody, visit)
                }
            }
        } catch let error as CasebookError {
            throw error
        } catch let error as DatabaseError {
            throw StoreErrors.map(error)
        }
    }

    /// The hot path of `note list`: one sequential pass over `records`.
    public func forEachRecordSummary(clientID: [UInt8]?, _ visit: (RecordSummaryRow) throws -> Void) throws {
        let filter = clientID == nil ? "" : "WHERE r.client_id = ?"
        let sql = """
            SELECT r.id, r.latest_revision, r.client_id, r.sealed_summary FROM records r \(filter)
            """
        do {
            try queue.read { db in
                let clientKeys = try ClientKeyTable(db)
                let statement = try db.makeStatement(sql: sql)
                if let clientID { try statement.setArguments([Data(clientID)]) }
                try RawRows(statement.sqliteStatement, clientKeys: clientKeys).forEachSummary(visit)
            }
        } catch let error as CasebookError {
            throw error
        } catch let error as DatabaseError {
            throw StoreErrors.map(error)
        }
    }

    public func erasedClients() throws(CasebookError) -> [ErasedClientRow] {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT client_id, sealed_info FROM erased_clients").map {
                    ErasedClientRow(id: try $0.blob(0), sealedInfo: try $0.blob(1))
                }
            }
        }
    }

    public func receivedHandover(idMAC: [UInt8]) throws(CasebookError) -> [UInt8]? {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT sealed_info FROM received_handovers WHERE id_mac = ?", arguments: [Data(idMAC)])
                    .map { try $0.blob(0) }
            }
        }
    }

    public func receivedHandoverIDMACs() throws(CasebookError) -> [[UInt8]] {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id_mac FROM received_handovers").map { try $0.blob(0) }
            }
        }
    }

    public func recordRevisionCounts() throws(CasebookError) -> [RecordRevisionCount] {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT records.id, records.latest_revision, COUNT(revisions.seq), MAX(revisions.revision)
                    FROM records LEFT JOIN revisions ON revisions.record_id = records.id
                    GROUP BY records.id ORDER BY records.id
                    """).map { row in
                    RecordRevisionCount(id: try row.text(0), latestRevision: Int(try row.integer(1)), revisionRows: Int(try row.integer(2)),
                                        highestRevision: row[3] == nil ? 0 : Int(try row.integer(3)))
                }
            }
        }
    }

    public func auditRows() throws(CasebookError) -> [AuditRow] {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT sequence, leaf_hash, sealed_event FROM audit_events ORDER BY sequence").map { row in
                    AuditRow(sequence: Int(try row.integer(0)), leafHash: try row.blob(1), sealedEvent: try row.blob(2))
                }
            }
        }
    }

    public func contactRows() throws(CasebookError) -> [ContactRow] {
        try StoreErrors.mapping { try queue.read { db in try ContactRows.all(db) } }
    }

    public func contactRow(id: [UInt8]) throws(CasebookError) -> ContactRow? {
        try StoreErrors.mapping { try queue.read { db in try ContactRows.one(db, id: id) } }
    }

    public func consentRows() throws(CasebookError) -> [ConsentRow] {
        try StoreErrors.mapping { try queue.read { db in try ConsentRows.all(db) } }
    }

    public func consentRow(id: [UInt8]) throws(CasebookError) -> ConsentRow? {
        try StoreErrors.mapping { try queue.read { db in try ConsentRows.one(db, id: id) } }
    }
}

/// Checked column access: a value of the wrong type is an integrity failure, never
/// a crash (GRDB's typed subscripts trap on a type mismatch).
extension Row {
    func blob(_ column: String) throws -> [UInt8] { try Self.blob(self[column]) }
    func blob(_ index: Int) throws -> [UInt8] { try Self.blob(self[index]) }
    func integer(_ column: String) throws -> Int64 { try Self.integer(self[column]) }
    func integer(_ index: Int) throws -> Int64 { try Self.integer(self[index]) }
    func text(_ index: Int) throws -> String {
        guard case .string(let string) = (self[index] as DatabaseValue).storage else { throw Self.malformed }
        return string
    }
    func isNull(_ index: Int) -> Bool { (self[index] as DatabaseValue).isNull }

    private static func blob(_ value: DatabaseValue) throws -> [UInt8] {
        guard case .blob(let data) = value.storage else { throw malformed }
        return Array(data)
    }

    private static func integer(_ value: DatabaseValue) throws -> Int64 {
        guard case .int64(let number) = value.storage else { throw malformed }
        return number
    }

    static var malformed: CasebookError {
        CasebookError(.integrity, "the vault database holds a malformed value",
                      hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
    }
}

extension CasebookError {
    static func integrityOfRow(_ id: String?) -> CasebookError {
        CasebookError(.integrity, "record integrity check failed: record \(id ?? "?") has a missing ciphertext",
                      hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
    }
}

extension SQLiteVaultStore {
    /// Removes a vault folder whose creation failed before its first write
    /// committed, so a retry starts clean. Only touches the files Casebook made.
    public static func removeIncomplete(in folder: URL) {
        let files = FileManager.default
        for name in [databaseFileName, databaseFileName + "-journal", databaseFileName + "-wal", databaseFileName + "-shm"] {
            try? files.removeItem(at: folder.appendingPathComponent(name))
        }
        if (try? files.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? files.removeItem(at: folder)
        }
    }
}
