import Testing
import Foundation
import GRDB
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

private let jan2026 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
private let jan2027 = Date(timeIntervalSince1970: 1_798_761_600)  // 2027-01-01T00:00:00Z

/// A consent as a command would draft it (id, version and recorder are assigned when recorded).
private func draft(_ client: String = "C-0042", org: String = "probation-london",
                   effect: ConsentEffect = .permit) throws -> Consent {
    Consent(id: "", version: 0, client: try ClientReference(client), recordedBy: "", recordedAt: .distantPast,
            method: .written, evidenceSHA256: String(repeating: "ab", count: 32), validFrom: jan2026, validUntil: jan2027,
            provisions: [ConsentProvision(effect: effect, purposes: [.riskManagement], recipients: [.organisation(org)],
                                          kinds: [.hiiSession], fields: ["risk-immediate-concern"])])
}

private func execute(_ fixture: VaultFixture, _ sql: String, _ arguments: StatementArguments = []) throws {
    try DatabaseQueue(path: fixture.databaseURL.path).write { db in try db.execute(sql: sql, arguments: arguments) }
}

@Suite struct ConsentStoreTests {
    @Test func aConsentRoundTripsIsAuditedAndNothingIsInClear() throws {
        let fixture = try VaultFixture()
        let before = Date().timeIntervalSince1970.rounded(.down)
        let recorded = try fixture.open().consents.record(draft())
        #expect(recorded.version == 1)
        #expect(recorded.recordedBy == "Dr Ada Example")
        #expect(recorded.recordedAt.timeIntervalSince1970 >= before)
        #expect(recorded.recordedAt.timeIntervalSince1970 == recorded.recordedAt.timeIntervalSince1970.rounded(.down))
        #expect(recorded.withdrawal == nil)
        #expect(try RecordID.normalized(recorded.id) == recorded.id)

        let vault = try fixture.open(readOnly: true)
        #expect(try vault.consents.list() == [recorded])
        #expect(try vault.consents.list(client: ClientReference("C-0042")) == [recorded])
        #expect(try vault.consents.list(client: ClientReference("C-0001")).isEmpty)
        #expect(try vault.consents.consent(id: recorded.id.lowercased()) == recorded)
        #expect(try vault.consents.history(id: recorded.id) == [recorded])

        let events = try vault.audit.events().filter { $0.action == .consentGranted }
        #expect(events.count == 1)
        #expect(events.first?.client == "C-0042")
        #expect(events.first?.consent == recorded.id)
        #expect(events.first?.revision == 1)
        #expect(events.first?.digest == recorded.canonicalHash)
        let canonical = String(decoding: events[0].canonicalBytes(), as: UTF8.self)
        #expect(!canonical.contains("probation") && !canonical.contains("risk-immediate-concern"))

        // Neither the id, the client nor any provision is in the database file.
        let database = try fixture.databaseBytes()
        for text in [recorded.id, "probation-london", "risk-immediate-concern", "casebook-consent"] {
            #expect(database.range(of: Data(text.utf8)) == nil, "\(text) is in the database in clear")
        }
    }

    @Test func withdrawalIsANewVersionAndIsFinal() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let recorded = try vault.consents.record(draft())
        let withdrawn = try vault.consents.withdraw(id: recorded.id, reason: "client withdrew by letter of 3 March")
        #expect(withdrawn.version == 2)
        #expect(withdrawn.withdrawal?.reason == "client withdrew by letter of 3 March")
        #expect(withdrawn.provisions == recorded.provisions)

        let reopened = try fixture.open()
        #expect(try reopened.consents.history(id: recorded.id) == [recorded, withdrawn])
        #expect(try reopened.consents.consent(id: recorded.id) == withdrawn)
        #expect(try reopened.consents.list() == [withdrawn])
        let event = try #require(try reopened.audit.events().last)
        #expect(event.action == .consentWithdrawn)
        #expect(event.consent == recorded.id && event.revision == 2 && event.client == "C-0042")
        #expect(event.digest == withdrawn.canonicalHash)
        #expect(!String(decoding: event.canonicalBytes(), as: UTF8.self).contains("letter"))

        let before = try fixture.databaseBytes()
        let again = expectCasebookError(.refused) { _ = try reopened.consents.withdraw(id: recorded.id, reason: "again") }
        #expect(again?.message.contains("already withdrawn") == true)
        let unknown = expectCasebookError(.notFound) { _ = try reopened.consents.withdraw(id: "0000000000", reason: "x") }
        #expect(unknown?.message.contains("no consent 0000000000") == true)
        #expect(expectCasebookError(.notFound) { _ = try reopened.consents.consent(id: "0000000000") } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try reopened.consents.consent(id: "not-an-id!") } != nil)
        let other = try reopened.consents.record(draft("C-0007"))
        let afterOther = try fixture.databaseBytes()
        #expect(expectCasebookError(.invalidInput) { _ = try reopened.consents.withdraw(id: other.id, reason: "") } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try reopened.consents.withdraw(id: other.id, reason: "two\nlines") } != nil)
        #expect(try fixture.databaseBytes() == afterOther)
        #expect(before != afterOther)
    }

    @Test func listingsAreSortedByClientAndSkipErasedClients() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let later = try vault.consents.record(draft("C-0042", org: "police"))
        let first = try vault.consents.record(draft("C-0007"))
        _ = try vault.records.create(parse(SampleDocuments.hii(client: "C-0099")))
        let erasedConsent = try vault.consents.record(draft("C-0099"))
        #expect(try vault.consents.list().map(\.client.rawValue) == ["C-0007", "C-0042", "C-0099"])
        try vault.erasure.erase(ClientReference("C-0099"), reason: "erasure request DP-1")

        let reopened = try fixture.open()
        #expect(try reopened.consents.list() == [first, later])
        #expect(try reopened.consents.list(client: ClientReference("C-0099")).isEmpty)
        let gone = expectCasebookError(.notFound) { _ = try reopened.consents.consent(id: erasedConsent.id) }
        #expect(gone?.message.contains("erased") == true)
        // An erased reference cannot be given a new consent.
        #expect(expectCasebookError(.invalidInput) { _ = try reopened.consents.record(draft("C-0099")) } != nil)
    }

    @Test func anInvalidConsentIsRefusedAndChangesNothing() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let before = try fixture.databaseBytes()
        var noRecipient = try draft()
        noRecipient.provisions[0].recipients = []
        #expect(expectCasebookError(.invalidInput) { _ = try vault.consents.record(noRecipient) } != nil)
        var unknownField = try draft()
        unknownField.provisions[0].fields = ["no-such-section"]
        let error = expectCasebookError(.invalidInput) { _ = try vault.consents.record(unknownField) }
        #expect(error?.message.contains("no-such-section") == true)
        var backwards = try draft()
        backwards.validUntil = backwards.validFrom
        #expect(expectCasebookError(.invalidInput) { _ = try vault.consents.record(backwards) } != nil)
        #expect(try fixture.databaseBytes() == before)
        #expect(try vault.consents.list().isEmpty)
    }

    @Test func consentRowsAreAppendOnly() throws {
        let fixture = try VaultFixture()
        _ = try fixture.open().consents.record(draft())
        #expect(throws: (any Error).self) { try execute(fixture, "UPDATE consents SET sealed_consent = x'00'") }
        #expect(throws: (any Error).self) { try execute(fixture, "DELETE FROM consents") }
        #expect(try fixture.open().consents.list().count == 1)
    }

    @Test func tamperedOrCopiedRowsAreIntegrityErrors() throws {
        // A flipped byte.
        do {
            let fixture = try VaultFixture()
            let recorded = try fixture.open().consents.record(draft())
            try execute(fixture, "DROP TRIGGER consents_append_only_update")
            try execute(fixture, "UPDATE consents SET sealed_consent = CAST(substr(sealed_consent, 1, 30) AS BLOB) || x'00' || CAST(substr(sealed_consent, 32) AS BLOB)")
            let vault = try fixture.open()
            #expect(expectCasebookError(.integrity) { _ = try vault.consents.list() } != nil)
            #expect(expectCasebookError(.integrity) { _ = try vault.consents.consent(id: recorded.id) } != nil)
        }
        // One consent's ciphertext copied over another's (same client).
        do {
            let fixture = try VaultFixture()
            let vault = try fixture.open()
            let a = try vault.consents.record(draft())
            let b = try vault.consents.record(draft(org: "police"))
            try execute(fixture, "DROP TRIGGER consents_append_only_update")
            let rows = try DatabaseQueue(path: fixture.databaseURL.path).read { db in
                try Row.fetchAll(db, sql: "SELECT row_id, sealed_consent FROM consents")
            }
            try execute(fixture, "UPDATE consents SET sealed_consent = ? WHERE row_id = ?",
                        [rows[0]["sealed_consent"] as Data, rows[1]["row_id"] as Data])
            let reopened = try fixture.open()
            #expect(expectCasebookError(.integrity) { _ = try reopened.consents.list() } != nil)
            let failures = [a.id, b.id].filter { id in expectCasebookError(.integrity) { _ = try reopened.consents.consent(id: id) } != nil }
            #expect(failures.count == 1)
        }
        // A row copied under another row id (an extra "version" or consent).
        do {
            let fixture = try VaultFixture()
            _ = try fixture.open().consents.record(draft())
            try execute(fixture, "INSERT INTO consents (row_id, client_id, sealed_consent) SELECT randomblob(16), client_id, sealed_consent FROM consents")
            #expect(expectCasebookError(.integrity) { _ = try fixture.open().consents.list() } != nil)
        }
        // A row moved to another client's id.
        do {
            let fixture = try VaultFixture()
            let vault = try fixture.open()
            _ = try vault.consents.record(draft("C-0007"))
            let moved = try vault.consents.record(draft("C-0042"))
            try execute(fixture, "DROP TRIGGER consents_append_only_update")
            try execute(fixture, """
                UPDATE consents SET client_id = (SELECT client_id FROM consents c2 WHERE c2.client_id <> consents.client_id LIMIT 1)
                WHERE rowid = (SELECT MAX(rowid) FROM consents)
                """)
            let reopened = try fixture.open()
            #expect(expectCasebookError(.integrity) { _ = try reopened.consents.list() } != nil)
            #expect(expectCasebookError(.integrity) { _ = try reopened.consents.consent(id: moved.id) } != nil)
        }
    }
}
