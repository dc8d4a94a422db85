import CasebookFormat
import ArgumentParser
import CasebookCore
import Foundation

struct ClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Act on everything a vault holds about one client.",
        subcommands: [ClientErase.self]
    )
}

struct ClientErase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a client's records for good by destroying their data key (cannot be undone).",
        discussion: """
            Every record of the client becomes unreadable at once: their data key is deleted, so no
            passphrase or backup of this vault made from now on can open them. The audit log records the
            erasure (client reference, number of records, reason) and still verifies. The reference can
            never be used again in this vault. Copies made earlier (backups, handovers already sent) are
            not affected: erase those by your service's procedures.
            On a terminal you are asked to type the reference; otherwise give --confirm REF.
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The client reference (pseudonym).", valueName: "ref"))
    var client: String

    @Option(help: ArgumentHelp("Why (an erasure request, retention period…); recorded in the audit log.", valueName: "text"))
    var reason: String

    @Option(help: ArgumentHelp("The client reference again, to confirm without a terminal.", valueName: "ref"))
    var confirm: String?

    func run() throws {
        let reference = try ClientReference(client)
        guard confirm != nil || Terminal.standardInputIsTerminal else {
            throw CommandError(.environment, "no terminal to confirm the erasure; nothing was erased",
                                hint: "run it in a terminal, or add --confirm \(reference)")
        }
        let opened = try vault.open(readOnly: false)
        try reference.checkErasureConfirmation(confirm ?? Terminal.readLine(prompt: reference.erasurePrompt))
        let count = try opened.erasure.erase(reference, reason: reason)
        print("Erased \(count) record(s) of \(reference): their data key is destroyed.")
    }
}
