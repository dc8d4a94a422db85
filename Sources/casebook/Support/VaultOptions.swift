import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookStore
import Foundation

/// Where the vault is and how its passphrase arrives; shared by every command that opens it.
struct VaultOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The vault folder (default: $CASEBOOK_VAULT, else ~/.casebook).", valueName: "dir"))
    var vault: String?

    @Option(name: .long, help: ArgumentHelp("Read the passphrase from the first line of this file.", valueName: "file"))
    var passphraseFile: String?

    var folder: URL {
        if let vault { return URL(fileURLWithPath: vault) }
        if let environment = ProcessInfo.processInfo.environment["CASEBOOK_VAULT"], !environment.isEmpty {
            return URL(fileURLWithPath: environment)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".casebook")
    }

    /// Opens and unlocks the vault. Read-only commands cannot change the database.
    func open(readOnly: Bool) throws -> Vault {
        let store = try SQLiteVaultStore.open(in: folder, readOnly: readOnly)
        for warning in store.permissionWarnings {
            FileHandle.standardError.write(Data("casebook: warning: \(warning)\n".utf8))
        }
        // Check the database and its key record before asking for a passphrase.
        try Vault.checkedKeyRecord(in: store)
        let passphrase = try PassphraseSource.read(file: passphraseFile, environment: "CASEBOOK_PASSPHRASE",
                                                   prompt: "Passphrase for \(folder.path): ")
        return try Timing.measureUnlock { try Vault.open(store: store, passphrase: passphrase) }
    }
}
