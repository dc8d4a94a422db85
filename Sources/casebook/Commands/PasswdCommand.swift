import ArgumentParser
import CasebookCore
import CasebookCrypto
import Foundation

struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change the vault passphrase (re-wraps the master key only).",
        discussion: """
            The new passphrase comes from --new-passphrase-file, else $CASEBOOK_NEW_PASSPHRASE,
            else the terminal (asked twice). Records are not re-encrypted.
            """
    )

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "file"))
    var newPassphraseFile: String?

    @Option(help: ArgumentHelp("Also change the Argon2id work profile.", valueName: "interactive|moderate|sensitive"))
    var kdf: KDFProfile?

    func run() throws {
        let opened = try vault.open(readOnly: false)
        let newPassphrase = try PassphraseSource.read(file: newPassphraseFile, environment: "CASEBOOK_NEW_PASSPHRASE",
                                                      prompt: "New passphrase: ", confirm: true)
        try opened.changePassphrase(to: newPassphrase, parameters: kdf?.parameters)
        print("Passphrase changed.")
    }
}
