public import Foundation
public import CasebookCore
import GRDB

/// The embedded default store: one SQLite file, `vault.db`, in a `0700` folder.
public final class SQLiteVaultStore: VaultStore {
    public static let databaseFileName = "vault.db"

    let queue: DatabaseQueue

    private init(queue: DatabaseQueue) {
        self.queue = queue
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
                                    hint: "Casebook never overwrites a vault; choose another folder with --vault")
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
            try Schema.migrator().migrate(queue)
        } catch let error as CasebookError {
            throw error
        } catch {
            throw StoreErrors.map(error)
        }
        return SQLiteVaultStore(queue: queue)
    }

    /// Opens an existing vault. `readOnly` guarantees the command cannot change it.
    public static func open(in folder: URL, readOnly: Bool) throws(CasebookError) -> SQLiteVaultStore {
        let databaseURL = folder.appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: databaseURL.path) else {
            throw CasebookError(.notFound, "no vault in \(folder.path)",
                                hint: "create one with 'casebook init', or point CASEBOOK_VAULT or --vault at an existing vault")
        }
        do {
            let queue = try DatabaseQueue(path: databaseURL.path, configuration: configuration(readOnly: readOnly))
            let migrator = Schema.migrator()
            let state = try queue.read { db in
                (try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db))
            }
            if state.1 {
                throw CasebookError(.invalidInput, "this vault was written by a newer Casebook", hint: "upgrade Casebook to open it")
            }
            guard state.0 else {
                throw CasebookError(.integrity, "the vault database is incomplete or not a Casebook vault",
                                    hint: "restore the vault folder from a backup")
            }
            return SQLiteVaultStore(queue: queue)
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
                guard let opsLimit = UInt64(exactly: row["kdf_opslimit"] as Int64),
                      let memLimit = UInt64(exactly: row["kdf_memlimit"] as Int64) else {
                    throw CasebookError(.integrity, "the vault's key record is malformed")
                }
                return VaultHeaderRow(
                    formatVersion: row["format_version"], vaultID: Self.bytes(row["vault_id"]),
                    kdfOpsLimit: opsLimit, kdfMemLimit: memLimit, kdfSalt: Self.bytes(row["kdf_salt"]),
                    wrappedMasterKey: Self.bytes(row["wrapped_master_key"]),
                    sealedIdentity: Self.bytes(row["sealed_identity"]), sealedProfile: Self.bytes(row["sealed_profile"]))
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
            try queue.read { db in
                try Data.fetchOne(db, sql: "SELECT wrapped_key FROM client_keys WHERE id = ?", arguments: [Data(id)]).map(Self.bytes)
            }
        }
    }

    public func revisions(recordID: String) throws(CasebookError) -> [RevisionRow] {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT v.revision, v.sealed_meta, v.sealed_body, r.client_id
                    FROM revisions v JOIN records r ON r.id = v.record_id
                    WHERE v.record_id = ? ORDER BY v.revision
                    """, arguments: [recordID]).map { row in
                    RevisionRow(recordID: recordID, revision: row["revision"], clientID: Self.bytes(row["client_id"]),
                                sealedMeta: Self.bytes(row["sealed_meta"]), sealedBody: Self.bytes(row["sealed_body"]))
                }
            }
        }
    }

    public func forEachLatestRevision(
        clientID: [UInt8]?, includeBody: Bool, _ visit: (RevisionRowView) throws -> Void
    ) throws {
        let columns = includeBody ? "v.sealed_meta, v.sealed_body" : "v.sealed_meta, NULL"
        let filter = clientID == nil ? "" : "WHERE r.client_id = ?"
        let sql = """
            SELECT r.id, r.latest_revision, r.client_id, \(columns)
            FROM records r JOIN revisions v ON v.record_id = r.id AND v.revision = r.latest_revision
            \(filter) ORDER BY r.seq
            """
        let arguments: StatementArguments = clientID.map { [Data($0)] } ?? []
        do {
            try queue.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    let recordID: String = row[0]
                    let revision: Int = row[1]
                    let client = Self.bytes(row[2])
                    try row.withUnsafeData(atIndex: 3) { meta in
                        guard let meta else { throw CasebookError.integrityOfRow(recordID) }
                        try row.withUnsafeData(atIndex: 4) { body in
                            try meta.withUnsafeBytes { metaBytes in
                                if let body {
                                    try body.withUnsafeBytes { bodyBytes in
                                        try visit(RevisionRowView(recordID: recordID, revision: revision, clientID: client,
                                                                  sealedMeta: metaBytes, sealedBody: bodyBytes))
                                    }
                                } else {
                                    try visit(RevisionRowView(recordID: recordID, revision: revision, clientID: client,
                                                              sealedMeta: metaBytes, sealedBody: nil))
                                }
                            }
                        }
                    }
                }
            }
        } catch let error as CasebookError {
            throw error
        } catch let error as DatabaseError {
            throw StoreErrors.map(error)
        }
    }

    public func auditRows() throws(CasebookError) -> [AuditRow] {
        try StoreErrors.mapping {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT sequence, leaf_hash, sealed_event FROM audit_events ORDER BY sequence").map { row in
                    AuditRow(sequence: row[0], leafHash: Self.bytes(row[1]), sealedEvent: Self.bytes(row[2]))
                }
            }
        }
    }

    static func bytes(_ data: Data?) -> [UInt8] {
        data.map { Array($0) } ?? []
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
