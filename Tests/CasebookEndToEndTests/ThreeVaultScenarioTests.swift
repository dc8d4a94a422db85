import Foundation
import Testing
import CasebookTestSupport

/// The whole of issue 4 through the built binary, with the example personas in three vaults:
/// Dr Amira Example (psychologist) discloses under consent and under an override her
/// supervisor Dr Sam Example approves; Chris Example (data-protection officer) verifies her
/// audit bundle against the checkpoint Sam kept from a handover, and reports on it.
@Suite struct ThreeVaultScenarioTests {
    private func ok(_ cli: CLIFixture, _ arguments: String..., input: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws -> CasebookRunner.Result {
        let result = try cli.runner.run(arguments, input: input)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    @Test func consentExportWithdrawalOverrideAndComplianceReport() throws {
        let amira = try ExamplePersona.vault("psychologist", contacts: ["supervisor", "compliance"])
        let sam = try ExamplePersona.vault("supervisor", contacts: ["psychologist"])
        let chris = try ExamplePersona.vault("compliance", contacts: ["psychologist"])
        _ = try ok(amira, "note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii(marker: "Zebra crossing"))
        _ = try ok(amira, "note", "new", "--kind", "theological-advice", "--client", "C-0042", input: SampleDocuments.theological())
        let probation = try ReferenceTool.run("/usr/bin/age-keygen", [], in: amira.folder.url)
        let probationKey = try #require(probation.output.split(separator: "\n").first { $0.hasPrefix("# public key: ") })
            .dropFirst("# public key: ".count)
        let police = try ReferenceTool.run("/usr/bin/age-keygen", [], in: amira.folder.url)
        let policeKey = String(try #require(police.output.split(separator: "\n").first { $0.hasPrefix("# public key: ") })
            .dropFirst("# public key: ".count))

        // 1. A handover to Sam under consent; Sam keeps the checkpoint inside it.
        _ = try ok(amira, "consent", "grant", "--client", "C-0042", "--purpose", "supervision", "--to", "Dr Sam Example",
                   "--actions", "handover", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--method", "written")
        let handover = amira.folder.file("h.age").path
        _ = try ok(amira, "handover", "seal", "--to", "Dr Sam Example", "--client", "C-0042", "--purpose", "supervision",
                   "--kind", "hii-session", "-o", handover)
        let trusted = chris.folder.file("trusted")
        try FileManager.default.createDirectory(at: trusted, withIntermediateDirectories: false)
        _ = try ok(sam, "handover", "open", handover, "--import", "--save-checkpoint", trusted.appendingPathComponent("from-sam.checkpoint").path)

        // 2. Consent then export (partial: only three sections, not the theological record).
        let granted = try ok(amira, "consent", "grant", "--client", "C-0042", "--purpose", "risk-management", "--to", "org:probation-north",
                             "--actions", "export", "--fields", "focus,plan,risk-immediate-concern",
                             "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--method", "written")
        let consent = String(granted.stdout.split(separator: " ")[2])
        let export = ["export", "--client", "C-0042", "--to", String(probationKey), "--recipient-org", "probation-north",
                      "--purpose", "risk-management"]
        let refusedPartial = try amira.runner.run(export + ["-o", amira.folder.file("p0.age").path])
        #expect(refusedPartial.status == 8)
        let partial = try amira.runner.run(export + ["--accept-partial", "-o", amira.folder.file("p1.age").path])
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stdout.hasPrefix("Exported 1 record(s) of C-0042"))

        // 3. Withdrawal, then the same export is refused and names the withdrawn consent.
        _ = try ok(amira, "consent", "withdraw", consent, "--reason", "client withdrew consent")
        let withdrawn = try amira.runner.run(export + ["--accept-partial", "-o", amira.folder.file("p2.age").path])
        #expect(withdrawn.status == 8)
        #expect(withdrawn.stderr.contains("consent \(consent) v2 was withdrawn"))
        #expect(!FileManager.default.fileExists(atPath: amira.folder.file("p2.age").path))

        // 4. An override: Amira requests, cannot approve it herself; Sam approves; Amira exports.
        let request = amira.folder.file("override.txt").path
        let expires = ISO8601DateFormatter.string(from: Date().addingTimeInterval(5 * 86_400), timeZone: TimeZone(identifier: "UTC")!,
                                                  formatOptions: [.withFullDate])
        _ = try ok(amira, "override", "request", "--client", "C-0042", "--to", policeKey, "--purpose", "risk-management",
                   "--fields", "risk-immediate-concern,plan", "--citation", "Crime and Disorder Act 1998 s.115",
                   "--justification", "A named person is at risk of serious harm.", "--consent-sought", "unsafe",
                   "--reason", "Asking would alert the client.", "--client-informed", "deferred", "--expires", expires, "-o", request)
        #expect(try amira.run("override", "approve", request, "-o", amira.folder.file("self.txt").path).status == 8)
        let approval = sam.folder.file("approval.txt").path
        _ = try ok(sam, "override", "approve", request, "-o", approval)
        let disclosed = try ok(amira, "export", "--client", "C-0042", "--kind", "hii-session", "--to", policeKey,
                               "--purpose", "risk-management", "--fields", "risk-immediate-concern,plan", "--override", approval,
                               "-o", amira.folder.file("police.age").path)
        #expect(disclosed.stdout.contains("basis: override "))
        #expect(disclosed.stdout.contains("approved by \(ExamplePersona.fingerprints["supervisor"]!)"))
        // The approval does not stretch to another recipient.
        #expect(try amira.run("export", "--client", "C-0042", "--kind", "hii-session", "--to", String(probationKey),
                              "--purpose", "risk-management", "--fields", "plan", "--override", approval,
                              "-o", amira.folder.file("other.age").path).status == 8)

        // 5. The audit bundle goes to Chris, who verifies it against Sam's checkpoint and reports.
        let bundle = amira.folder.file("audit.bundle").path
        _ = try ok(amira, "audit", "export", "--to", "Chris Example", "-o", bundle)
        let verified = try ok(chris, "audit", "verify", "--bundle", bundle, "--trusted", trusted.path)
        #expect(verified.stdout.contains("trusted:     consistent with 1 checkpoint(s)"))
        let reportPath = chris.folder.file("report.json").path
        _ = try ok(chris, "audit", "report", "--bundle", bundle, "--trusted", trusted.path, "--format", "json", "-o", reportPath)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reportPath))) as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        let actions = rows.compactMap { $0["action"] as? String }
        #expect(actions == ["handover.sealed", "export.refused", "export.sealed", "export.refused", "export.sealed", "export.refused"])
        let overridden = try #require(rows.first { ($0["basis"] as? [String])?.first?.hasPrefix("override ") == true })
        #expect(overridden["action"] as? String == "export.sealed")
        let text = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(!text.contains("Zebra crossing"))
        let html = chris.folder.file("report.html").path
        _ = try ok(chris, "audit", "report", "--bundle", bundle, "--format", "html", "-o", html)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg"))
        // One self-contained file: nothing is fetched (the SVG namespace URI is only a name).
        for fetch in ["src=", "href=", "<link", "url(", "@import"] { #expect(!page.contains(fetch), "\(fetch)") }
    }
}
