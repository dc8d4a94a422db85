import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show this vault's owner, role, age recipient and minisign public key."
    )

    @OptionGroup var vault: VaultOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Write your identity file (your SECRET keys, 0600) for backup or restore.", valueName: "file"))
    var exportIdentity: String?

    @Option(help: ArgumentHelp("Write only your age identity (SECRET, 0600), as age-keygen does, for 'age -d -i FILE'.",
                               valueName: "file"))
    var exportAgeIdentity: String?

    func validate() throws {
        if exportIdentity != nil && exportAgeIdentity != nil {
            throw ValidationError("use either --export-identity or --export-age-identity, not both")
        }
    }

    func run() throws {
        let opened = try vault.open(readOnly: exportIdentity == nil && exportAgeIdentity == nil)
        if let exportAgeIdentity {
            try opened.exportAgeIdentity(to: URL(fileURLWithPath: exportAgeIdentity))
            FileHandle.standardError.write(Data("""
                warning: \(exportAgeIdentity) holds your age secret key unencrypted: anyone with it can read what is sent to you. Keep it offline and delete it when done.

                """.utf8))
            return
        }
        if let exportIdentity {
            try opened.exportIdentity(to: URL(fileURLWithPath: exportIdentity))
            FileHandle.standardError.write(Data("""
                warning: \(exportIdentity) holds your secret keys unencrypted. Keep it offline and delete copies you do not need.

                """.utf8))
            return
        }
        let summary = IdentitySummary(opened, folder: vault.folder)
        if json {
            try JSONOutput.print(summary)
        } else {
            print(summary.text)
        }
    }
}

/// The public facts about a vault's owner.
struct IdentitySummary: Encodable {
    let name: String
    let role: String
    let ageRecipient: String
    let minisignPublicKey: String
    let minisignKeyID: String
    let vault: String

    init(_ vault: Vault, folder: URL) {
        name = vault.profile.name
        role = vault.profile.role.rawValue
        ageRecipient = vault.ageRecipient
        minisignPublicKey = vault.minisignPublicKey.encoded
        minisignKeyID = vault.minisignPublicKey.keyIDHex
        self.vault = folder.path
    }

    enum CodingKeys: String, CodingKey {
        case name, role, vault
        case ageRecipient = "age-recipient"
        case minisignPublicKey = "minisign-public-key"
        case minisignKeyID = "minisign-key-id"
    }

    var text: String {
        """
        name:      \(name)
        role:      \(role)
        age:       \(ageRecipient)
        minisign:  \(minisignPublicKey) (key id \(minisignKeyID))
        vault:     \(vault)
        """
    }
}
