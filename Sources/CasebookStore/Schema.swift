import GRDB

/// The database layout (docs/vault-format.md, "Database"). Nothing here is
/// readable: ids are random or keyed hashes, every payload is ciphertext. Bodies
/// live apart from metas so that listings read only the small meta rows.
/// Triggers make revisions and audit events append-only at the SQL level too.
enum Schema {
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
        return migrator
    }
}
