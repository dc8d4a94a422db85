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

    @Flag(help: "Print your identity card (public: give it to colleagues, who add it with 'casebook contacts add').")
    var card = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("With --card: write the card to this new file instead.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write only your age identity (SECRET, 0600), as age-keygen does, for 'age -d -i FILE'.",
                               valueName: "file"))
    var exportAgeIdentity: String?

    func validate() throws {
        if output != nil && !card { throw ValidationError("-o/--output needs --card") }
        if card && (json || exportIdentity != nil || exportAgeIdentity != nil) {
            throw ValidationError("--card cannot be combined with --json, --export-identity or --export-age-identity")
        }
        if exportIdentity != nil && exportAgeIdentity != nil {
            throw ValidationError("use either --export-identity or --export-age-identity, not both")
        }
    }

    func run() throws {
        if card {
            try IdentityCardOutput.write(try vault.open(readOnly: true).owner.identityCard(), to: output)
            return
        }
        let opened = try vault.open(readOnly: exportIdentity == nil && exportAgeIdentity == nil)
        if let exportAgeIdentity {
            try opened.owner.exportAgeIdentity(to: URL(fileURLWithPath: exportAgeIdentity))
            FileHandle.standardError.write(Data("""
                warning: \(exportAgeIdentity) holds your age secret key unencrypted: anyone with it can read what is sent to you. Keep it offline and delete it when done.

                """.utf8))
            return
        }
        if let exportIdentity {
            try opened.owner.exportIdentity(to: URL(fileURLWithPath: exportIdentity))
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

/// `whoami --card`: the card on standard output (the fingerprint on standard error, so
/// `> FILE` captures only the card), or in a new file that is never overwritten.
enum IdentityCardOutput {
    static func write(_ card: IdentityCard, to path: String?) throws {
        let text = card.rendered()
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            FileHandle.standardError.write(Data("fingerprint: \(card.fingerprint) (read it to colleagues who add your card)\n".utf8))
            return
        }
        try ExclusiveFile.writePublic(Array(text.utf8), to: URL(fileURLWithPath: path))
        print("Wrote your identity card to \(path).")
        print("fingerprint: \(card.fingerprint) (read it to colleagues who add your card)")
    }
}
