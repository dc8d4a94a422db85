import Foundation
import Testing
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookTestSupport

/// Files made by the binary of commit f44ba70, before the reshaping of issue 11
/// (Fixtures/make-fixtures.sh): three vaults, a handover, an export, an override request and
/// its approval, an audit bundle and a card. Today's code must open, verify and import each
/// exactly as that binary did, so a change that alters a format on disk or on the wire fails.
@Suite struct FormatFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/v1")
    static let passphrase = "fixture passphrase, never for real use"
    static let amiraFingerprint = "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2"

    static func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// A private copy of one fixture vault, so tests never change the committed files.
    private func vault(_ name: String) throws -> CLIFixture {
        let cli = try CLIFixture(extra: ["CASEBOOK_PASSPHRASE": Self.passphrase])
        try FileManager.default.createDirectory(at: cli.vault, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let database = cli.vault.appendingPathComponent("vault.db")
        try FileManager.default.copyItem(at: Self.file("\(name)/vault.db"), to: database)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: database.path)
        return cli
    }

    private func ok(_ cli: CLIFixture, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> CasebookRunner.Result {
        let result = try cli.runner.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    @Test func theOldVaultListsVerifiesAndShowsTheSameRecordsAndLog() throws {
        let amira = try vault("amira")
        #expect(try ok(amira, "note", "list", "--json").stdout == String(contentsOf: Self.file("amira-notes.json"), encoding: .utf8))
        #expect(try ok(amira, "audit", "log", "--json").stdout == String(contentsOf: Self.file("amira-audit.json"), encoding: .utf8))
        #expect(try ok(amira, "audit", "verify").stdout.contains("14 events"))
        let list = try ok(amira, "note", "list", "--kind", "hii-session", "--json").stdout
        let id = try #require(list.split(separator: "\"").drop { $0 != "id" }.dropFirst(2).first.map(String.init))
        #expect(try ok(amira, "note", "show", id).stdout.contains("has started volunteering at a food bank."))
        #expect(try ok(amira, "note", "show", id, "--revision", "1").stdout.contains("unsure where he fits now."))
        #expect(try ok(amira, "note", "search", "covenants").stdout.contains("theological-advice"))
        #expect(try ok(amira, "consent", "list", "--json").stdout == String(contentsOf: Self.file("amira-consents.json"), encoding: .utf8))
        #expect(try ok(amira, "contacts", "list", "--json").stdout == String(contentsOf: Self.file("amira-contacts.json"), encoding: .utf8))
        // It goes on working: a new record and a checkpoint over old and new events.
        _ = try ok(amira, "note", "new", "--kind", "hii-session", "--client", "C-0042",
                   "--file", Self.folder.deletingLastPathComponent().appendingPathComponent("records/hii.md").path)
        #expect(try ok(amira, "audit", "verify").stdout.contains("15 events"))
    }

    @Test func theOldHandoverOpensAndImportsInTheSupervisorsOldVault() throws {
        let sam = try vault("sam")
        let shown = try ok(sam, "handover", "open", Self.file("handover.age").path)
        #expect(shown.stdout.contains("Dr Amira Example"))
        _ = try ok(sam, "handover", "open", Self.file("handover.age").path, "--import")
        let list = try ok(sam, "note", "list", "--json").stdout
        #expect(list.contains("\"hii-session\"") && list.contains("\"ddp-session\""))
        #expect(!list.contains("theological-advice"))
        try sam.expectFailure(7, ["handover", "open", Self.file("handover.age").path, "--import"], message: "already imported")
        #expect(try ok(sam, "audit", "verify").status == 0)
    }

    @Test func theOldAuditBundleVerifiesAgainstTheHandoversCheckpointAndReports() throws {
        let chris = try vault("chris")
        let trusted = chris.folder.file("trusted")
        try FileManager.default.createDirectory(at: trusted, withIntermediateDirectories: false)
        try FileManager.default.copyItem(at: Self.file("amira-handover.checkpoint"), to: trusted.appendingPathComponent("amira.checkpoint"))
        let verified = try ok(chris, "audit", "verify", "--bundle", Self.file("audit.bundle").path, "--trusted", trusted.path)
        #expect(verified.stdout.contains("14 events"))
        let report = chris.folder.file("report.csv")
        _ = try ok(chris, "audit", "report", "--bundle", Self.file("audit.bundle").path, "--trusted", trusted.path,
                   "--format", "csv", "-o", report.path)
        let csv = try String(contentsOf: report, encoding: .utf8)
        #expect(csv.contains("export.sealed") && csv.contains("handover.sealed") && csv.contains("override.approved") == false)
    }

    @Test func theOldOverrideRequestAndApprovalVerify() throws {
        let sam = try vault("sam")
        let request = try ok(sam, "override", "show", Self.file("override-request.txt").path)
        #expect(request.stdout.contains("signature 1:    requester \(Self.amiraFingerprint), Dr Amira Example (psychologist): verified"))
        let amira = try vault("amira")
        let approval = try ok(amira, "override", "show", Self.file("override-approval.txt").path, "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(approval.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "approval")
        let signatures = try #require(object["signatures"] as? [[String: Any]])
        #expect(signatures.map { $0["verified"] as? Bool } == [true, true])
    }

    @Test func theOldCardIsAddedWithItsFingerprint() throws {
        let fresh = try ExamplePersona.vault("mentor")
        let added = try ok(fresh, "contacts", "add", Self.file("amira.card").path, "--fingerprint", Self.amiraFingerprint)
        #expect(added.stdout.contains("Dr Amira Example"))
    }

    /// The export is for someone outside Casebook: read it as they would, with the probation
    /// officer's age key, and check its signatures and audit proof with today's format code.
    @Test func theOldExportOpensAndItsSignaturesAndProofVerify() throws {
        let keyText = try String(contentsOf: Self.file("probation.key"), encoding: .utf8)
        let secretLine = try #require(keyText.split(separator: "\n").first { $0.hasPrefix("AGE-SECRET-KEY-1") })
        var secretBytes = Array(secretLine.utf8)
        let identity = try AgeX25519Identity(encoded: SecureBytes(consuming: &secretBytes))
        let archive = try Age.decrypt(try [UInt8](Data(contentsOf: Self.file("export.age"))), identities: [identity])
        let files = try UstarArchive.read(archive, limits: .init(maximumEntryCount: 16, maximumTotalByteCount: 1 << 24))
        #expect(files.map(\.name) == ["export.json", "export.json.minisig", "export.md", "export.md.minisig"] + PackageAuditProof.fileNames)
        let manifest = try ExportManifest.decode(files[0].contents)
        #expect(manifest.client == "C-0042")
        #expect(manifest.recipient.organisation == "probation-north")
        #expect(manifest.encoded() == files[0].contents)
        // export.md renders today, with Core's record kinds, to the bytes the old binary wrote.
        #expect(Array(ExportDocument.markdown(manifest).utf8) == files[2].contents)
        let card = try IdentityCard.parse(bytes: try [UInt8](Data(contentsOf: Self.file("amira.card"))))
        for (document, signature) in [(files[0], files[1]), (files[2], files[3])] {
            try MinisignSignature(parsing: signature.contents).verify(message: document.contents, publicKey: card.minisignKey,
                                                                      allowingLegacy: false)
        }
        let proven = try PackageAuditProof.verify(event: files[4].contents, proof: files[5].contents, checkpoint: files[6].contents,
                                                  signer: card.minisignKey.key, action: .exportSealed, packageID: manifest.id,
                                                  manifest: files[0].contents)
        #expect(proven.event.export == manifest.id)
        #expect(proven.event.clients == ["C-0042"])
    }
}
