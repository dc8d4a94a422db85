import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Colleagues whose identity cards you trust (for handovers).",
        discussion: """
            A contact is a colleague's identity card (from 'casebook whoami --card'), stored
            encrypted in your vault under a name that is unique without regard to case.
            Add a card only after comparing its fingerprint with the one its owner reads to
            you in person or by phone.
            """,
        subcommands: [ContactsAdd.self, ContactsList.self, ContactsShow.self, ContactsRemove.self]
    )
}

struct ContactsAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a colleague's identity card as a contact.",
        discussion: """
            Reads the card strictly (its signature must verify), shows its name, role and
            fingerprint, and asks you on the terminal to confirm the fingerprint. With
            --fingerprint it compares with the fingerprint given instead of asking. Without a
            terminal on standard input and without --fingerprint it refuses: a card is never
            added unconfirmed.

            A name that can be mistaken for an existing contact's (the same Unicode TS #39
            confusable skeleton, such as a Cyrillic letter standing in for a Latin one) is
            warned about on standard error; the card is still added once confirmed.

            Exit statuses: 3 the card or --name or --fingerprint is invalid, or the
            fingerprint does not match; 4 the card file cannot be read; 7 those keys or that
            name are already a contact; 8 you did not confirm; 9 no terminal to ask on.
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The identity card file ('casebook whoami --card -o FILE' writes one).", valueName: "card-file"))
    var cardFile: String

    @Option(help: ArgumentHelp("Know the contact by this name instead of the name on the card.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The fingerprint its owner read to you; the card must match it.", valueName: "fp"))
    var fingerprint: String?

    func run() throws {
        let card = try CardFileReader.read(cardFile)
        let typed = try fingerprint.map(ContactConfirmation.fingerprint)
        if let name { _ = try ContactService.validatedName(name) }
        guard typed != nil || Terminal.standardInputIsTerminal else {
            throw CommandError(.environment, "no terminal to confirm the card's fingerprint; nothing was stored",
                                hint: "run it in a terminal, or give --fingerprint FP as \(card.name) reads it to you from 'casebook whoami --card'")
        }
        let opened = try vault.open(readOnly: false)
        try opened.contacts.checkNew(card: card, name: name)
        let localName = name ?? card.name
        for other in try opened.contacts.lookAlikes(of: localName) {
            WarningLine.print("the name '\(localName)' looks like your contact '\(other.name)' (fingerprint \(other.fingerprint)):"
                              + " make sure this card is not posing as them before you confirm it")
        }
        print("""
            name:        \(DisplayText.line(card.name))
            role:        \(DisplayText.line(card.role))
            fingerprint: \(card.fingerprint)
            """)
        let confirmation = try typed ?? ContactConfirmation.askingPerson(card: card, name: name) { localName in
            try Terminal.readLine(prompt: "Add \(DisplayText.line(localName)) as a contact? Compare the fingerprint with the one \(DisplayText.line(card.name))"
                                  + " reads to you from `casebook whoami --card`. [y/N] ")
        }
        let added = try opened.contacts.add(card: card, name: name, confirmation: confirmation)
        print("Added \(DisplayText.line(added.name)) as a contact.")
    }
}

struct ContactsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List your contacts, by name.")

    @OptionGroup var vault: VaultOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let contacts = try vault.open(readOnly: true).contacts.list()
        if json {
            try JSONOutput.print(contacts.map(ContactSummary.init))
            return
        }
        guard !contacts.isEmpty else {
            print("No contacts yet. Add a colleague's card with 'casebook contacts add CARD_FILE'.")
            return
        }
        // Names as shown (escaped), so the columns line up with what is printed.
        let names = contacts.map { DisplayText.line($0.name) }
        let roles = contacts.map { DisplayText.line($0.card.role) }
        let width = names.map(\.count).max() ?? 0
        let roleWidth = roles.map(\.count).max() ?? 0
        for (index, contact) in contacts.enumerated() {
            let name = names[index] + String(repeating: " ", count: width - names[index].count)
            let role = roles[index] + String(repeating: " ", count: roleWidth - roles[index].count)
            print("\(name)  \(role)  \(contact.fingerprint)  added \(contact.added)")
        }
    }
}

struct ContactsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a contact's card and fingerprint.")

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The contact's name (any case).", valueName: "name"))
    var name: String

    @Flag(help: "Print JSON (with the card's full text).")
    var json = false

    func run() throws {
        let contact = try vault.open(readOnly: true).contacts.contact(named: name)
        if json {
            try JSONOutput.print(ContactDetail(contact))
            return
        }
        print("""
            name:         \(DisplayText.line(contact.name))
            card name:    \(DisplayText.line(contact.card.name))
            role:         \(DisplayText.line(contact.card.role))
            age:          \(contact.card.ageRecipient)
            minisign:     \(contact.card.minisignKey.encoded) (key id \(contact.card.minisignKey.keyIDHex))
            fingerprint:  \(contact.fingerprint)
            card created: \(contact.card.created)
            added:        \(contact.added)
            """)
    }
}

struct ContactsRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a contact (audited).",
        discussion: """
            Only stops you sending to this card: whatever you already sent to the contact
            stays sent and readable by them.
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The contact's name (any case).", valueName: "name"))
    var name: String

    func run() throws {
        let opened = try vault.open(readOnly: false)
        let contact = try opened.contacts.contact(named: name)
        try opened.contacts.remove(named: contact.name)
        print("Removed \(DisplayText.line(contact.name)) (fingerprint \(contact.fingerprint)) from your contacts.")
        print("Records already sent to them stay sent: removing a contact recalls nothing.")
    }
}

/// One line of `contacts list --json`.
struct ContactSummary: Encodable {
    let name: String
    let cardName: String
    let role: String
    let fingerprint: String
    let added: String

    init(_ contact: Contact) {
        name = contact.name
        cardName = contact.card.name
        role = contact.card.role
        fingerprint = contact.fingerprint.description
        added = contact.added
    }

    enum CodingKeys: String, CodingKey {
        case name, role, fingerprint, added
        case cardName = "card-name"
    }
}

/// `contacts show --json`.
struct ContactDetail: Encodable {
    let name: String
    let cardName: String
    let role: String
    let ageRecipient: String
    let minisignPublicKey: String
    let minisignKeyID: String
    let fingerprint: String
    let created: String
    let added: String
    let card: String

    init(_ contact: Contact) {
        name = contact.name
        cardName = contact.card.name
        role = contact.card.role
        ageRecipient = contact.card.ageRecipient
        minisignPublicKey = contact.card.minisignKey.encoded
        minisignKeyID = contact.card.minisignKey.keyIDHex
        fingerprint = contact.fingerprint.description
        created = contact.card.created
        added = contact.added
        card = contact.card.rendered()
    }

    enum CodingKeys: String, CodingKey {
        case name, role, fingerprint, created, added, card
        case cardName = "card-name"
        case ageRecipient = "age-recipient"
        case minisignPublicKey = "minisign-public-key"
        case minisignKeyID = "minisign-key-id"
    }
}

/// Reads an identity card file given on the command line, strictly.
enum CardFileReader {
    static let maximumBytes = 64 * 1024

    static func read(_ path: String) throws -> IdentityCard {
        let data = try InputFile(path: path, what: "card file").readAll(atMost: maximumBytes, else: CasebookError(
            .invalidInput, "the card file \(path) is larger than \(maximumBytes / 1024) KiB: not an identity card", hint: Self.hint))
        do {
            return try IdentityCard.parse(bytes: data)
        } catch {
            let place = error.line.map { "line \($0) of " } ?? ""
            let hint: String
            switch error.code {
            case .badSignature:
                hint = "the card was altered or not issued by its own key: ask its owner for a fresh copy ('casebook whoami --card')"
            case .unsupportedVersion:
                hint = "the card was made by a newer Casebook; update Casebook to read it"
            default:
                hint = Self.hint
            }
            throw CommandError(.invalidInput, "\(place)the card file \(path): \(error.message)", hint: hint)
        }
    }

    static let hint = "an identity card is the seven-line text 'casebook whoami --card' writes (docs/formats.md §2)"
}
