import Foundation
import Testing
@testable import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// What compliance sees of a log whose tables were tampered with before a disclosure (as an
/// older Casebook, which did not check its tables against the log, would have disclosed),
/// and of a bundle re-signed under another practitioner's origin (issue 12).
@Suite struct LogReviewAttackTests {
    /// The vault of a CLI fixture, opened through the library.
    static func open(_ cli: CLIFixture) throws -> Vault {
        var passphrase = Array("correct horse battery staple".utf8)
        return try Vault.open(store: SQLiteVaultStore.open(in: cli.vault, readOnly: false), passphrase: SecureBytes(consuming: &passphrase))
    }

    @Test func aDisclosureOnAWithdrawnConsentIsFlaggedInTheVaultTheBundleAndTheReport() throws {
        let (amira, note, consent) = try LogAgreementAttackTests.amiraWithConsent()
        let granted = try #require(try auditEvents(amira).first { $0["action"] as? String == "consent.granted" })
        let digest = try #require(granted["digest"] as? String)
        #expect(granted["effect"] as? String == "permit" && granted["valid-until"] as? String == "2100-01-01T00:00:00Z")
        #expect(try amira.run("consent", "withdraw", consent, "--reason", "client asked to stop").status == 0)
        // What a Casebook that trusted a tampered table would have logged: a handover on v1.
        let vault = try Self.open(amira)
        var minimised = MinimisedDisclosure()
        minimised.kinds = ["hii-session"]
        minimised.clients = ["C-0042"]
        let basis = "\(consent) v1 sha256:\(digest)"
        _ = try vault.audit.store.write { writer in
            try vault.audit.append(.handoverSealed(.init(minimised, digest: String(repeating: "0", count: 64),
                                                         recipients: [ExamplePersona.fingerprints["supervisor"]!], purpose: .supervision,
                                                         basis: [basis], considered: [basis]), handover: String(repeating: "a", count: 32)),
                                   in: writer)
        }
        _ = note
        let flagged = "relied on consent \(consent) v1, which was withdrawn at event"
        let own = try amira.expectFailure(6, ["audit", "verify"], message: flagged)
        #expect(own.stdout.contains("flagged:     event"), "\(own.stdout)")

        let chris = try ExamplePersona.vault("compliance", contacts: ["psychologist"])
        let bundle = amira.folder.file("amira.bundle").path
        #expect(try amira.run("audit", "export", "--to", "Chris Example", "-o", bundle).status == 0)
        let verified = try chris.runner.run(["audit", "verify", "--bundle", bundle])
        #expect(verified.status == 6, "\(verified.stderr)")
        #expect(verified.stdout.contains("audit bundle verified: Dr Amira Example") && verified.stdout.contains("flagged:     event"))
        #expect(verified.stderr.contains("1 disclosure(s) in this log went against the consent history recorded before them") && verified.stderr.contains(flagged))
        let recorded = try #require(try auditEvents(chris).last { $0["action"] as? String == "audit.verified" })
        #expect(recorded["result"] as? String == "flagged")
        let csv = chris.folder.file("report.csv").path
        let report = try chris.runner.run(["audit", "report", "--bundle", bundle, "--format", "csv", "-o", csv])
        #expect(report.status == 6 && report.stderr.contains("marked FLAGGED"), "\(report.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(rows[1].contains(",verification,FLAGGED,"))
        #expect(rows.contains { $0.contains(",handover.sealed,") && $0.contains(flagged) })
    }

    @Test func aBundleReSignedUnderAColleaguesOriginIsRefusedLoudly() throws {
        let amira = try ExamplePersona.vault("psychologist", contacts: ["compliance"])
        let sam = try ExamplePersona.vault("supervisor", contacts: ["compliance"])
        let chris = try ExamplePersona.vault("compliance", contacts: ["psychologist", "supervisor"])
        let genuine = amira.folder.file("amira.bundle").path
        #expect(try amira.run("audit", "export", "--to", "Chris Example", "-o", genuine).status == 0)
        #expect(try chris.run("audit", "verify", "--bundle", genuine).status == 0)
        let amiraOrigin = AuditOrigin.origin(vaultID: try Self.open(amira).vaultID)

        // Sam signs his own log under Amira's origin and seals it to Chris.
        let forged = sam.folder.file("forged.bundle").path
        let samVault = try Self.open(sam)
        let chrisCard = try IdentityCard.parse(String(contentsOf: ExamplePersona.file("compliance.card"), encoding: .utf8))
        try samVault.audit.store.write { writer in
            let count = try writer.auditCount() + 1
            let event = try samVault.audit.append(.auditExported(count: count, to: .init(name: "Chris Example", fingerprint: chrisCard.fingerprint.description)),
                                                  in: writer)
            let rows = try writer.auditRows()
            let root = try MerkleTree.rootHash(contiguousLeafHashes: rows.flatMap(\.leafHash))
            let note = try Checkpoint(origin: amiraOrigin, size: UInt64(count), rootHash: root).signed(privateKey: samVault.audit.identity.signing)
            let header = AuditBundleHeader(origin: amiraOrigin, created: event.time, eventCount: UInt64(count),
                                           card: try samVault.audit.senderCard(created: event.time))
            var source = AuditBundleSource(header: header, checkpoint: note) { index in
                try samVault.audit.context.checkedAuditRow(rows[Int(index)], at: Int(index))
            }
            let fd = try ExclusiveFile.create(URL(fileURLWithPath: forged))
            defer { close(fd) }
            var sink = FileDescriptorSink(fileDescriptor: fd)
            try Age.encrypt(from: &source, to: &sink, recipients: [try AgeX25519Recipient(encoded: chrisCard.ageRecipient)], armor: false)
        }
        let trusted = chris.folder.file("trusted")
        try FileManager.default.createDirectory(at: trusted, withIntermediateDirectories: false)
        let refused = try chris.runner.run(["audit", "verify", "--bundle", forged, "--trusted", trusted.path, "--save-checkpoint"])
        #expect(refused.status == 6, "\(refused.stderr)")
        #expect(refused.stderr.contains("was first verified here as the log of \(ExamplePersona.fingerprints["psychologist"]!)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("this bundle is signed by Dr Sam Example (\(ExamplePersona.fingerprints["supervisor"]!))"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: trusted.path).isEmpty)
        // Amira's genuine bundle still verifies and its checkpoint is saved.
        let again = try chris.runner.run(["audit", "verify", "--bundle", genuine, "--trusted", trusted.path, "--save-checkpoint"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: trusted.path).count == 1)
    }

    @Test func aCoRecipientReusingAHandoverIdCannotBlockIt() throws {
        let (amira, note, _) = try LogAgreementAttackTests.amiraWithConsent()
        let genuine = amira.folder.file("amira.age").path
        #expect(try amira.runner.run(LogAgreementAttackTests.seal(amira, note, to: genuine)).status == 0)
        let sealed = try #require(try auditEvents(amira).last { $0["action"] as? String == "handover.sealed" })
        let id = try #require(sealed["handover"] as? String)

        // Ben, who learnt the id (a co-recipient sees it), sends Sam his own handover under it.
        let ben = try ExamplePersona.vault("mentor", contacts: ["supervisor"])
        let benNote = try #require(ben.storedID(try ben.run("note", "new", "--kind", "mentor-log", "--client", "C-0099",
                                                            input: SampleDocuments.mentor(client: "C-0099"))))
        let forged = ben.folder.file("ben.age").path
        let benVault = try Self.open(ben)
        let handovers = benVault.handovers
        let revisions = try handovers.disclosableRevisions([benNote])
        let minimised = HandoverService.minimise(revisions, wanted: nil) { Set($0.content.sections.keys) }
        let created = Timestamp.string(Date())
        let card = try handovers.senderCard(created: created)
        let samCard = try IdentityCard.parse(String(contentsOf: ExamplePersona.file("supervisor.card"), encoding: .utf8))
        let manifest = HandoverManifest(
            format: HandoverManifest.formatName, id: id, created: created,
            sender: .init(card: card.rendered(), fingerprint: card.fingerprint.description),
            recipients: [.init(fingerprint: samCard.fingerprint.description, name: "Dr Sam Example")],
            purpose: "supervision", reason: nil, fields: nil, records: minimised.records)
        let json = manifest.encoded()
        let signed = try handovers.signedDocument(json, name: PackageLayout.handover.manifestName, comment: "casebook handover \(id)")
        try handovers.writePackage(.handover, manifest: signed, to: [try AgeX25519Recipient(encoded: samCard.ageRecipient)],
                                   armor: false, at: URL(fileURLWithPath: forged)) { writer in
            try handovers.append(.handoverSealed(.init(minimised, digest: Hex.encode(SHA256.hash(json)), recipients: [samCard.fingerprint.description],
                                                       purpose: .supervision, basis: [], considered: []), handover: id), in: writer)
        }

        let sam = try ExamplePersona.vault("supervisor", contacts: ["psychologist", "mentor"])
        let first = try sam.run("handover", "open", forged, "--import")
        #expect(first.status == 0, "\(first.stderr)")
        let second = try sam.run("handover", "open", genuine, "--import")
        #expect(second.status == 0, "Amira's handover must import: \(second.stderr)")
        let again = try sam.expectFailure(7, ["handover", "open", genuine, "--import"], message: "handover \(id) from Dr Amira Example")
        #expect(again.stderr.contains("was already imported on"))
        #expect(try sam.run("audit", "verify").status == 0)
    }

    private func auditEvents(_ cli: CLIFixture) throws -> [[String: Any]] {
        let log = try cli.run("audit", "log", "--json")
        #expect(log.status == 0, "\(log.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
    }
}
