import Testing
import Foundation
import GRDB
import CasebookCore
import CasebookFormat
import CasebookStore
import CasebookTestSupport

@Suite struct ErasureTests {
    @Test func erasingAClientMakesItsRecordsUnreadableAndKeepsTheRest() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let kept = try vault.records.create(parse(SampleDocuments.hii(client: "C-0001", marker: "Zebra kept")))
        let gone = try vault.records.create(parse(SampleDocuments.hii(client: "C-0002", marker: "Zebra gone")))
        _ = try vault.records.create(parse(SampleDocuments.mentor(client: "C-0002")))
        let before = try vault.audit.events()
        // A checkpoint compliance kept from before the erasure.
        let trusted = try TemporaryDirectory()
        try Data(try vault.audit.checkpoint().note.bytes).write(to: trusted.file("before-erasure"))
        #expect(try vault.erasure.erase(ClientReference("C-0002"), reason: "erasure request DP-1") == 2)

        let reopened = try fixture.open()
        // Listings and searches skip the erased records without errors; the others are intact.
        #expect(try reopened.records.listings().map(\.recordID) == [kept.recordID])
        #expect(try reopened.records.list().map(\.recordID) == [kept.recordID])
        #expect(try reopened.records.search("zebra").map(\.recordID) == [kept.recordID])
        #expect(try reopened.records.search("Ärger").isEmpty)   // the non-filtered path too
        #expect(try reopened.records.revision(id: kept.recordID, revision: nil).content == kept.content)
        let shown = expectCasebookError(.notFound) { _ = try reopened.records.revision(id: gone.recordID, revision: nil) }
        #expect(shown?.message.contains("was erased") == true)
        // The key is gone from the file: not even the wrapped form remains.
        let keys = try DatabaseQueue(path: fixture.databaseURL.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM client_keys") }
        #expect(keys == 1)
        // The audit log still opens, with one more event that says what was erased.
        let events = try reopened.audit.events()
        #expect(Array(events.prefix(before.count)) == before)
        let event = try #require(events.last)
        #expect(event.action == .clientErased)
        #expect(event.client == "C-0002")
        #expect(event.count == 2)
        #expect(event.reason == "erasure request DP-1" && event.detail == nil && event.version == 2)
        #expect(event.shownDetail == "reason: erasure request DP-1")
        // And the whole log still verifies: every event, the tree, and consistency with the
        // checkpoint from before the erasure (nothing in the log was rewritten to erase).
        let verification = try reopened.audit.verify(trustedDirectory: trusted.url, collectingReport: false)
        #expect(verification.failure == nil)
        #expect(verification.eventCount == UInt64(events.count))
        #expect(verification.trusted.map(\.checkpoint.size) == [UInt64(before.count)])
        // The reference cannot be reused, and a second erasure is refused.
        #expect(expectCasebookError(.invalidInput) { _ = try reopened.records.create(parse(SampleDocuments.hii(client: "C-0002"))) } != nil)
        #expect(expectCasebookError(.alreadyExists) { _ = try reopened.erasure.erase(ClientReference("C-0002"), reason: "again") } != nil)
        #expect(expectCasebookError(.notFound) { _ = try reopened.erasure.erase(ClientReference("C-0099"), reason: "none") } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try reopened.erasure.erase(ClientReference("C-0001"), reason: " ") } != nil)
    }

    @Test func aForgedOrDeletedErasureIsNotTakenAtItsWord() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        _ = try vault.records.create(parse(SampleDocuments.hii(client: "C-0001")))
        _ = try vault.records.create(parse(SampleDocuments.hii(client: "C-0002")))
        let queue = try DatabaseQueue(path: fixture.databaseURL.path)
        // Someone deletes a client's key and claims an erasure without the vault's keys.
        try queue.write { db in
            let id = try Data.fetchOne(db, sql: "SELECT id FROM client_keys LIMIT 1")!
            try db.execute(sql: "DELETE FROM client_keys WHERE id = ?", arguments: [id])
            try db.execute(sql: "INSERT INTO erased_clients (client_id, sealed_info) VALUES (?, x'00112233')", arguments: [id])
        }
        let error = expectCasebookError(.integrity) { _ = try fixture.open().records.listings() }
        #expect(error?.message.contains("erasure record does not decrypt") == true)
        // Erasures are append-only in SQL too.
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM erased_clients") } }
    }
}
