import Testing
import Foundation
import GRDB
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

@Suite struct VaultLifecycleTests {
    @Test func createdVaultOpensWithItsPassphrase() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        #expect(vault.profile.name == "Dr Ada Example")
        #expect(vault.profile.role == .psychologist)
        #expect(vault.ageRecipient.hasPrefix("age1"))
        let events = try vault.audit.events()
        #expect(events.map(\.action) == [.vaultCreated])
        #expect(events[0].sequence == 0)
        #expect(events[0].actor == vault.minisignPublicKey.keyIDHex)
    }

    @Test func folderAndDatabaseArePrivate() throws {
        let fixture = try VaultFixture()
        let folderMode = try FileManager.default.attributesOfItem(atPath: fixture.vaultURL.path)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: fixture.databaseURL.path)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        #expect(fileMode == 0o600)
    }

    @Test func wrongPassphraseIsRefusedAndChangesNothing() throws {
        let fixture = try VaultFixture()
        let before = try fixture.databaseBytes()
        let error = expectCasebookError(.wrongPassphrase) { _ = try fixture.open("not the passphrase at all") }
        #expect(error != nil)
        #expect(try fixture.databaseBytes() == before)
    }

    @Test func refusesToOverwriteAVault() throws {
        let fixture = try VaultFixture()
        #expect(expectCasebookError(.alreadyExists) { _ = try SQLiteVaultStore.create(in: fixture.vaultURL) } != nil)
    }

    @Test func missingVaultIsNotFound() throws {
        let folder = try TemporaryDirectory()
        #expect(expectCasebookError(.notFound) { _ = try SQLiteVaultStore.open(in: folder.file("none"), readOnly: true) } != nil)
    }

    @Test func shortPassphraseIsRefused() throws {
        let folder = try TemporaryDirectory()
        let store = try SQLiteVaultStore.create(in: folder.file("v"))
        let error = expectCasebookError(.invalidInput) {
            _ = try Vault.create(store: store, name: "A", role: .mentor, kdf: .interactive, passphrase: secret("short"), identity: nil)
        }
        #expect(error?.message.contains("at least 12") == true)
    }

    @Test func changingThePassphraseRewrapsOnlyTheMasterKey() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        let rowsBefore = try DatabaseQueue(path: fixture.databaseURL.path).read { db in
            try Row.fetchAll(db, sql: "SELECT sealed_meta, sealed_body FROM revisions")
        }
        try vault.changePassphrase(to: secret("a brand new long passphrase"))
        #expect(expectCasebookError(.wrongPassphrase) { _ = try fixture.open() } != nil)
        let reopened = try fixture.open("a brand new long passphrase")
        #expect(try reopened.records.revision(id: record.recordID, revision: nil).content == record.content)
        let rowsAfter = try DatabaseQueue(path: fixture.databaseURL.path).read { db in
            try Row.fetchAll(db, sql: "SELECT sealed_meta, sealed_body FROM revisions")
        }
        #expect(rowsBefore == rowsAfter)
        #expect(try reopened.audit.events().map(\.action) == [.vaultCreated, .recordCreated, .passphraseChanged])
    }

    @Test func exportingTheIdentityIsAudited() throws {
        let fixture = try VaultFixture()
        let target = fixture.folder.file("identity.txt")
        try fixture.open().owner.exportIdentity(to: target)
        #expect(try fixture.open().audit.events().map(\.action) == [.vaultCreated, .identityExported])
        // Refuses to overwrite, and then audits nothing.
        #expect(expectCasebookError(.alreadyExists) { try fixture.open().owner.exportIdentity(to: target) } != nil)
        #expect(try fixture.open().audit.events().count == 2)
    }

    @Test func exportingTheAgeIdentityIsAudited() throws {
        let fixture = try VaultFixture()
        let target = fixture.folder.file("age-identity.txt")
        let vault = try fixture.open()
        try vault.owner.exportAgeIdentity(to: target)
        #expect(try fixture.open().audit.events().map(\.action) == [.vaultCreated, .ageIdentityExported])
        var bytes = [UInt8](try Data(contentsOf: target))
        let contents = SecureBytes(consuming: &bytes)
        let parsed = try AgeIdentityFile.parse(contents)
        #expect(parsed.count == 1 && parsed[0].recipient.encoded == vault.ageRecipient)
        #expect(vault.owner.ageIdentity().recipient.encoded == vault.ageRecipient)
        #expect(expectCasebookError(.alreadyExists) { try fixture.open().owner.exportAgeIdentity(to: target) } != nil)
        #expect(try fixture.open().audit.events().count == 2)
        // A read-only vault cannot audit, so it exports nothing.
        let other = fixture.folder.file("other.txt")
        #expect(throws: (any Error).self) { try fixture.open(readOnly: true).owner.exportAgeIdentity(to: other) }
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }

    @Test func auditLeafHashesAreSalted() throws {
        let first = AuditEvent(sequence: 3, time: "2026-11-24T10:00:00Z", actor: "A", action: .recordCreated, client: "C-0042")
        let second = AuditEvent(sequence: 3, time: "2026-11-24T10:00:00Z", actor: "A", action: .recordCreated, client: "C-0042")
        #expect(first.salt.count == 32)
        #expect(AuditEvent.leafHash(of: first.canonicalBytes()) != AuditEvent.leafHash(of: second.canonicalBytes()))
        let decoded = try JSONDecoder().decode(AuditEvent.self, from: Data(first.canonicalBytes()))
        #expect(decoded == first)
        // An action this version does not know still decodes (logs from newer versions).
        let future = String(decoding: first.canonicalBytes(), as: UTF8.self).replacingOccurrences(of: "record.created", with: "consent.granted")
        #expect(try JSONDecoder().decode(AuditEvent.self, from: Data(future.utf8)).action.rawValue == "consent.granted")
    }

    @Test func existingIdentityIsKept() throws {
        let folder = try TemporaryDirectory()
        let identity = IdentitySecrets.generate()
        let recipient = identity.ageRecipient
        let key = identity.minisignPublicKey
        let store = try SQLiteVaultStore.create(in: folder.file("v"))
        let vault = try Vault.create(store: store, name: "Sam Supervisor", role: .supervisor, kdf: .interactive,
                                     passphrase: secret(testPassphrase), identity: identity)
        #expect(vault.ageRecipient == recipient)
        #expect(vault.minisignPublicKey == key)
    }

    @Test func damagedDatabaseIsAnIntegrityError() throws {
        let fixture = try VaultFixture()
        var bytes = try fixture.databaseBytes()
        for index in 0..<100 { bytes[index] = 0x41 }
        try bytes.write(to: fixture.databaseURL)
        #expect(expectCasebookError(.integrity) { _ = try fixture.open() } != nil)
    }
}

@Suite struct RecordStorageTests {
    @Test func everyKindRoundTripsThroughTheVault() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        for kind in SampleDocuments.kinds {
            let content = try parse(SampleDocuments.document(kind: kind))
            let stored = try vault.records.create(content)
            #expect(stored.revision == 1)
            let read = try fixture.open(readOnly: true).records.revision(id: stored.recordID, revision: nil)
            #expect(try read.content == content.validated())
            #expect(read.metadata.author == "Dr Ada Example")
            #expect(read.metadata.origin == .created)
        }
        #expect(try vault.records.list().count == 4)
    }

    @Test func listFiltersByClientKindAndDate() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        try vault.records.create(parse(SampleDocuments.hii(client: "C-0042", start: "2026-11-03T10:00:00Z")))
        try vault.records.create(parse(SampleDocuments.hii(client: "C-0077", start: "2026-11-10T10:00:00Z")))
        try vault.records.create(parse(SampleDocuments.mentor(client: "C-0042", start: "2026-11-12T10:00:00Z")))
        let reopened = try fixture.open(readOnly: true)
        // Listings are ordered by session start, whatever the order of writing.
        try vault.records.create(parse(SampleDocuments.ddp(client: "C-0042", start: "2026-10-01T08:00:00Z")))
        #expect(try reopened.records.list().map(\.header.start.canonical)
                == ["2026-10-01T08:00:00Z", "2026-11-03T10:00:00Z", "2026-11-10T10:00:00Z", "2026-11-12T10:00:00Z"])
        #expect(try reopened.records.list(RecordFilter(client: ClientReference("C-0042"))).count == 3)
        #expect(try reopened.records.list(RecordFilter(client: ClientReference("C-0099"))).isEmpty)
        #expect(try reopened.records.list(RecordFilter(kind: .mentorLog)).map(\.header.client.rawValue) == ["C-0042"])
        #expect(try reopened.records.list(RecordFilter(kind: .ddpSession)).count == 1)
        let since = try SessionStart(parsing: "2026-11-05T00:00:00Z", defaultTimeZone: .gmt).date
        let until = try SessionStart(parsing: "2026-11-11T00:00:00Z", defaultTimeZone: .gmt).date
        #expect(try reopened.records.list(RecordFilter(since: since, until: until)).map(\.header.client.rawValue) == ["C-0077"])
    }

    @Test func searchIsCaseInsensitiveOverAllFields() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let hii = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra Crossing")))
        let ddp = try vault.records.create(parse(SampleDocuments.ddp(client: "C-0077")))
        #expect(try vault.records.search("zebra crossing").map(\.recordID) == [hii.recordID])
        #expect(try vault.records.search("HOUSING APPLICATION").map(\.recordID) == [ddp.recordID])
        #expect(try vault.records.search("C-0077").map(\.recordID) == [ddp.recordID])
        #expect(try vault.records.search("housing", filter: RecordFilter(kind: .hiiSession)).isEmpty)
        #expect(try vault.records.search("no such words anywhere").isEmpty)
    }

    @Test func searchListingsFindTheSameRecordsAsSearch() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        _ = try vault.records.create(parse(SampleDocuments.hii(client: "C-0001", start: "2026-11-03T10:00:00Z", marker: "Zebra")))
        _ = try vault.records.create(parse(SampleDocuments.ddp(client: "C-0002", start: "2026-10-03T10:00:00Z", marker: "zebra too")))
        let amended = try vault.records.create(parse(SampleDocuments.mentor(client: "C-0001", start: "2026-09-03T10:00:00Z")))
        _ = try vault.records.amend(id: amended.recordID, content: parse(SampleDocuments.mentor(client: "C-0001", start: "2026-09-03T10:00:00Z",
                                                                                              marker: "now a ZEBRA")), reason: "detail")
        _ = try vault.records.create(parse(SampleDocuments.theological(client: "C-0003")))
        let filters = [RecordFilter(), RecordFilter(client: try ClientReference("C-0001")), RecordFilter(kind: .ddpSession)]
        for text in ["zebra", "steady progress", "C-0001", "nothing like this", ""] {
            for filter in filters {
                let listings = try vault.records.searchListings(text, filter: filter)
                #expect(listings == (try vault.records.search(text, filter: filter).map(\.listing)), "\(text)")
            }
        }
        // Ordered by session start; the amended record shows its latest revision.
        #expect(try vault.records.searchListings("zebra").map(\.start.canonical)
                == ["2026-09-03T10:00:00Z", "2026-10-03T10:00:00Z", "2026-11-03T10:00:00Z"])
        #expect(try vault.records.searchListings("zebra").first?.revision == 2)
    }

    @Test func amendmentsAddRevisionsAndKeepHistory() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let original = try vault.records.create(parse(SampleDocuments.hii()))
        let amendedText = SampleDocuments.hii().replacingOccurrences(of: "Calm, punctual", with: "Calm, ten minutes late")
        let amended = try vault.records.amend(id: original.recordID.lowercased(), content: parse(amendedText), reason: "corrected arrival time")
        #expect(amended.revision == 2)
        let history = try vault.records.history(id: original.recordID)
        #expect(history.map(\.revision) == [1, 2])
        #expect(history[1].metadata.reason == "corrected arrival time")
        #expect(history[0].content == original.content)
        #expect(try vault.records.revision(id: original.recordID, revision: 1).content == original.content)
        #expect(try vault.records.list().map(\.revision) == [2])
        #expect(try vault.records.search("ten minutes late").count == 1)
        #expect(try vault.audit.events().last?.action == .recordAmended)
    }

    @Test func amendmentRulesAreEnforced() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let original = try vault.records.create(parse(SampleDocuments.hii()))
        let before = try fixture.databaseBytes()
        #expect(expectCasebookError(.invalidInput) {
            try vault.records.amend(id: original.recordID, content: parse(SampleDocuments.hii(marker: "x")), reason: "  ")
        } != nil)
        #expect(expectCasebookError(.invalidInput) {
            try vault.records.amend(id: original.recordID, content: parse(SampleDocuments.hii(client: "C-0999")), reason: "moved")
        } != nil)
        #expect(expectCasebookError(.invalidInput) {
            try vault.records.amend(id: original.recordID, content: parse(SampleDocuments.hii()), reason: "nothing")
        } != nil)
        #expect(expectCasebookError(.notFound) {
            try vault.records.amend(id: "0000000000", content: parse(SampleDocuments.hii(marker: "x")), reason: "r")
        } != nil)
        #expect(expectCasebookError(.notFound) { _ = try vault.records.revision(id: original.recordID, revision: 7) } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try vault.records.revision(id: "not-an-id!", revision: nil) } != nil)
        #expect(try fixture.databaseBytes() == before)
    }

    @Test func databaseHoldsNoPlaintext() throws {
        let fixture = try VaultFixture(name: "Practitioner Unique-Name-7731")
        let vault = try fixture.open()
        let marker = "CANARY-\(UUID().uuidString)"
        for kind in SampleDocuments.kinds {
            try vault.records.create(parse(SampleDocuments.document(kind: kind, client: "C-4711", marker: marker)))
        }
        let bytes = try fixture.databaseBytes()
        for needle in [marker, "C-4711", "hii-session", "theological-advice", "religious-belief", "Unique-Name-7731", "2026-11-03"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) found in the database file")
        }
        for event in try vault.audit.events() {
            #expect(!String(decoding: event.canonicalBytes(), as: UTF8.self).contains(marker))
        }
    }
}

@Suite struct TamperingTests {
    /// Two records; returns their ids.
    private func twoRecords(_ fixture: VaultFixture) throws -> (String, String) {
        let vault = try fixture.open()
        let a = try vault.records.create(parse(SampleDocuments.hii()))
        let b = try vault.records.create(parse(SampleDocuments.hii(marker: "other")))
        return (a.recordID, b.recordID)
    }

    private func tamper(_ fixture: VaultFixture, _ sql: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS revisions_append_only_update")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    @Test func rowCopiedOntoAnotherRowFailsIntegrity() throws {
        let fixture = try VaultFixture()
        let (a, b) = try twoRecords(fixture)
        try tamper(fixture, "UPDATE revisions SET sealed_meta = (SELECT sealed_meta FROM revisions WHERE record_id = ?) WHERE record_id = ?", [a, b])
        try tamper(fixture, "UPDATE revisions SET sealed_body = (SELECT sealed_body FROM revisions WHERE record_id = ?) WHERE record_id = ?", [a, b])
        let vault = try fixture.open()
        let error = expectCasebookError(.integrity) { _ = try vault.records.revision(id: b, revision: nil) }
        #expect(error?.message.contains("record integrity") == true)
        #expect(expectCasebookError(.integrity) { _ = try vault.records.list() } != nil)
        #expect(try vault.records.revision(id: a, revision: nil).revision == 1)
    }

    @Test func searchFiltersAreBoundToTheirRecordAndNeverHideOne() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let a = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra crossing")))
        let b = try vault.records.create(parse(SampleDocuments.hii(marker: "other words")))
        #expect(try vault.records.search("zebra").map(\.recordID) == [a.recordID])
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        // A record without a filter row is read, not skipped.
        try queue.write { db in
            try db.execute(sql: "DELETE FROM record_filters WHERE seq = (SELECT seq FROM records WHERE id = ?)", arguments: [a.recordID])
        }
        #expect(try fixture.open().records.search("zebra").map(\.recordID) == [a.recordID])
        // A filter copied from another record does not open.
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO record_filters (seq, sealed_filter)
                SELECT (SELECT seq FROM records WHERE id = ?), sealed_filter FROM record_filters WHERE seq = (SELECT seq FROM records WHERE id = ?)
                """, arguments: [a.recordID, b.recordID])
        }
        let error = expectCasebookError(.integrity) { _ = try fixture.open().records.search("zebra") }
        #expect(error?.message.contains("search filter does not decrypt") == true)
        // Texts the filter cannot judge (short or non-ASCII) do not read filters at all.
        #expect(try fixture.open().records.search("ze").count == 1)
    }

    @Test func alteredCiphertextFailsIntegrity() throws {
        let fixture = try VaultFixture()
        let (a, _) = try twoRecords(fixture)
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        var body = try queue.read { db in try Data.fetchOne(db, sql: "SELECT sealed_body FROM revisions WHERE record_id = ?", arguments: [a])! }
        body[body.count / 2] ^= 0x01
        try tamper(fixture, "UPDATE revisions SET sealed_body = ? WHERE record_id = ?", [body, a])
        let vault = try fixture.open()
        #expect(expectCasebookError(.integrity) { _ = try vault.records.revision(id: a, revision: nil) } != nil)
        // A search reads every record its text may be in (here, both).
        #expect(expectCasebookError(.integrity) { _ = try vault.records.search("steady progress") } != nil)
    }

    @Test func revisionsAndAuditAreAppendOnlyInSQL() throws {
        let fixture = try VaultFixture()
        _ = try twoRecords(fixture)
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM revisions") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE revisions SET sealed_body = x'00'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit_events SET leaf_hash = x'00'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit_events") } }
    }

    @Test func alteredAuditEventIsDetected() throws {
        let fixture = try VaultFixture()
        _ = try twoRecords(fixture)
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_append_only_update")
            try db.execute(sql: "UPDATE audit_events SET leaf_hash = (SELECT leaf_hash FROM audit_events WHERE sequence = 0) WHERE sequence = 1")
        }
        #expect(expectCasebookError(.integrity) { _ = try fixture.open().audit.events() } != nil)
    }
}

@Suite struct ImportTests {
    private func line(_ kind: String = "mentor-log", client: String = "C-0042", extra: String = "") -> String {
        #"{"kind":"\#(kind)","client":"\#(client)","start":"2026-10-01T09:00:00Z","duration":30,"modality":"phone","attendance":"attended","labels":[],"sharing-summary":"","sections":{"contact-type":"Phone","planned":"planned","initiated-by":"mentor"\#(extra)}}"#
    }

    @Test func importsAllRecordsInOneTransaction() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let file = [line(), line(client: "C-0043"), line(client: "C-0044")].joined(separator: "\n") + "\n"
        let ids = try vault.records.import(ImportBatch(jsonLines: Array(file.utf8)))
        #expect(ids.count == 3)
        #expect(try vault.records.list().count == 3)
        #expect(try vault.records.revision(id: ids[1], revision: nil).metadata.origin == .imported)
        let event = try #require(try vault.audit.events().last)
        #expect(event.action == .recordsImported)
        #expect(event.count == 3)
        #expect(event.digest == Hex.encode(SHA256.hash(Array(file.utf8))))
    }

    @Test func oneBadLineRejectsTheFileWithItsNumber() throws {
        let file = [line(), line(), line(extra: #","bogus":"x""#), line()].joined(separator: "\n") + "\n"
        do {
            _ = try ImportBatch(jsonLines: Array(file.utf8))
            Issue.record("accepted a bad import file")
        } catch let error as CasebookError {
            #expect(error.code == .invalidInput)
            #expect(error.message.hasPrefix("line 3:"))
        }
        #expect(throws: CasebookError.self) { _ = try ImportBatch(jsonLines: Array((line() + "\n\n" + line()).utf8)) }
        // Parsed in parallel chunks, but the error reported is still the first bad line.
        var many = Array(repeating: line(), count: 3000)
        many[2499] = line(extra: #","bogus":"x""#)
        many[1199] = line(extra: #","other":"y""#)
        for (lines, expected) in [(many, "line 1200:"), (Array(many.prefix(2600)), "line 1200:")] {
            do {
                _ = try ImportBatch(jsonLines: Array((lines.joined(separator: "\n") + "\n").utf8))
                Issue.record("accepted a bad import file")
            } catch let error as CasebookError {
                #expect(error.message.hasPrefix(expected), "\(error.message)")
            }
        }
        many[1199] = line()
        #expect(throws: CasebookError.self) { _ = try ImportBatch(jsonLines: Array((many.joined(separator: "\n") + "\n").utf8)) }
        let good = Array(repeating: line(), count: 2500)
        #expect(try ImportBatch(jsonLines: Array((good.joined(separator: "\n") + "\n").utf8)).records.count == 2500)
        #expect(throws: CasebookError.self) { _ = try ImportBatch(jsonLines: []) }
        #expect(throws: CasebookError.self) { _ = try ImportBatch(jsonLines: Array("{not json\n".utf8)) }
    }
}
