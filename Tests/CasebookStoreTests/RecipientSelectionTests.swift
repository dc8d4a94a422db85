import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// Choosing whom an export goes to and which records a handover selects, as library calls.
@Suite struct RecipientSelectionTests {
    @Test func age1NamesAnAgeRecipientAnythingElseAContact() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let sam = try IdentityCard.make(name: "Dr Sam Example", role: "supervisor", created: "2026-11-24T06:00:00Z",
                                        identity: IdentitySecrets.generate())
        try vault.contacts.add(card: sam, confirmation: .fingerprint(sam.fingerprint.description))
        let outsider = try IdentityCard.make(name: "Outsider", role: "mentor", created: "2026-11-24T06:00:00Z",
                                             identity: IdentitySecrets.generate()).ageRecipient

        let age = try vault.exports.recipient(to: outsider, organisation: "police-north", role: "officer")
        #expect(age.description.kind == "age")
        #expect(age.auditName == outsider)
        let contact = try vault.exports.recipient(to: "dr sam example", organisation: "probation-london", role: nil)
        #expect(contact.description.kind == "contact")
        #expect(contact.description.role == "supervisor")
        #expect(contact.auditName == sam.fingerprint.description)
        // The same rule as an override's --to, so the two compare equal.
        #expect(try vault.overrides.recipient(outsider).target == .age(outsider))
        #expect(try vault.overrides.recipient("Dr Sam Example").target == .contact(sam.fingerprint))

        let role = expectCasebookError(.invalidArgument) { _ = try vault.exports.recipient(to: "Dr Sam Example", organisation: nil, role: "officer") }
        #expect(role?.message == "is for age1… and passphrase recipients; a contact's role is on its card" && role?.argument == .recipientRole)
        #expect(expectCasebookError(.invalidInput) { _ = try vault.exports.recipient(to: "age1notakey", organisation: nil, role: nil) } != nil)
        #expect(expectCasebookError(.notFound) { _ = try vault.exports.recipient(to: "Nobody", organisation: nil, role: nil) } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try vault.exports.recipient(to: outsider, organisation: "Not A Token", role: nil) } != nil)
    }

    @Test func aPassphraseRecipientNeedsAPassphraseFitForAVault() throws {
        var strong = Array("correct horse battery staple".utf8)
        let recipient = try ExportRecipient.passphrase(SecureBytes(consuming: &strong), organisation: nil, role: "client")
        #expect(recipient.description.kind == "passphrase")
        #expect(expectCasebookError(.invalidInput) {
            var short = Array("short".utf8)
            _ = try ExportRecipient.passphrase(SecureBytes(consuming: &short), organisation: nil, role: nil)
        } != nil)
    }

    @Test func aClientSelectionWithNoRecordsIsNotFound() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let stored = try vault.records.create(parse(SampleDocuments.hii()))
        #expect(try vault.handovers.recordIDs(RecordFilter(client: ClientReference("C-0042"))) == [stored.recordID])
        let none = expectCasebookError(.notFound) { _ = try vault.handovers.recordIDs(RecordFilter(client: ClientReference("C-0099"))) }
        #expect(none?.message == "no records of C-0099 match")
        #expect(none?.remedy == .listRecords(client: "C-0099"))
    }
}
