public import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import Foundation

/// Argon2id work profile names users choose from.
enum KDFProfile: String, ExpressibleByArgument, CaseIterable {
    case interactive, moderate, sensitive

    var parameters: Argon2id.Parameters {
        switch self {
        case .interactive: .interactive
        case .moderate: .moderate
        case .sensitive: .sensitive
        }
    }
}

extension PractitionerRole: ExpressibleByArgument {}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new vault with your identity keys.",
        discussion: """
            Creates the vault folder (0700) and its database, generates an X25519 key pair
            (your age recipient) and an Ed25519 key pair (your minisign key), and protects
            them with a passphrase you type twice. Never overwrites an existing vault.
            """
    )

    @OptionGroup var vault: VaultOptions

    @Option(help: "Your name as colleagues know it (shown on your identity; recorded, encrypted, as the author of your records).")
    var name: String

    @Option(help: ArgumentHelp("Your role.", valueName: PractitionerRole.allCases.map(\.rawValue).joined(separator: "|")))
    var role: PractitionerRole

    @Option(help: ArgumentHelp("Argon2id work for the passphrase: interactive (64 MiB), moderate (256 MiB), sensitive (1 GiB).",
                               valueName: "interactive|moderate|sensitive"))
    var kdf: KDFProfile = .moderate

    @Option(help: ArgumentHelp("Use the keys in this identity file instead of generating new ones.", valueName: "file"))
    var identity: String?

    func run() throws {
        let secrets = try identity.map(IdentityFileReader.read)
        let passphrase = try PassphraseSource.read(file: vault.passphraseFile, environment: "CASEBOOK_PASSPHRASE",
                                                   prompt: "New passphrase for \(vault.folder.path): ", confirm: true)
        try Vault.checkNewPassphrase(passphrase)
        let store = try SQLiteVaultStore.create(in: vault.folder)
        let created: Vault
        do {
            created = try Vault.create(store: store, name: name, role: role, kdf: kdf.parameters,
                                       passphrase: passphrase, identity: secrets)
        } catch {
            SQLiteVaultStore.removeIncomplete(in: vault.folder)
            throw error
        }
        print("Created vault in \(vault.folder.path)")
        print(IdentitySummary(created, folder: vault.folder).text)
    }
}

/// Reads an identity file given on the command line into secure memory.
enum IdentityFileReader {
    static func read(_ path: String) throws -> IdentitySecrets {
        let secret = try SecretInput.readFile(path, limit: 64 * 1024, what: "identity file")
        do {
            return try IdentityFile.parse(secret)
        } catch {
            let place = error.line.map { "line \($0) of " } ?? ""
            throw CommandError(.invalidInput, "\(place)the identity file \(path) \(error.message)",
                                hint: "an identity file starts with '\(IdentityFile.header)'; see Keys-example/README.md")
        }
    }
}
