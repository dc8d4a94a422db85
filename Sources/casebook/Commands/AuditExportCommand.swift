import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

struct AuditExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Seal the whole audit log to your compliance officer as an audit bundle.",
        discussion: """
            The bundle holds every event (no note text is in them), the card that identifies you and a
            checkpoint of the log signed with your key, sealed with age to the contact's card. They verify
            it with 'casebook audit verify --bundle FILE' without your passphrase. The export itself is
            the bundle's last event. The file is never overwritten.
            """)

    @OptionGroup var vault: VaultOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("The compliance contact to seal it to.", valueName: "name"))
    var recipient: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The audit bundle file to write (never overwritten).", valueName: "file"))
    var output: String

    @Flag(help: "Write ASCII armor instead of a binary age file.")
    var armor = false

    func run() throws {
        try NewFile.checkAbsent(output)
        let opened = try vault.open(readOnly: false)
        let contact = try opened.contacts.contact(named: recipient)
        if contact.card.role != "compliance" {
            FileHandle.standardError.write(Data("casebook: note: \(contact.name)'s card gives the role '\(contact.card.role)', not 'compliance'; audit bundles are meant for your compliance officer\n".utf8))
        }
        let export = try PendingFile.whileCreating(output) {
            try opened.audit.exportBundle(to: contact, armor: armor, writingTo: URL(fileURLWithPath: output))
        }
        print("Exported the audit log (\(export.eventCount) events) to \(DisplayText.line(contact.name)) in \(output).")
        print("checkpoint: size \(export.checkpoint.size), root \(export.checkpoint.rootHash.base64)")
    }
}
