import Foundation
import Testing
import CasebookTestSupport

/// `consent grant/deny/list/show/withdraw` through the built binary.
@Suite struct ConsentCommandTests {
    private let window = ["--valid-from", "2026-01-01", "--valid-until", "2026-12-31"]

    /// Adds a colleague's card as a contact; returns its fingerprint.
    private func addContact(_ name: String, to cli: CLIFixture) throws -> String {
        let other = try CLIFixture()
        try other.initVault(name: name, role: "supervisor")
        let card = cli.folder.file("\(name).card")
        let written = try other.run("whoami", "--card", "-o", card.path)
        let line = try #require(written.stdout.split(separator: "\n").first { $0.hasPrefix("fingerprint: ") })
        let fingerprint = String(line.split(separator: " ")[1])
        let added = try cli.run("contacts", "add", card.path, "--fingerprint", fingerprint)
        #expect(added.status == 0, "\(added.stderr)")
        return fingerprint
    }

    private func recordedID(_ result: CasebookRunner.Result) throws -> String {
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Recorded consent ") })
        return String(line.split(separator: " ")[2])
    }

    private func json(_ result: CasebookRunner.Result) throws -> Any {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    @Test func grantListShowAndWithdraw() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let fingerprint = try addContact("Dr Sam Example", to: cli)
        #expect(try cli.run("consent", "list").stdout.contains("No consents"))
        #expect((try json(cli.run("consent", "list", "--json")) as? [Any])?.isEmpty == true)

        let evidence = cli.folder.file("form.txt")
        try Data("signed form".utf8).write(to: evidence)
        let granted = try cli.runner.run(["consent", "grant", "--client", "C-0042", "--purpose", "supervision", "--purpose", "court",
                                   "--to", "dr sam example", "--to", "org:probation-london", "--kinds", "hii-session",
                                   "--fields", "focus,plan", "--actions", "handover", "--data-from", "2026-01-01",
                                   "--data-until", "2026-06-30", "--method", "written", "--evidence", evidence.path] + window)
        let id = try recordedID(granted)
        let denied = try recordedID(cli.runner.run(["consent", "deny", "--client", "C-0007", "--purpose", "research",
                                             "--method", "verbal"] + window))

        let list = try cli.run("consent", "list")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\(denied)  v1  C-0007  deny  verbal"))
        #expect(lines[1].hasPrefix("\(id)  v1  C-0042  permit  written"))
        #expect(try cli.run("consent", "list", "--client", "C-0042").stdout.split(separator: "\n").count == 1)

        let shown = try json(cli.run("consent", "show", id.lowercased(), "--json")) as? [String: Any]
        #expect(shown?["id"] as? String == id)
        #expect(shown?["version"] as? Int == 1)
        #expect(shown?["recorded-by"] as? String == "Dr Ada Example")
        #expect(shown?["evidence-sha256"] as? String == "f3b0ce0ee413fb85f863a00982fb4b697be0732a3cd9eacf1feb52d15499e4e7")  // sha256sum of "signed form"
        let provision = (shown?["provisions"] as? [[String: Any]])?.first
        #expect(provision?["effect"] as? String == "permit")
        #expect(provision?["purposes"] as? [String] == ["court", "supervision"])
        #expect(provision?["fields"] as? [String] == ["focus", "plan"])
        #expect(provision?["actions"] as? [String] == ["handover"])
        let recipients = provision?["recipients"] as? [[String: String]]
        #expect(recipients?.contains { $0["type"] == "contact" && $0["value"] == fingerprint && $0["name"] == "Dr Sam Example" } == true)
        #expect(recipients?.contains { $0["type"] == "org" && $0["value"] == "probation-london" } == true)
        // --valid-until and --data-until include the day given: the next day's start, local time.
        #expect((shown?["valid-until"] as? String).map { $0 >= "2026-12-31T" && $0 <= "2027-01-01T23" } == true)
        #expect((provision?["data-until"] as? String).map { $0 >= "2026-06-30T" && $0 <= "2026-07-01T23" } == true)
        // The evidence is hashed, never stored.
        #expect(FolderSnapshot.files(in: cli.vault).values.allSatisfy { $0.range(of: Data("signed form".utf8)) == nil })

        let text = try cli.run("consent", "show", id)
        #expect(text.stdout.contains("consent:     \(id) (version 1)"))
        #expect(text.stdout.contains("recipients: Dr Sam Example (\(fingerprint)), org:probation-london"))

        let withdrawn = try cli.run("consent", "withdraw", id, "--reason", "client withdrew by letter")
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        #expect(withdrawn.stdout.contains("version 2 records the withdrawal"))
        let after = try json(cli.run("consent", "show", id, "--json")) as? [String: Any]
        #expect(after?["version"] as? Int == 2)
        #expect((after?["withdrawal"] as? [String: String])?["reason"] == "client withdrew by letter")
        #expect((after?["status"] as? String)?.hasPrefix("withdrawn") == true)
        #expect(try cli.run("consent", "list").stdout.contains("\(id)  v2  C-0042"))
        try cli.expectFailure(8, ["consent", "withdraw", id, "--reason", "again"], message: "already withdrawn")

        let log = try cli.run("audit", "log", "--json")
        #expect(log.stdout.contains("consent.granted") && log.stdout.contains("consent.withdrawn"), "\(log.stdout)")
        #expect(!log.stdout.contains("probation-london"))
    }

    @Test func badInputIsOneErrorLineAndChangesNothing() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let base = ["consent", "grant", "--client", "C-0042", "--purpose", "supervision", "--to", "org:probation-london",
                    "--method", "written"]
        try cli.expectFailure(4, ["consent", "grant", "--client", "C-0042", "--purpose", "supervision", "--to", "Nobody",
                                  "--method", "written"] + window, message: "no contact named 'Nobody'")
        try cli.expectFailure(2, base + ["--valid-from", "2026-13-01", "--valid-until", "2026-12-31"], message: "--valid-from '2026-13-01' is not a valid date")
        try cli.expectFailure(2, base + ["--valid-from", "2026-01-01", "--valid-until", "31/12/2026"], message: "--valid-until")
        try cli.expectFailure(2, base + ["--valid-from", "2026-01-01"], message: "--valid-until")
        try cli.expectFailure(2, base + window + ["--data-from", "yesterday"], message: "--data-from")
        try cli.expectFailure(2, base + window + ["--fields", "focus,,plan"], message: "empty entry")
        try cli.expectFailure(2, ["consent", "grant", "--client", "C-0042", "--to", "org:x", "--method", "written"] + window,
                              message: "--purpose")
        try cli.expectFailure(3, base + window + ["--kinds", "hii-session", "--fields", "no-such-field"],
                              message: "'no-such-field' is not a section of hii-session")
        try cli.expectFailure(3, base + window + ["--purpose", "marketing"], message: "unknown purpose 'marketing'")
        try cli.expectFailure(3, base + window + ["--actions", "email"], message: "unknown disclosure action 'email'")
        try cli.expectFailure(3, base + window + ["--kinds", "diary"], message: "diary")
        try cli.expectFailure(3, ["consent", "grant", "--client", "C-0042", "--purpose", "court", "--to", "org:Probation London",
                                  "--method", "written"] + window, message: "Probation London")
        try cli.expectFailure(3, ["consent", "grant", "--client", "C-0042", "--purpose", "court", "--method", "written"] + window,
                              message: "the consent provision 1")
        try cli.expectFailure(3, ["consent", "grant", "--client", "C-0042", "--purpose", "court", "--to", "org:x",
                                  "--method", "signed"] + window, message: "unknown consent method 'signed'")
        try cli.expectFailure(3, ["consent", "grant", "--client", "C-0042", "--purpose", "court", "--to", "org:x", "--method", "written",
                                  "--valid-from", "2026-12-31", "--valid-until", "2026-01-01"], message: "the consent")
        try cli.expectFailure(4, base + window + ["--evidence", cli.folder.file("missing.pdf").path], message: "cannot read the evidence file")
        try cli.expectFailure(4, base + window + ["--evidence", cli.folder.url.path], message: "cannot read the evidence file")
        let empty = cli.folder.file("empty.pdf")
        try Data().write(to: empty)
        try cli.expectFailure(3, base + window + ["--evidence", empty.path], message: "is empty")
        try cli.expectFailure(3, ["consent", "show", "not-an-id!"], message: "is not a consent id")
        try cli.expectFailure(4, ["consent", "show", "0000000000"], message: "no consent 0000000000")
        try cli.expectFailure(4, ["consent", "withdraw", "0000000000", "--reason", "x"], message: "no consent 0000000000")
        try cli.expectFailure(2, ["consent", "withdraw", "0000000000"], message: "--reason")
        try cli.expectFailure(3, ["consent", "list", "--client", "not a ref"], message: "not a valid client reference")
        let id = try recordedID(cli.runner.run(base + window))
        try cli.expectFailure(3, ["consent", "withdraw", id, "--reason", ""], message: "the withdrawal reason must be one line")
        #expect(try cli.run("consent", "list").stdout.split(separator: "\n").count == 1)
    }
}
