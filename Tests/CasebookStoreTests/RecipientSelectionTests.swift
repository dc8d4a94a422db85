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

    @Test func aPassphraseRecipientNeedsAPassphraseFitForAVaultAndNotThisVaults() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        func secret(_ text: String) -> SecureBytes { var bytes = Array(text.utf8); return SecureBytes(consuming: &bytes) }
        let recipient = try vault.exports.recipient(passphrase: secret("a passphrase for the client"), organisation: nil, role: "client", logN: 10)
        #expect(recipient.description.kind == "passphrase")
        #expect(expectCasebookError(.invalidInput) {
            _ = try vault.exports.recipient(passphrase: secret("short"), organisation: nil, role: nil)
        } != nil)
        // The passphrase that unlocked the vault, byte for byte, is refused; one byte more is not.
        let own = expectCasebookError(.invalidInput) {
            _ = try vault.exports.recipient(passphrase: secret(testPassphrase), organisation: nil, role: "client")
        }
        #expect(own?.message == "the export passphrase is this vault's passphrase: whoever opens the export would learn it")
        _ = try vault.exports.recipient(passphrase: secret(testPassphrase + " "), organisation: nil, role: "client", logN: 10)
        // After a passphrase change, the new one is the vault's.
        try vault.changePassphrase(to: secret("a brand new vault passphrase"))
        #expect(expectCasebookError(.invalidInput) {
            _ = try vault.exports.recipient(passphrase: secret("a brand new vault passphrase"), organisation: nil, role: nil)
        } != nil)
        _ = try vault.exports.recipient(passphrase: secret(testPassphrase), organisation: nil, role: "client", logN: 10)
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
