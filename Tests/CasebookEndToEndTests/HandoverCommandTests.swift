import Foundation
import Testing
import CasebookFormat
import CasebookCrypto
import CasebookTestSupport

/// The psychologist-to-supervisor journey through the built binary.
@Suite struct HandoverCommandTests {
    /// Writes `cli`'s card and returns its path and fingerprint.
    private func card(_ cli: CLIFixture, _ name: String) throws -> (path: String, fingerprint: String) {
        let path = cli.folder.file(name).path
        let result = try cli.run("whoami", "--card", "-o", path)
        #expect(result.status == 0, "\(result.stderr)")
        let card = try IdentityCard.parse(String(contentsOfFile: path, encoding: .utf8))
        return (path, card.fingerprint.description)
    }

    /// Ada (psychologist) and Sam (supervisor), each with the other as a contact.
    private func pair() throws -> (ada: CLIFixture, sam: CLIFixture) {
        let ada = try CLIFixture()
        try ada.initVault(name: "Dr Ada Example", role: "psychologist")
        let sam = try CLIFixture()
        try sam.initVault(name: "Sam Example", role: "supervisor")
        let adaCard = try card(ada, "ada.card")
        let samCard = try card(sam, "sam.card")
        #expect(try ada.run("contacts", "add", samCard.path, "--fingerprint", samCard.fingerprint).status == 0)
        #expect(try sam.run("contacts", "add", adaCard.path, "--fingerprint", adaCard.fingerprint).status == 0)
        return (ada, sam)
    }

    /// Ada records C-0042's consent to supervision handovers to Sam.
    private func consent(_ ada: CLIFixture, client: String = "C-0042", fields: String? = nil) throws {
        let granted = try ada.run("consent", "grant", "--client", client, "--purpose", "supervision", "--to", "Sam Example",
                                  "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--method", "written",
                                  "--actions", "handover")
        #expect(granted.status == 0, "\(granted.stderr)")
        _ = fields
    }

    @Test func aPsychologistSealsChosenSectionsAndTheSupervisorImportsThem() throws {
        let (ada, sam) = try pair()
        var ids: [String] = []
        for document in [SampleDocuments.hii(marker: "Zebra crossing"), SampleDocuments.hii(start: "2026-11-10T10:00:00Z", marker: "second")] {
            ids.append(ada.storedID(try ada.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: document))!)
        }
        _ = try ada.run("note", "new", "--kind", "mentor-log", "--client", "C-0099", input: SampleDocuments.mentor(client: "C-0099"))
        let file = ada.folder.file("c0042.age").path
        // Without the client's consent nothing is sealed, and the refusal is audited.
        try? FileManager.default.removeItem(atPath: file)
        let refused = try ada.run("handover", "seal", "--to", "Sam Example", "--client", "C-0042", "--purpose", "supervision", "-o", file)
        #expect(refused.status == 8, "\(refused.stderr)")
        #expect(refused.stderr.contains("no consent covers this handover"))
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try ada.run("audit", "log").stdout.contains("handover.refused"))
        try consent(ada)
        let sealed = try ada.run("handover", "seal", "--to", "Sam Example", "--client", "C-0042", "--purpose", "supervision",
                                 "--reason", "clinical supervision", "--fields", "focus,plan", "-o", file)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.contains("Sealed 2 record(s) to Sam Example in \(file)."))
        // The file is not overwritten by a second seal.
        try ada.expectFailure(7, ["handover", "seal", "--to", "Sam Example", "--note", ids[0], "--purpose", "supervision", "-o", file],
                              message: "already exists")

        // Opening shows and stores nothing.
        let before = sam.snapshot()
        let shown = try sam.run("handover", "open", file)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("from:      Dr Ada Example"))
        #expect(shown.stdout.contains("signature verified"))
        #expect(shown.stdout.contains("purpose:   supervision (clinical supervision)"))
        #expect(shown.stdout.contains("withheld: session-number"))
        #expect(shown.stdout.contains("Nothing was stored"))
        #expect(sam.snapshot() == before)
        // The sender's audit checkpoint inside the handover is hers, as she would print it now.
        let adaCheckpoint = try ada.run("audit", "checkpoint").stdout
        let eventCount = adaCheckpoint.split(separator: "\n")[1]
        #expect(shown.stdout.contains("audit:     entry \(Int(eventCount)! - 1) of the sender's log, in their signed checkpoint of \(eventCount) entries (verified)"))
        let saved = sam.folder.file("ada-\(eventCount).checkpoint").path
        let savedRun = try sam.run("handover", "open", file, "--save-checkpoint", saved)
        #expect(savedRun.status == 0)
        #expect(savedRun.stdout.hasSuffix("Saved the sender's signed checkpoint (\(eventCount) entries) to \(saved); give it to compliance.\n"))
        #expect(try String(contentsOfFile: saved, encoding: .utf8) == adaCheckpoint)
        try sam.expectFailure(7, ["handover", "open", file, "--save-checkpoint", saved], message: "already exists")

        let imported = try sam.run("handover", "open", file, "--import", "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        let records = try #require(summary["records"] as? [[String: Any]])
        #expect(records.map { $0["id"] as? String } == ids)
        let newID = try #require(records.first?["imported-as"] as? String)
        let show = try sam.run("note", "show", newID)
        #expect(show.stdout.contains("Received from Dr Ada Example"))
        #expect(show.stdout.contains("Withheld by the sender: Session number"))
        #expect(show.stdout.contains("Zebra crossing"))
        #expect(try sam.run("note", "list").stdout.components(separatedBy: "\n").filter { $0.contains("C-0042") }.count == 2)
        // A second import is refused and changes nothing.
        try sam.expectFailure(7, ["handover", "open", file, "--import"], message: "already imported")
    }

    @Test func refusalsLeaveTheVaultAsItWas() throws {
        let (ada, sam) = try pair()
        let id = ada.storedID(try ada.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii()))!
        try consent(ada)
        let file = ada.folder.file("h.age").path
        #expect(try ada.run("handover", "seal", "--to", "Sam Example", "--note", id, "--purpose", "supervision", "--armor", "-o", file).status == 0)
        // A stranger: not addressed to them (and the sender is no contact of theirs).
        let eve = try CLIFixture()
        try eve.initVault(name: "Eve Example", role: "mentor")
        try eve.expectFailure(3, ["handover", "open", file, "--import"], message: "not addressed to you")
        // Sam without Ada as a contact.
        #expect(try sam.run("contacts", "remove", "Dr Ada Example").status == 0)
        let unknown = try sam.expectFailure(4, ["handover", "open", file, "--import"], message: "not in your contacts")
        #expect(unknown.stderr.contains("hint: "))
        // Damaged files.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let truncated = sam.folder.file("truncated.age")
        try Data(bytes.prefix(bytes.count - 60)).write(to: truncated)
        try sam.expectFailure(6, ["handover", "open", truncated.path], message: "damaged")
        try sam.expectFailure(4, ["handover", "open", sam.folder.file("missing.age").path], message: "cannot read")
        // Bad arguments.
        try ada.expectFailure(2, ["handover", "seal", "--note", id, "--purpose", "supervision", "-o", "y.age"], message: "--to")
        try ada.expectFailure(2, ["handover", "seal", "--to", "Sam Example", "--note", id, "--purpose", "chat", "-o", "y.age"], message: "--purpose")
        try ada.expectFailure(4, ["handover", "seal", "--to", "Nobody", "--note", id, "--purpose", "supervision", "-o", ada.folder.file("n.age").path],
                              message: "Nobody")
        try ada.expectFailure(3, ["handover", "seal", "--to", "Sam Example", "--note", id, "--purpose", "supervision", "--fields", "nonsense",
                                  "-o", ada.folder.file("n.age").path], message: "nonsense")
    }
}

@Suite struct AuditLogCommandTests {
    @Test func theLogListsEveryWriteInOrderAndRefusesATamperedOne() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let id = cli.storedID(try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii()))!
        #expect(try cli.run("note", "amend", id, "--reason", "more", input: SampleDocuments.hii(marker: "more")).status == 0)
        let log = try cli.run("audit", "log")
        #expect(log.status == 0, "\(log.stderr)")
        let lines = log.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("vault.created"))
        #expect(lines[1].contains("record.created") && lines[1].contains("record \(id)") && lines[1].contains("client C-0042"))
        #expect(lines[2].contains("record.amended") && lines[2].contains("revision 2"))
        #expect(!log.stdout.contains("steady progress"))
        let json = try cli.run("audit", "log", "--json")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(events.map { $0["sequence"] as? Int } == [0, 1, 2])
        #expect(events.map { $0["action"] as? String } == ["vault.created", "record.created", "record.amended"])
        // An event moved onto another sequence number is refused.
        try cli.sql("""
            DROP TRIGGER audit_append_only_update;
            UPDATE audit_events SET sealed_event = (SELECT sealed_event FROM audit_events WHERE sequence = 1) WHERE sequence = 2;
            """)
        try cli.expectFailure(6, ["audit", "log"], message: "audit event 2")
    }
}

@Suite struct ClientEraseCommandTests {
    @Test func erasureNeedsConfirmationAndLeavesTheOtherClientsAlone() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let kept = cli.storedID(try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0001", input: SampleDocuments.hii(client: "C-0001")))!
        let gone = cli.storedID(try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0002", input: SampleDocuments.hii(client: "C-0002")))!
        try cli.expectFailure(9, ["client", "erase", "C-0002", "--reason", "request"], message: "no terminal")
        try cli.expectFailure(8, ["client", "erase", "C-0002", "--reason", "request", "--confirm", "C-0001"], message: "not confirmed")
        try cli.expectFailure(4, ["client", "erase", "C-0099", "--reason", "request", "--confirm", "C-0099"], message: "no records of client C-0099")
        let erased = try cli.run("client", "erase", "C-0002", "--reason", "request DP-7", "--confirm", "C-0002")
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(erased.stdout.contains("Erased 1 record(s) of C-0002"))
        let list = try cli.run("note", "list")
        #expect(list.stdout.contains(kept) && !list.stdout.contains(gone))
        try cli.expectFailure(4, ["note", "show", gone], message: "was erased")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0002"], input: SampleDocuments.hii(client: "C-0002"),
                              message: "erased")
        #expect(try cli.run("audit", "log").stdout.contains("client.erased"))
    }
}

@Suite struct AuditVerifyCommandTests {
    @Test func verifyPrintsTheTreeHeadAndFindsARemovedEvent() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        _ = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii())
        _ = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0043", input: SampleDocuments.hii(client: "C-0043"))
        let verified = try cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("audit log verified: 3 events, tree root "))
        // The root is the RFC 6962 root over the stored leaf hashes, recomputed here independently.
        let leaves = try sqliteLines(cli, "SELECT hex(leaf_hash) FROM audit_events ORDER BY sequence").map { hexBytes($0) }
        func node(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { SHA256.hash([1] + a + b) }
        let root = node(node(leaves[0], leaves[1]), leaves[2])
        #expect(verified.stdout.contains(Base64.encode(root)))
        // An event removed from the middle of the log is found.
        _ = try sqliteLines(cli, "DROP TRIGGER audit_append_only_delete; DELETE FROM audit_events WHERE sequence = 1;")
        try cli.expectFailure(6, ["audit", "verify"], message: "entry 1 is missing")
    }

    private func sqliteLines(_ cli: CLIFixture, _ sql: String) throws -> [String] {
        try cli.sql(sql).split(separator: "\n").map(String.init)
    }

    private func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

@Suite struct AuditCheckpointCommandTests {
    @Test func theCheckpointIsSignedByTheVaultAndMatchesTheVerifiedTree() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        _ = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii())
        let note = try cli.run("audit", "checkpoint")
        #expect(note.status == 0, "\(note.stderr)")
        let vkey = try cli.run("audit", "checkpoint", "--verifier-key").stdout.trimmingCharacters(in: .newlines)
        let verifier = try NoteVerifier(parsing: vkey)
        let origin = try #require(note.stdout.split(separator: "\n").first.map(String.init))
        #expect(origin.hasPrefix("casebook.example/vault/"))
        let (checkpoint, _) = try Checkpoint.open(Array(note.stdout.utf8), origin: origin, verifiers: [verifier])
        #expect(checkpoint.size == 2)
        let verified = try cli.run("audit", "verify").stdout
        #expect(verified.contains("2 events, tree root \(checkpoint.rootHash.base64)"))
        // Another vault's key does not verify it.
        let other = try CLIFixture()
        try other.initVault(name: "Other Example", role: "mentor")
        let otherKey = try NoteVerifier(parsing: try other.run("audit", "checkpoint", "--verifier-key").stdout.trimmingCharacters(in: .newlines))
        #expect(throws: (any Error).self) { _ = try Checkpoint.open(Array(note.stdout.utf8), origin: origin, verifiers: [otherKey]) }
    }
}
