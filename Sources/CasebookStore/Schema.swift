import CasebookCore
import GRDB

/// The database layout (docs/vault-format.md, "Database"). Nothing here is
/// readable: ids are random or keyed hashes, every payload is ciphertext.
/// Triggers make revisions and audit events append-only at the SQL level too.
///
/// Migrations are never edited once released: a vault written by an older Casebook
/// is upgraded in place by the ones it lacks (see `SQLiteVaultStore.open`).
enum Schema {
    /// Pages of new vaults: 16 KiB, four times SQLite's default, so a scan of every
    /// record's latest revision makes a quarter of the reads. Older vaults keep theirs.
    static let pageSize = 16384

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE vault (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    format_version INTEGER NOT NULL,
                    vault_id BLOB NOT NULL,
                    kdf_algorithm TEXT NOT NULL CHECK (kdf_algorithm = 'argon2id13'),
                    kdf_opslimit INTEGER NOT NULL,
                    kdf_memlimit INTEGER NOT NULL,
                    kdf_salt BLOB NOT NULL,
                    wrapped_master_key BLOB NOT NULL,
                    sealed_identity BLOB NOT NULL,
                    sealed_profile BLOB NOT NULL
                );
                CREATE TABLE client_keys (
                    id BLOB PRIMARY KEY,
                    wrapped_key BLOB NOT NULL
                );
                CREATE TABLE records (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    client_id BLOB NOT NULL,
                    latest_revision INTEGER NOT NULL,
                    sealed_summary BLOB NOT NULL
                );
                CREATE INDEX records_by_client ON records (client_id, seq);
                CREATE TABLE revisions (
                    record_id TEXT NOT NULL REFERENCES records (id),
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    sealed_meta BLOB NOT NULL,
                    PRIMARY KEY (record_id, revision)
                ) WITHOUT ROWID;
                CREATE TABLE revision_bodies (
                    record_id TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    sealed_body BLOB NOT NULL,
                    UNIQUE (record_id, revision),
                    FOREIGN KEY (record_id, revision) REFERENCES revisions (record_id, revision)
                );
                CREATE TABLE audit_events (
                    sequence INTEGER PRIMARY KEY CHECK (sequence >= 0),
                    leaf_hash BLOB NOT NULL,
                    sealed_event BLOB NOT NULL
                );
                CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
                    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                CREATE TRIGGER revisions_append_only_delete BEFORE DELETE ON revisions
                    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                CREATE TRIGGER revision_bodies_append_only_update BEFORE UPDATE ON revision_bodies
                    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                CREATE TRIGGER revision_bodies_append_only_delete BEFORE DELETE ON revision_bodies
                    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        // v2: a revision's meta and body in one row, and each record pointing at the row
        // of its latest revision, so `note search` reads every latest revision in one
        // pass over `records` plus one rowid lookup each (v1 needed four B-tree lookups);
        // and a sealed search filter per record (in its own table, so `note list` does not
        // read it), so a search reads only the revisions that may match. Records from v1
        // have no filter until amended; a search reads them.
        migrator.registerMigration("v2") { db in
            let metas = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revisions") ?? 0
            let bodies = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision_bodies") ?? 0
            guard metas == bodies else {
                throw CasebookError(.integrity, "the vault cannot be upgraded: \(metas) revision(s) but \(bodies) bod(ies)",
                                    hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
            }
            // A missing body or latest revision violates NOT NULL below, failing the
            // whole migration: nothing is dropped silently.
            try db.execute(sql: """
                CREATE TABLE revisions_v2 (
                    seq INTEGER PRIMARY KEY,
                    record_id TEXT NOT NULL REFERENCES records (id),
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    sealed_meta BLOB NOT NULL,
                    sealed_body BLOB NOT NULL,
                    UNIQUE (record_id, revision)
                );
                INSERT INTO revisions_v2 (record_id, revision, sealed_meta, sealed_body)
                    SELECT v.record_id, v.revision, v.sealed_meta, b.sealed_body
                    FROM revisions v LEFT JOIN revision_bodies b ON b.record_id = v.record_id AND b.revision = v.revision
                    ORDER BY b.rowid;
                CREATE TABLE records_v2 (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    client_id BLOB NOT NULL,
                    latest_revision INTEGER NOT NULL,
                    latest_seq INTEGER NOT NULL,
                    sealed_summary BLOB NOT NULL
                );
                INSERT INTO records_v2 (seq, id, client_id, latest_revision, latest_seq, sealed_summary)
                    SELECT r.seq, r.id, r.client_id, r.latest_revision, v.seq, r.sealed_summary
                    FROM records r LEFT JOIN revisions_v2 v ON v.record_id = r.id AND v.revision = r.latest_revision;
                DROP TABLE revision_bodies;
                DROP TABLE revisions;
                DROP TABLE records;
                ALTER TABLE records_v2 RENAME TO records;
                ALTER TABLE revisions_v2 RENAME TO revisions;
                CREATE INDEX records_by_client ON records (client_id, seq);
                CREATE TABLE record_filters (
                    seq INTEGER PRIMARY KEY REFERENCES records (seq),
                    sealed_filter BLOB NOT NULL
                );
                CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
                    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                CREATE TRIGGER revisions_append_only_delete BEFORE DELETE ON revisions
                    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                """)
        }
        // v3: contacts, the colleagues' identity cards this vault trusts. One row per
        // pair of keys; the id is a keyed hash of the card's fingerprint, everything
        // else (card, local name, date added) is sealed. Rows can be removed.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE contacts (
                    id BLOB PRIMARY KEY,
                    sealed_contact BLOB NOT NULL
                );
                """)
        }
        // v4: the register of received handovers, so none is imported twice. `id_mac` is
        // a keyed MAC of the handover id; `sealed_info` the sealed time of the import.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE received_handovers (
                    id_mac BLOB PRIMARY KEY,
                    sealed_info BLOB NOT NULL
                );
                CREATE TRIGGER received_handovers_append_only_update BEFORE UPDATE ON received_handovers
                    BEGIN SELECT RAISE(ABORT, 'the handover register is append-only'); END;
                CREATE TRIGGER received_handovers_append_only_delete BEFORE DELETE ON received_handovers
                    BEGIN SELECT RAISE(ABORT, 'the handover register is append-only'); END;
                """)
        }
        // v5: erased clients (crypto-shredding). The client's wrapped data key is deleted
        // (with secure_delete on) and this row, sealed under the vault's keys, says the
        // records left behind were erased on purpose, so listings skip them.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE erased_clients (
                    client_id BLOB PRIMARY KEY,
                    sealed_info BLOB NOT NULL
                );
                CREATE TRIGGER erased_clients_append_only_update BEFORE UPDATE ON erased_clients
                    BEGIN SELECT RAISE(ABORT, 'erasures cannot be undone'); END;
                CREATE TRIGGER erased_clients_append_only_delete BEFORE DELETE ON erased_clients
                    BEGIN SELECT RAISE(ABORT, 'erasures cannot be undone'); END;
                """)
        }
        // v6: consents (docs/vault-format.md §16). Every version of a consent is its own
        // row, append-only: a withdrawal is a new version. `row_id` is a keyed MAC of the
        // consent id and version; `client_id` the client's opaque id (as in `records`), so
        // the row is sealed under that client's data key and is shredded with it.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
                CREATE TABLE consents (
                    row_id BLOB PRIMARY KEY,
                    client_id BLOB NOT NULL,
                    sealed_consent BLOB NOT NULL
                );
                CREATE TRIGGER consents_append_only_update BEFORE UPDATE ON consents
                    BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
                CREATE TRIGGER consents_append_only_delete BEFORE DELETE ON consents
                    BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
                """)
        }
        return migrator
    }
}
