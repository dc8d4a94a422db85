import Testing
import Foundation
import GRDB
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// A card issued by a fresh identity (a colleague's vault we never see).
private func colleagueCard(_ name: String = "Dr Sam Example", role: String = "supervisor",
                           created: String = "2026-11-24T06:00:00Z") throws -> IdentityCard {
    try IdentityCard.make(name: name, role: role, created: created, identity: IdentitySecrets.generate())
}

@Suite struct ContactTests {
    @Test func theVaultsOwnCardVerifiesAndCarriesItsKeys() throws {
        let fixture = try VaultFixture(name: "Dr Ada Example", role: .psychologist)
        let vault = try fixture.open(readOnly: true)
        let card = try vault.owner.identityCard()
        #expect(card.name == "Dr Ada Example")
        #expect(card.role == "psychologist")
        #expect(card.ageRecipient == vault.ageRecipient)
        #expect(card.minisignKey == vault.minisignPublicKey)
        #expect(Timestamp.parse(card.created) != nil)
        #expect(try IdentityCard.parse(card.rendered()) == card)
        #expect(card.fingerprint == IdentityFingerprint(ageRecipient: vault.ageRecipient, minisignKey: vault.minisignPublicKey))
    }

    @Test func contactsRoundTripSortedByNameAndAreAudited() throws {
        let fixture = try VaultFixture()
        let sam = try colleagueCard("Dr Sam Example")
        let ben = try colleagueCard("ben Example", role: "mentor")
        let vault = try fixture.open()
        let added = try vault.contacts.add(card: sam, name: nil, confirmation: .fingerprint(sam.fingerprint.description))
        #expect(added.name == "Dr Sam Example")
        #expect(Timestamp.parse(added.added) != nil)
        try vault.contacts.add(card: ben, name: "Ben (mentor)", confirmation: .fingerprint(ben.fingerprint.description))

        let reopened = try fixture.open(readOnly: true)
        #expect(try reopened.contacts.list().map(\.name) == ["Ben (mentor)", "Dr Sam Example"])
        #expect(try reopened.contacts.list().map(\.card) == [ben, sam])
        #expect(try reopened.contacts.contact(named: "dr SAM example") == added)
        #expect(try reopened.contacts.contact(withFingerprint: ben.fingerprint)?.name == "Ben (mentor)")
        #expect(try reopened.contacts.contact(withFingerprint: colleagueCard().fingerprint) == nil)

        let events = try reopened.audit.events().filter { $0.action == .contactAdded }
        #expect(events.map(\.contact) == ["Dr Sam Example", "Ben (mentor)"])
        #expect(events.map(\.fingerprint) == [sam.fingerprint.description, ben.fingerprint.description])
        // Nothing else about the contact is in the event.
        #expect(events.allSatisfy { $0.records == nil && $0.client == nil && $0.detail == nil && $0.digest == nil && $0.kinds == nil })
        let canonical = String(decoding: events[0].canonicalBytes(), as: UTF8.self)
        #expect(!canonical.contains(sam.ageRecipient))
        #expect(canonical.contains("\"contact\":\"Dr Sam Example\""))
    }

    @Test func theSameKeysOrTheSameNameAreRefusedAndChangeNothing() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let identity = IdentitySecrets.generate()
        let sam = try IdentityCard.make(name: "Dr Sam Example", role: "supervisor", created: "2026-11-24T06:00:00Z", identity: identity)
        try vault.contacts.add(card: sam, name: nil, confirmation: .fingerprint(sam.fingerprint.description))
        let before = try fixture.databaseBytes()

        // The same keys, even re-issued under another name and date.
        let reissued = try IdentityCard.make(name: "Samuel Example", role: "supervisor", created: "2026-12-01T08:00:00Z", identity: identity)
        #expect(reissued != sam && reissued.fingerprint == sam.fingerprint)
        let again = expectCasebookError(.alreadyExists) { try vault.contacts.add(card: reissued, name: "Sam", confirmation: .fingerprint(reissued.fingerprint.description)) }
        #expect(again?.message.contains("already a contact as 'Dr Sam Example'") == true)
        // Another card under a name already used, in any case.
        let impostor = try colleagueCard()
        let clash = expectCasebookError(.alreadyExists) { try vault.contacts.add(card: impostor, name: nil, confirmation: .fingerprint(impostor.fingerprint.description)) }
        #expect(clash?.message.contains(impostor.fingerprint.description) == true)
        #expect(expectCasebookError(.alreadyExists) { try vault.contacts.add(card: impostor, name: "DR SAM EXAMPLE", confirmation: .fingerprint(impostor.fingerprint.description)) } != nil)
        #expect(expectCasebookError(.alreadyExists) { try vault.contacts.checkNew(card: impostor, name: nil) } != nil)
        // Names follow the card's name rules.
        #expect(expectCasebookError(.invalidInput) { try vault.contacts.add(card: impostor, name: " Sam", confirmation: .fingerprint(impostor.fingerprint.description)) } != nil)
        #expect(expectCasebookError(.invalidInput) { try vault.contacts.add(card: impostor, name: "Sam\u{202E}", confirmation: .fingerprint(impostor.fingerprint.description)) } != nil)
        #expect(expectCasebookError(.invalidInput) { try vault.contacts.add(card: impostor, name: "", confirmation: .fingerprint(impostor.fingerprint.description)) } != nil)
        #expect(try fixture.databaseBytes() == before)
        // With its own name it is added.
        try vault.contacts.add(card: impostor, name: "Sam (second card)", confirmation: .fingerprint(impostor.fingerprint.description))
        #expect(try vault.contacts.list().count == 2)
    }

    @Test func removingAContactIsAuditedAndFreesTheName() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let sam = try colleagueCard()
        try vault.contacts.add(card: sam, name: nil, confirmation: .fingerprint(sam.fingerprint.description))
        let missing = expectCasebookError(.notFound) { try vault.contacts.remove(named: "Nobody") }
        #expect(missing?.remedy == .listContacts)
        #expect(expectCasebookError(.notFound) { _ = try vault.contacts.contact(named: "Nobody\u{7}") }?.message.contains("\\u{0007}") == true)
        try vault.contacts.remove(named: "dr sam example")
        #expect(try vault.contacts.list().isEmpty)
        #expect(try vault.contacts.contact(withFingerprint: sam.fingerprint) == nil)
        #expect(expectCasebookError(.notFound) { _ = try vault.contacts.contact(named: "Dr Sam Example") } != nil)
        let removed = try #require(try vault.audit.events().last)
        #expect(removed.action == .contactRemoved)
        #expect(removed.contact == "Dr Sam Example")
        #expect(removed.fingerprint == sam.fingerprint.description)
        // The row is gone from the table, and the card can be added again.
        let rows = try DatabaseQueue(path: fixture.databaseURL.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") }
        #expect(rows == 0)
        try vault.contacts.add(card: sam, name: nil, confirmation: .fingerprint(sam.fingerprint.description))
        #expect(try vault.audit.events().map(\.action).suffix(3) == [.contactAdded, .contactRemoved, .contactAdded])
    }

    @Test func theDatabaseHoldsNoContactInClear() throws {
        let fixture = try VaultFixture()
        let sam = try colleagueCard("Dr Zebedee Unusualname")
        try fixture.open().contacts.add(card: sam, name: "Zebedee the supervisor", confirmation: .fingerprint(sam.fingerprint.description))
        let bytes = try fixture.databaseBytes()
        for needle in ["Zebedee", sam.ageRecipient, sam.minisignKey.encoded, sam.fingerprint.description, "supervisor"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) is in the database file")
        }
        #expect(bytes.range(of: Data(sam.fingerprint.bytes)) == nil)
    }
}

@Suite struct ContactTamperingTests {
    private func write(_ fixture: VaultFixture, _ sql: String, _ arguments: StatementArguments = []) throws {
        try DatabaseQueue(path: fixture.databaseURL.path).write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    private func rows(_ fixture: VaultFixture) throws -> [(Data, Data)] {
        try DatabaseQueue(path: fixture.databaseURL.path).read { db in
            try Row.fetchAll(db, sql: "SELECT id, sealed_contact FROM contacts ORDER BY id").map { ($0[0], $0[1]) }
        }
    }

    private func twoContacts() throws -> (VaultFixture, IdentityCard, IdentityCard) {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let a = try colleagueCard("Dr Sam Example")
        let b = try colleagueCard("Ben Example", role: "mentor")
        try vault.contacts.add(card: a, name: nil, confirmation: .fingerprint(a.fingerprint.description))
        try vault.contacts.add(card: b, name: nil, confirmation: .fingerprint(b.fingerprint.description))
        return (fixture, a, b)
    }

    @Test func aBitFlippedContactIsAnIntegrityError() throws {
        let (fixture, a, _) = try twoContacts()
        var (id, sealed) = try rows(fixture)[0]
        sealed[sealed.count / 2] ^= 0x01
        try write(fixture, "UPDATE contacts SET sealed_contact = ? WHERE id = ?", [sealed, id])
        let vault = try fixture.open(readOnly: true)
        let error = expectCasebookError(.integrity) { _ = try vault.contacts.list() }
        #expect(error?.message.contains("contact integrity") == true)
        #expect(expectCasebookError(.integrity) { _ = try vault.contacts.contact(named: "Ben Example") } != nil)
        // Adding checks every existing contact too, and changes nothing when one is bad.
        let before = try fixture.databaseBytes()
        let third = try colleagueCard("Third")
        #expect(expectCasebookError(.integrity) {
            try fixture.open().contacts.add(card: third, name: nil, confirmation: .fingerprint(third.fingerprint.description))
        } != nil)
        #expect(try fixture.databaseBytes() == before)
        _ = a
    }

    @Test func aContactCopiedOntoAnotherRowIsAnIntegrityError() throws {
        let (fixture, a, b) = try twoContacts()
        let all = try rows(fixture)
        // Swap the sealed contacts of the two rows: each now sits under the other's id.
        try write(fixture, "UPDATE contacts SET sealed_contact = ? WHERE id = ?", [all[1].1, all[0].0])
        try write(fixture, "UPDATE contacts SET sealed_contact = ? WHERE id = ?", [all[0].1, all[1].0])
        let vault = try fixture.open(readOnly: true)
        #expect(expectCasebookError(.integrity) { _ = try vault.contacts.list() } != nil)
        #expect(expectCasebookError(.integrity) { _ = try vault.contacts.contact(withFingerprint: a.fingerprint) } != nil)
        #expect(expectCasebookError(.integrity) { _ = try vault.contacts.contact(withFingerprint: b.fingerprint) } != nil)
    }

    @Test func aContactUnderAnotherIdIsAnIntegrityError() throws {
        let (fixture, a, b) = try twoContacts()
        // Both rows moved to other ids (rows come back in id order, which is random).
        var moved: [Data] = []
        for (id, sealed) in try rows(fixture) {
            try write(fixture, "DELETE FROM contacts WHERE id = ?", [id])
            var other = id
            other[0] ^= 0x80
            try write(fixture, "INSERT INTO contacts (id, sealed_contact) VALUES (?, ?)", [other, sealed])
            moved.append(other)
        }
        let other = moved[0]
        let vault = try fixture.open(readOnly: true)
        #expect(expectCasebookError(.integrity) { _ = try vault.contacts.list() } != nil)
        // Nothing is found under a's or b's keys: every lookup checks all rows.
        for card in [a, b] {
            #expect(expectCasebookError(.integrity) { _ = try vault.contacts.contact(withFingerprint: card.fingerprint) } != nil)
        }
        // A value of the wrong storage class is an integrity error, not a crash.
        try write(fixture, "UPDATE contacts SET sealed_contact = 'text' WHERE id = ?", [other])
        #expect(expectCasebookError(.integrity) { _ = try fixture.open(readOnly: true).contacts.list() }?.message.contains("malformed value") == true)
    }

    @Test func aContactFromAnotherVaultDoesNotOpen() throws {
        let (fixture, _, _) = try twoContacts()
        let other = try VaultFixture()
        let chris = try colleagueCard("Chris Example", role: "compliance")
        try other.open().contacts.add(card: chris, name: nil, confirmation: .fingerprint(chris.fingerprint.description))
        // The other vault's row, with its id, copied in whole.
        let (id, sealed) = try rows(other)[0]
        try write(fixture, "INSERT INTO contacts (id, sealed_contact) VALUES (?, ?)", [id, sealed])
        #expect(expectCasebookError(.integrity) { _ = try fixture.open(readOnly: true).contacts.list() } != nil)
        // And under one of this vault's ids.
        try write(fixture, "DELETE FROM contacts WHERE id = ?", [id])
        let mine = try rows(fixture)[0].0
        try write(fixture, "UPDATE contacts SET sealed_contact = ? WHERE id = ?", [sealed, mine])
        #expect(expectCasebookError(.integrity) { _ = try fixture.open(readOnly: true).contacts.list() } != nil)
    }

    @Test func aCardIsAddedOnlyWhenItsFingerprintIsConfirmed() throws {
        let fixture = try VaultFixture()
        let sam = try colleagueCard("Dr Sam Example")
        let other = try colleagueCard("Someone Else")
        let vault = try fixture.open()
        let before = try fixture.databaseBytes()
        // Another card's fingerprint: refused with the message the command line shows.
        let wrong = expectCasebookError(.invalidInput) {
            try vault.contacts.add(card: sam, confirmation: .fingerprint(other.fingerprint.description))
        }
        #expect(wrong?.message == "the card's fingerprint \(sam.fingerprint) does not match the fingerprint given, \(other.fingerprint); nothing was stored")
        // Not a fingerprint at all.
        #expect(expectCasebookError(.invalidInput) { _ = try ContactConfirmation.fingerprint("AAAA-BBBB") }?.argument == .fingerprint)
        // A person who does not say yes confirms nothing; a yes for one card does not confirm another.
        for answer in [nil, "", "n", "no", "maybe"] as [String?] {
            let refused = expectCasebookError(.refused) { _ = try ContactConfirmation.askingPerson(card: sam) { _ in answer } }
            #expect(refused?.message == "Dr Sam Example was not added: the fingerprint was not confirmed")
        }
        let yesForOther = try ContactConfirmation.askingPerson(card: other) { _ in "y" }
        #expect(expectCasebookError(.refused) { try vault.contacts.add(card: sam, confirmation: yesForOther) } != nil)
        #expect(try fixture.databaseBytes() == before)
        // The fingerprint as read out (any case), or a person's yes for this card, adds it.
        var prompt = ""
        let yes = try ContactConfirmation.askingPerson(card: sam, name: "Sam") { shown in prompt = shown; return " Yes " }
        #expect(prompt == "Sam")
        try vault.contacts.add(card: sam, name: "Sam", confirmation: yes)
        try vault.contacts.add(card: other, confirmation: .fingerprint(other.fingerprint.description.lowercased()))
        #expect(try vault.contacts.list().map(\.name) == ["Sam", "Someone Else"])
    }
}
