public import CasebookFormat
import CasebookCrypto
import Foundation
import Logging

/// A colleague whose identity card this vault trusts: the card (with its keys and
/// fingerprint), the name it is known by here, and when it was added.
public struct Contact: Equatable, Sendable {
    /// The local name: unique in the vault, compared without regard to case. The card's
    /// own name unless another was chosen when adding it.
    public let name: String
    /// The card as received and verified (its signature was checked when it was read).
    public let card: IdentityCard
    /// When it was added, `YYYY-MM-DDTHH:MM:SSZ`.
    public let added: String

    public init(name: String, card: IdentityCard, added: String) {
        self.name = name
        self.card = card
        self.added = added
    }

    /// This contact as a recipient or signer of a package.
    public var party: HandoverParty { HandoverParty(name: name, card: card) }

    public var fingerprint: IdentityFingerprint { card.fingerprint }
}

/// A vault's contacts (docs/vault-format.md §15), reached as `vault.contacts`: one row per card, keyed by a keyed hash of the
/// card's fingerprint (purpose key 5), sealed with the identity key (purpose key 3)
/// and bound by associated data to the vault and the row id.
public struct ContactService: VaultService {
    let context: VaultContext

    static let contactPurpose = "contact"

    /// Adds `card` as a contact known as `name` (default: the card's name), only when
    /// `confirmation` confirms this card (a fingerprint that does not match is
    /// `.invalidInput`). Refused when the same keys are already a contact (under any name),
    /// or when another card is already known by that name (case-insensitive). Audited as
    /// `contact.added`.
    @discardableResult
    public func add(card: IdentityCard, name: String? = nil, confirmation: ContactConfirmation) throws -> Contact {
        let name = try Self.validatedName(name ?? card.name)
        let contact = Contact(name: name, card: card, added: Timestamp.string(clock.now()))
        let id = keys.contactID(for: card.fingerprint)
        let sealed = try sealContact(contact, id: id)
        try refuseOwnKeys(card)
        try confirmation.check(card, name: name)
        _ = try list()  // the contacts as the log has them, before one is added
        try store.write { writer in
            try Self.checkNew(card: card, name: name, existing: writer.contactRows().map(openContact))
            try writer.insertContact(ContactRow(id: id, sealedContact: sealed))
            try append(.contactAdded(.init(name: name, fingerprint: card.fingerprint.description)), in: writer)
        }
        logger.debug("contact added")
        return contact
    }

    /// Throws what `add(card:name:confirmation:)` would refuse with, without writing anything:
    /// lets a caller check before asking a person to confirm the fingerprint.
    public func checkNew(card: IdentityCard, name: String? = nil) throws {
        let name = try Self.validatedName(name ?? card.name)
        try refuseOwnKeys(card)
        try Self.checkNew(card: card, name: name, existing: list())
    }

    /// A card carrying this vault's own age or signing key is not a contact: a handover to
    /// it would come back to you, and an approval "from" it would be your own signature.
    private func refuseOwnKeys(_ card: IdentityCard) throws(CasebookError) {
        if card.ageRecipient == ageRecipient || card.minisignKey.key == minisignPublicKey.key {
            throw CasebookError(.invalidInput, "this card carries your own keys; you cannot add yourself as a contact",
                                remedy: .ownKeysAreNotContacts)
        }
    }

    /// A contact name follows the rules of a card's `name` line.
    public static func validatedName(_ name: String) throws(CasebookError) -> String {
        if let problem = TextRule.nameProblem(name) {
            throw CasebookError(.invalidInput, "the contact name \(problem)",
                                hint: "contact names follow the rules of identity-card names (docs/formats.md §2)")
        }
        return name
    }

    /// The same keys may be a contact once; a name (case-insensitive) names one card.
    private static func checkNew(card: IdentityCard, name: String, existing: [Contact]) throws(CasebookError) {
        if let same = existing.first(where: { $0.fingerprint == card.fingerprint }) {
            throw CasebookError(.alreadyExists, "this card (fingerprint \(card.fingerprint)) is already a contact as '\(same.name)'",
                                remedy: .showContact(name: same.name))
        }
        if let clash = existing.first(where: { sameName($0.name, name) }) {
            throw CasebookError(.alreadyExists,
                                "a different card is already a contact named '\(clash.name)' (fingerprint \(clash.fingerprint)); this card's fingerprint is \(card.fingerprint)",
                                remedy: .chooseAnotherContactName)
        }
    }

    /// The contacts whose names can be mistaken for `name` (Unicode TS #39: the same
    /// confusable skeleton, `ConfusableSkeleton`), such as `Dr Sam Examрle` with a Cyrillic
    /// `р` for `Dr Sam Example`. Not a refusal: two people may have look-alike names; the
    /// command line warns, so whoever adds the card knows before confirming it. Empty where
    /// skeletons cannot be computed.
    public func lookAlikes(of name: String) throws -> [Contact] {
        guard let skeleton = ConfusableSkeleton.skeleton(name) else { return [] }
        return try list().filter { contact in
            ConfusableSkeleton.skeleton(contact.name).map { $0.utf8.elementsEqual(skeleton.utf8) } ?? false
        }
    }

    /// Every contact, sorted by name (case-insensitive, then byte order). A contact that
    /// does not decrypt or does not check out is an integrity error, never skipped.
    /// The rows must be the contacts the audit log added and did not remove (a removed
    /// contact put back is an integrity error, never trusted again).
    public func list() throws -> [Contact] {
        let rows = try store.contactRows()
        let contacts = try rows.map(openContact)
        try checkContacts(contacts, rows: rows, against: ledger())
        return contacts.sorted { a, b in
            let (x, y) = (a.name.lowercased(), b.name.lowercased())
            return x != y ? x < y : Array(a.name.utf8).lexicographicallyPrecedes(b.name.utf8)
        }
    }

    /// The contact known by `name` (case-insensitive); `.notFound` when there is none.
    public func contact(named name: String) throws -> Contact {
        guard let found = try list().first(where: { Self.sameName($0.name, name) }) else {
            throw CasebookError(.notFound, "no contact named '\(Vault.displayed(name))' in this vault",
                                remedy: .listContacts)
        }
        return found
    }

    /// The contact whose card has this fingerprint, nil when those keys are not a contact.
    public func contact(withFingerprint fingerprint: IdentityFingerprint) throws -> Contact? {
        try list().first { $0.fingerprint == fingerprint }
    }

    /// The contact with `fingerprint` as a party to a signed file (a handover's sender, an
    /// override's requester or approver): what the file checks take to know who signed.
    public func party(withFingerprint fingerprint: IdentityFingerprint) throws -> HandoverParty? {
        try contact(withFingerprint: fingerprint)?.party
    }

    /// Removes the contact known by `name`, audited as `contact.removed`. What was already
    /// sent to them stays sent: this only stops this vault from trusting their card.
    public func remove(named name: String) throws {
        _ = try list()  // the contacts as the log has them, before one is removed
        try store.write { writer in
            guard let found = try writer.contactRows().map(openContact).first(where: { Self.sameName($0.name, name) }) else {
                throw CasebookError(.notFound, "no contact named '\(Vault.displayed(name))' in this vault",
                                    remedy: .listContacts)
            }
            try writer.deleteContact(id: keys.contactID(for: found.fingerprint))
            try append(.contactRemoved(.init(name: found.name, fingerprint: found.fingerprint.description)), in: writer)
        }
        logger.debug("contact removed")
    }

    // MARK: Sealing

    /// Names are unique without regard to case: compared after Unicode lower-casing,
    /// as Swift strings (so canonically equivalent spellings are the same name).
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.lowercased() == b.lowercased()
    }

    private static var contactIntegrity: CasebookError {
        CasebookError(.integrity, "contact integrity check failed: a contact does not decrypt or does not match its row",
                      hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
    }

    private func contactAssociatedData(id: [UInt8]) -> [UInt8] {
        AssociatedData.make(Self.contactPurpose, [header.vaultID, id])
    }

    private func sealContact(_ contact: Contact, id: [UInt8]) throws -> [UInt8] {
        let plaintext = try ContactCoding.encode(contact)
        return XChaCha20Poly1305.seal(plaintext, using: keys.identity, authenticating: contactAssociatedData(id: id))
    }

    /// Opens a row and checks everything it claims: the card parses and verifies, its
    /// fingerprint hashes to the row's id, the name and date are well-formed.
    private func openContact(_ row: ContactRow) throws -> Contact {
        guard row.id.count == 16,
              let plaintext = try? XChaCha20Poly1305.open(row.sealedContact, using: keys.identity,
                                                          authenticating: contactAssociatedData(id: row.id)),
              let contact = ContactCoding.decode(plaintext),
              ConstantTime.equals(keys.contactID(for: contact.fingerprint), row.id)
        else {
            throw Self.contactIntegrity
        }
        return contact
    }

}

/// The sealed plaintext of a contact: compact JSON with sorted keys,
/// `{"added":…,"card":…,"name":…}`, where `card` is the card's full text.
enum ContactCoding {
    private struct Stored: Codable {
        var added: String
        var card: String
        var name: String
    }

    static func encode(_ contact: Contact) throws -> [UInt8] {
        return CanonicalJSON.encode(Stored(added: contact.added, card: contact.card.rendered(), name: contact.name))
    }

    /// Nil unless every value meets its rule (the card must parse and verify strictly).
    static func decode(_ bytes: [UInt8]) -> Contact? {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(bytes)),
              let card = try? IdentityCard.parse(stored.card),
              TextRule.nameProblem(stored.name) == nil,
              Timestamp.parse(stored.added).map(Timestamp.string) == stored.added
        else { return nil }
        return Contact(name: stored.name, card: card, added: stored.added)
    }
}
