import Foundation
import Testing
import CasebookTestSupport

/// The compliance journey through the built binary, with the example personas: Dr Amira
/// Example (psychologist) hands over to Dr Sam Example (supervisor) and exports her audit log
/// to Chris Example (compliance), who verifies it against the checkpoints he keeps and
/// writes reports — and catches a rolled-back and an edited log.
@Suite struct AuditComplianceCommandTests {
    /// Runs a command that must fail with `status` and print one error line and a hint.
    @discardableResult
    private func expectError(_ cli: CLIFixture, _ status: Int32, _ arguments: [String], _ message: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> CasebookRunner.Result {
        let result = try cli.runner.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.status) \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count <= 2 && lines.first?.hasPrefix("casebook: error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count < 2 || lines[1].hasPrefix("hint: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "expected '\(message)' in \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    @Test func psychologistToComplianceWithTrustedCheckpoints() throws {
        let amira = try ExamplePersona.vault("psychologist")
        let chris = try ExamplePersona.vault("compliance")
        try ExamplePersona.add("supervisor", to: amira)
        try ExamplePersona.add("compliance", to: amira)
        try ExamplePersona.add("psychologist", to: chris)
        // A note, a handover the consent covers and one it does not.
        #expect(try amira.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii()).status == 0)
        #expect(try amira.run("note", "new", "--kind", "hii-session", "--client", "C-0043", input: SampleDocuments.hii(client: "C-0043")).status == 0)
        #expect(try amira.run("consent", "grant", "--client", "C-0042", "--purpose", "supervision", "--to", "Dr Sam Example",
                              "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--method", "written", "--actions", "handover").status == 0)
        let handover = amira.folder.file("h.age").path
        let sealed = try amira.run("handover", "seal", "--to", "Dr Sam Example", "--client", "C-0042", "--purpose", "supervision", "-o", handover)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(try amira.run("handover", "seal", "--to", "Dr Sam Example", "--client", "C-0043", "--purpose", "supervision",
                              "-o", amira.folder.file("refused.age").path).status == 8)

        // Amira exports her log to Chris.
        let first = amira.folder.file("audit-1.age").path
        let exported = try amira.run("audit", "export", "--to", "Chris Example", "-o", first)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("Exported the audit log (9 events) to Chris Example in \(first)."))
        #expect(exported.stderr.isEmpty)
        let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try expectError(amira, 7, ["audit", "export", "--to", "Chris Example", "-o", first], "already exists")

        // Chris verifies it from his own vault and keeps its checkpoint.
        let trusted = chris.folder.file("trusted")
        try FileManager.default.createDirectory(at: trusted, withIntermediateDirectories: false)
        let verified = try chris.run("audit", "verify", "--bundle", first, "--trusted", trusted.path, "--save-checkpoint")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("audit bundle verified: Dr Amira Example (\(ExamplePersona.fingerprints["psychologist"]!)), 9 events, exported "))
        #expect(verified.stdout.contains("trusted:     no checkpoint of this log in \(trusted.path)"))
        let saved = try FileManager.default.contentsOfDirectory(atPath: trusted.path)
        #expect(saved.count == 1 && saved[0].hasSuffix("-9.checkpoint"))
        #expect(verified.stdout.contains("saved:       \(trusted.path)/\(saved[0])"))
        #expect(try chris.run("audit", "log").stdout.contains("audit.verified  9 events  from \(ExamplePersona.fingerprints["psychologist"]!)"))

        // Reports: csv, json, html.
        let csvPath = chris.folder.file("report.csv").path
        let csv = try chris.run("audit", "report", "--bundle", first, "--trusted", trusted.path, "--format", "csv", "-o", csvPath)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("2 row(s); log verified (9 events)"))
        let table = try String(contentsOfFile: csvPath, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(table[0] == "sequence,time,action,outcome,actor,recipients,clients,kinds,fields,withheld,excluded,purpose,basis,digest,detail,flagged")
        #expect(table[1].hasPrefix(",") && table[1].contains(",verification,verified,\(ExamplePersona.fingerprints["psychologist"]!),"))
        #expect(table[2].contains(",handover.sealed,disclosed,") && table[2].contains(ExamplePersona.fingerprints["supervisor"]!))
        #expect(table[3].contains(",handover.refused,refused,") && table[3].hasSuffix(",denied,"))
        #expect(try FileManager.default.attributesOfItem(atPath: csvPath)[.posixPermissions] as? Int == 0o600)
        let jsonPath = chris.folder.file("report.json").path
        #expect(try chris.run("audit", "report", "--bundle", first, "--format", "json", "--from", "2020-01-01", "-o", jsonPath).status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [String: Any])
        #expect((json["verification"] as? [String: Any])?["result"] as? String == "verified")
        #expect((json["rows"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String } == ["disclosed", "refused"])
        #expect(json["from"] as? String == "2020-01-01")
        let htmlPath = chris.folder.file("report.html").path
        #expect(try chris.run("audit", "report", "--bundle", first, "--format", "html", "-o", htmlPath).status == 0)
        let html = try String(contentsOfFile: htmlPath, encoding: .utf8)
        #expect(html.contains("<strong>VERIFIED</strong>") && html.contains("<svg") && !html.contains("<script"))
        #expect(html.contains("Dr Amira Example (\(ExamplePersona.fingerprints["psychologist"]!))"))
        try expectError(chris, 7, ["audit", "report", "--bundle", first, "--format", "html", "-o", htmlPath], "already exists")

        // More work, a second bundle: it extends the checkpoint Chris kept.
        #expect(try amira.run("note", "new", "--kind", "mentor-log", "--client", "C-0042", input: SampleDocuments.mentor()).status == 0)
        let second = amira.folder.file("audit-2.age").path
        #expect(try amira.run("audit", "export", "--to", "Chris Example", "-o", second).status == 0)
        let again = try chris.run("audit", "verify", "--bundle", second, "--trusted", trusted.path, "--save-checkpoint", "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(summary["events"] as? Int == 11 && summary["trusted"] as? [Int] == [9] && summary["result"] as? String == "verified")
        // Amira's own log verifies against the checkpoints Chris holds.
        let own = try amira.run("audit", "verify", "--trusted", trusted.path)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("consistent with 2 checkpoint(s)"))

        // The first bundle again, now that a later checkpoint is trusted: a rollback.
        let before = try chris.run("audit", "log").stdout.split(separator: "\n").count
        try expectError(chris, 6, ["audit", "verify", "--bundle", first, "--trusted", trusted.path],
                        "the audit log has 9 events but the trusted checkpoint")
        // The verdict is recorded in Chris's log.
        let after = try chris.run("audit", "log").stdout.split(separator: "\n")
        #expect(after.count == before + 1 && after.last?.contains("result=failed at 9; for=verify") == true)

        // Someone edits an event in the plaintext and re-seals it without Amira's key.
        let plain = chris.folder.file("plain").path
        #expect(try chris.run("age", "decrypt", "-i", ExamplePersona.file("compliance.identity").path, "-o", plain, second).status == 0)
        var text = try String(contentsOfFile: plain, encoding: .utf8)
        let range = try #require(text.range(of: #""action":"handover.refused""#))
        text.replaceSubrange(range, with: #""action":"handover.sealed""#)
        try text.write(toFile: chris.folder.file("edited").path, atomically: false, encoding: .utf8)
        let recipient = try #require(try String(contentsOf: ExamplePersona.file("compliance.card"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("age: ") }).dropFirst(5)
        let edited = chris.folder.file("edited.age").path
        #expect(try chris.run("age", "encrypt", "-r", String(recipient), "-o", edited, chris.folder.file("edited").path).status == 0)
        try expectError(chris, 6, ["audit", "verify", "--bundle", edited, "--trusted", trusted.path],
                        "the audit log differs from the trusted checkpoint of size 9")
        // Its report is still written, marked FAILED.
        let failedPath = chris.folder.file("failed.csv").path
        try expectError(chris, 6, ["audit", "report", "--bundle", edited, "--trusted", trusted.path, "--format", "csv", "-o", failedPath],
                        "the audit log differs")
        #expect(try String(contentsOfFile: failedPath, encoding: .utf8).components(separatedBy: "\r\n")[1].contains(",verification,FAILED,"))
    }

    @Test func refusalsAndBadArguments() throws {
        let amira = try ExamplePersona.vault("psychologist")
        let chris = try ExamplePersona.vault("compliance")
        let sam = try ExamplePersona.vault("supervisor")
        try ExamplePersona.add("compliance", to: amira)
        try ExamplePersona.add("supervisor", to: amira)
        let bundle = amira.folder.file("audit.age").path
        #expect(try amira.run("audit", "export", "--to", "Chris Example", "-o", bundle).status == 0)
        // A contact who is not compliance: exported, with a note.
        let toSam = try amira.run("audit", "export", "--to", "Dr Sam Example", "-o", amira.folder.file("sam.age").path)
        #expect(toSam.status == 0 && toSam.stderr.contains("role 'supervisor', not 'compliance'"))
        try amira.expectFailure(4, ["audit", "export", "--to", "Nobody", "-o", amira.folder.file("x.age").path], message: "Nobody")
        try amira.expectFailure(2, ["audit", "export", "-o", amira.folder.file("x.age").path], message: "--to")
        try amira.expectFailure(2, ["audit", "export", "--to", "Chris Example", "-o", "-"], message: "-o needs a file name")
        // Chris does not know Amira yet; Sam is not the recipient.
        try chris.expectFailure(4, ["audit", "verify", "--bundle", bundle], message: "who is not in your contacts")
        try sam.expectFailure(3, ["audit", "verify", "--bundle", bundle], message: "not addressed to you")
        try chris.expectFailure(4, ["audit", "verify", "--bundle", chris.folder.file("missing.age").path], message: "cannot read")
        try chris.expectFailure(2, ["audit", "verify", "--bundle", bundle, "--save-checkpoint"], message: "--save-checkpoint needs")
        try chris.expectFailure(2, ["audit", "report", "--bundle", bundle, "--format", "csv", "-o", "-"], message: "-o needs a file name")
        try chris.expectFailure(2, ["audit", "report", "--bundle", bundle, "--format", "pdf", "-o", chris.folder.file("r").path], message: "pdf")
        try chris.expectFailure(2, ["audit", "report", "--bundle", bundle, "--format", "csv", "--from", "2026-02-30", "-o", chris.folder.file("r").path],
                                message: "not a valid date")
        try chris.expectFailure(2, ["audit", "report", "--format", "csv", "--from", "2026-03-02", "--until", "2026-03-01", "-o", chris.folder.file("r").path],
                                message: "ends")
        let garbage = chris.folder.file("garbage.age")
        try Data("not an age file at all".utf8).write(to: garbage)
        // Not an age file at all: invalid input (3), as from every reader of age files (BadInputTableTests).
        try chris.expectFailure(3, ["audit", "verify", "--bundle", garbage.path], message: "not a valid age file")
        let notes = chris.folder.file("trusted")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: false)
        try Data("minutes of the meeting\n".utf8).write(to: notes.appendingPathComponent("minutes.txt"))
        try ExamplePersona.add("psychologist", to: chris)
        try chris.expectFailure(3, ["audit", "verify", "--bundle", bundle, "--trusted", notes.path], message: "minutes.txt in the trusted folder is not a signed checkpoint")
        // Help for the new commands.
        for command in [["audit", "export"], ["audit", "verify"], ["audit", "report"]] {
            let help = try chris.runner.run(command + ["--help"])
            #expect(help.status == 0 && help.stdout.contains("USAGE: casebook \(command.joined(separator: " "))"), "\(command)")
        }
    }
}
