import Testing
import Foundation
import GRDB
import CasebookCore
import CasebookStore
import CasebookCrypto
import CasebookFormat
import CasebookTestSupport

/// Vaults written by an older Casebook are upgraded in place when opened, and a
/// failed upgrade changes nothing.
@Suite struct SchemaUpgradeTests {
    /// Rewrites a current vault into the layout of migration `v1` (metas and bodies in
    /// two tables, no row pointer), as Casebook 0.1 wrote it.
    private func downgradeToVersion1(_ fixture: VaultFixture) throws {
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.inTransaction {
                try db.execute(sql: """
                    DROP TABLE record_filters;
                    DROP TABLE contacts;
                    DROP TABLE received_handovers;
                    DROP TABLE erased_clients;
                    DROP TABLE consents;
                    CREATE TABLE revisions_v1 (
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
                    INSERT INTO revisions_v1 SELECT record_id, revision, sealed_meta FROM revisions;
                    INSERT INTO revision_bodies (record_id, revision, sealed_body)
                        SELECT record_id, revision, sealed_body FROM revisions ORDER BY seq;
                    CREATE TABLE records_v1 (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        client_id BLOB NOT NULL,
                        latest_revision INTEGER NOT NULL,
                        sealed_summary BLOB NOT NULL
                    );
                    INSERT INTO records_v1 SELECT seq, id, client_id, latest_revision, sealed_summary FROM records;
                    DROP TABLE revisions;
                    DROP TABLE records;
                    ALTER TABLE records_v1 RENAME TO records;
                    ALTER TABLE revisions_v1 RENAME TO revisions;
                    CREATE INDEX records_by_client ON records (client_id, seq);
                    CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
                        BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
                    DELETE FROM grdb_migrations WHERE identifier IN ('v2', 'v3', 'v4', 'v5', 'v6');
                    """)
                return .commit
            }
        }
    }

    private func migrations(_ fixture: VaultFixture) throws -> [String] {
        try DatabaseQueue(path: fixture.databaseURL.path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }

    @Test func aVersion1VaultIsUpgradedWhenOpenedAndReadsTheSame() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let first = try vault.records.create(parse(SampleDocuments.hii()))
        _ = try vault.records.create(parse(SampleDocuments.hii(marker: "second record")))
        _ = try vault.records.amend(id: first.recordID, content: parse(SampleDocuments.hii(marker: "amended")), reason: "more detail")
        let listings = try vault.records.listings()
        let history = try vault.records.history(id: first.recordID)
        try downgradeToVersion1(fixture)
        #expect(try migrations(fixture) == ["v1"])

        // Even a read-only command upgrades it, and then reads exactly what was written.
        let upgraded = try fixture.open(readOnly: true)
        #expect(try migrations(fixture) == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(try upgraded.records.listings() == listings)
        let reread = try upgraded.records.history(id: first.recordID)
        #expect(reread.map(\.revision) == [1, 2])
        #expect(reread.map(\.content) == history.map(\.content))
        #expect(reread.map(\.metadata) == history.map(\.metadata))
        #expect(try upgraded.records.search("amended").map(\.recordID) == [first.recordID])
        #expect(try upgraded.records.search("second record").count == 1)
        // And it takes new writes.
        let writable = try fixture.open()
        _ = try writable.records.amend(id: first.recordID, content: parse(SampleDocuments.hii(marker: "third")), reason: "again")
        #expect(try writable.records.revision(id: first.recordID, revision: nil).revision == 3)
        #expect(try writable.records.search("third").map(\.recordID) == [first.recordID])
    }

    /// A vault as Casebook wrote it before contacts existed (migrations v1 and v2).
    private func downgradeToVersion2(_ fixture: VaultFixture) throws {
        try DatabaseQueue(path: fixture.databaseURL.path).write { db in
            try db.execute(sql: """
                DROP TABLE contacts; DROP TABLE received_handovers; DROP TABLE erased_clients; DROP TABLE consents;
                DELETE FROM grdb_migrations WHERE identifier IN ('v3', 'v4', 'v5', 'v6')
                """)
        }
    }

    @Test func aVersion2VaultGainsContactsWhenOpened() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        let events = try vault.audit.events()
        try downgradeToVersion2(fixture)
        #expect(try migrations(fixture) == ["v1", "v2"])
        let tables = { try DatabaseQueue(path: fixture.databaseURL.path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'contacts'") } }
        #expect(try tables().isEmpty)

        // Even a read-only open upgrades it; nothing else changes, and no event is added.
        let upgraded = try fixture.open(readOnly: true)
        #expect(try migrations(fixture) == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(try tables() == ["contacts"])
        #expect(try upgraded.contacts.list().isEmpty)
        #expect(try upgraded.records.revision(id: record.recordID, revision: nil).content == record.content)
        #expect(try upgraded.audit.events() == events)
        let card = try IdentityCard.make(name: "Dr Sam Example", role: "supervisor", created: "2026-11-24T06:00:00Z",
                                         identity: IdentitySecrets.generate())
        try fixture.open().contacts.add(card: card, name: nil, confirmation: .fingerprint(card.fingerprint.description))
        #expect(try fixture.open(readOnly: true).contacts.contact(named: "Dr Sam Example").card == card)
    }

    @Test func aDamagedVersion1VaultIsNotUpgradedAndStaysAsItWas() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        _ = try vault.records.create(parse(SampleDocuments.hii(marker: "other")))
        try downgradeToVersion1(fixture)
        try DatabaseQueue(path: fixture.databaseURL.path).write { db in
            try db.execute(sql: "DELETE FROM revision_bodies WHERE record_id = ?", arguments: [record.recordID])
        }
        let before = try fixture.databaseBytes()
        let error = expectCasebookError(.integrity) { _ = try fixture.open() }
        #expect(error?.message.contains("cannot be upgraded") == true)
        #expect(try fixture.databaseBytes() == before)
        #expect(try migrations(fixture) == ["v1"])
    }

    @Test func aRowPointerThatDisagreesWithTheRevisionNumberIsAnIntegrityError() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        _ = try vault.records.amend(id: record.recordID, content: parse(SampleDocuments.hii(marker: "amended")), reason: "detail")
        // Point the record at revision 1's row while it still says revision 2.
        try DatabaseQueue(path: fixture.databaseURL.path).write { db in
            try db.execute(sql: """
                UPDATE records SET latest_seq = (SELECT seq FROM revisions WHERE record_id = ? AND revision = 1) WHERE id = ?
                """, arguments: [record.recordID, record.recordID])
        }
        let reopened = try fixture.open()
        let shown = expectCasebookError(.integrity) { _ = try reopened.records.revision(id: record.recordID, revision: nil) }
        #expect(shown?.message.contains("pointers disagree") == true)
        let searched = expectCasebookError(.integrity) { _ = try reopened.records.search("amended") }
        #expect(searched?.message.contains("no readable latest revision") == true)
        #expect(expectCasebookError(.integrity) { _ = try reopened.records.list() } != nil)
    }

    @Test func aVersion5VaultGainsConsentsWhenOpened() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        let events = try vault.audit.events()
        try DatabaseQueue(path: fixture.databaseURL.path).write { db in
            try db.execute(sql: "DROP TABLE consents; DELETE FROM grdb_migrations WHERE identifier = 'v6'")
        }
        #expect(try migrations(fixture) == ["v1", "v2", "v3", "v4", "v5"])

        let upgraded = try fixture.open(readOnly: true)
        #expect(try migrations(fixture) == ["v1", "v2", "v3", "v4", "v5", "v6"])
        #expect(try upgraded.consents.list().isEmpty)
        #expect(try upgraded.records.revision(id: record.recordID, revision: nil).content == record.content)
        #expect(try upgraded.audit.events() == events)
        let day: TimeInterval = 86400
        let draft = Consent(
            id: "", version: 0, client: try ClientReference("C-0042"), recordedBy: "", recordedAt: Date(timeIntervalSince1970: 0),
            method: .written, validFrom: Date(timeIntervalSince1970: 1_767_225_600), validUntil: Date(timeIntervalSince1970: 1_767_225_600 + 365 * day),
            provisions: [ConsentProvision(effect: .permit, purposes: [.supervision], recipients: [.organisation("probation-london")])])
        let recorded = try fixture.open().consents.record(draft)
        #expect(try fixture.open(readOnly: true).consents.list() == [recorded])
    }

    @Test func newVaultsUseSixteenKibibytePages() throws {
        let fixture = try VaultFixture()
        let pageSize = try DatabaseQueue(path: fixture.databaseURL.path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
        #expect(pageSize == 16384)
    }
}
