import Foundation
import Testing
import CasebookCrypto
import CasebookFormat
import CasebookTestSupport

/// A subject-access export sealed to the vault's own passphrase would hand the client the key
/// to every record: refused however the two passphrases arrive, and nothing is recorded.
@Suite struct ExportPassphraseCommandTests {
    private let vaultPassphrase = "correct horse battery staple"  // CasebookRunner's
    private let refusal = """
        casebook: error: the export passphrase is this vault's passphrase: whoever opens the export would learn it
        hint: choose another passphrase for the export, and give it to the recipient by another channel

        """

    private func secret(_ text: String) -> SecureBytes {
        var bytes = Array(text.utf8)
        return SecureBytes(consuming: &bytes)
    }

    @Test func theVaultPassphraseIsRefusedAndAnotherSeals() throws {
        let ada = try CLIFixture()
        try ada.initVault()
        #expect(try ada.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii()).status == 0)
        #expect(try ada.run("consent", "grant", "--client", "C-0042", "--purpose", "subject-access", "--to", "role:client",
                            "--actions", "export", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31",
                            "--method", "written").status == 0)
        let file = ada.folder.file("sar.age").path
        let export = ["export", "--client", "C-0042", "--passphrase", "--recipient-role", "client", "--purpose", "subject-access", "-o", file]
        let eventsBefore = try ada.run("audit", "log").stdout

        // From the environment, both.
        let refused = try ada.expectFailure(3, export, environment: ["CASEBOOK_EXPORT_PASSPHRASE": vaultPassphrase],
                                            message: "the export passphrase is this vault's passphrase")
        #expect(refused.stderr == refusal)
        // From one file, named twice; and from a file with a CRLF line end against the environment.
        let passphraseFile = try ada.folder.write("pass.txt", vaultPassphrase + "\n")
        try ada.expectFailure(3, export + ["--passphrase-file", passphraseFile.path, "--export-passphrase-file", passphraseFile.path],
                              environment: ["CASEBOOK_PASSPHRASE": nil], message: "the export passphrase is this vault's passphrase")
        let windowsFile = try ada.folder.write("pass-crlf.txt", vaultPassphrase + "\r\n")
        try ada.expectFailure(3, export + ["--passphrase-file", windowsFile.path],
                              environment: ["CASEBOOK_PASSPHRASE": nil, "CASEBOOK_EXPORT_PASSPHRASE": vaultPassphrase],
                              message: "the export passphrase is this vault's passphrase")
        #expect(!FileManager.default.fileExists(atPath: file))
        // Refused as bad input, before any decision: nothing recorded.
        #expect(try ada.run("audit", "log").stdout == eventsBefore)

        // Another passphrase seals, and only it opens the export.
        let sealed = try ada.runner.run(export, environment: ["CASEBOOK_EXPORT_PASSPHRASE": "a passphrase for the client"])
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(!(try Age.decrypt(bytes, identities: [AgeScryptIdentity(passphrase: secret("a passphrase for the client"))])).isEmpty)
        #expect(throws: AgeError.self) { _ = try Age.decrypt(bytes, identities: [AgeScryptIdentity(passphrase: secret(vaultPassphrase))]) }
        #expect(try ada.run("audit", "log").stdout.split(separator: "\n").last?.contains("export.sealed") == true)

        // After a passphrase change the new one is the vault's, and the old one may seal.
        let newPassphrase = "a new and longer passphrase"
        #expect(try ada.run("passwd", environment: ["CASEBOOK_NEW_PASSPHRASE": newPassphrase]).status == 0)
        let second = ada.folder.file("sar-2.age").path
        let exportAgain = Array(export.dropLast()) + [second]
        try ada.expectFailure(3, exportAgain, environment: ["CASEBOOK_PASSPHRASE": newPassphrase, "CASEBOOK_EXPORT_PASSPHRASE": newPassphrase],
                              message: "the export passphrase is this vault's passphrase")
        let resealed = try ada.runner.run(exportAgain, environment: ["CASEBOOK_PASSPHRASE": newPassphrase, "CASEBOOK_EXPORT_PASSPHRASE": vaultPassphrase])
        #expect(resealed.status == 0, "\(resealed.stderr)")
    }
}
