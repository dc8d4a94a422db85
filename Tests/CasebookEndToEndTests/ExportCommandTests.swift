import Foundation
import Testing
import CasebookTestSupport

/// `casebook export` through the built binary, opened with the reference `age`, `tar` and
/// `minisign` (Debian packages; `scripts/install-deps.sh --test` installs them).
@Suite struct ExportCommandTests {
    private func tool(_ path: String, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        #expect(ReferenceTool.isAvailable(path), "\(path) is missing: run scripts/install-deps.sh --test")
        let result = try ReferenceTool.run(path, arguments, in: folder)
        return (result.status, result.output)
    }

    /// Ada with two HII notes and a theological record of C-0042, and an outside key pair.
    private func setUp() throws -> (ada: CLIFixture, key: String, recipient: String) {
        let ada = try CLIFixture()
        try ada.initVault()
        for (kind, document) in [("hii-session", SampleDocuments.hii(marker: "Zebra crossing")),
                                 ("hii-session", SampleDocuments.hii(start: "2026-11-10T10:00:00Z")),
                                 ("theological-advice", SampleDocuments.theological())] {
            let stored = try ada.run("note", "new", "--kind", kind, "--client", "C-0042", input: document)
            #expect(stored.status == 0, "\(stored.stderr)")
        }
        let key = ada.folder.file("probation.key").path
        let generated = try tool("/usr/bin/age-keygen", ["-o", key], in: ada.folder.url)
        #expect(generated.status == 0, "\(generated.output)")
        let recipient = try #require(try String(contentsOfFile: key, encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst("# public key: ".count))
        return (ada, key, String(recipient))
    }

    private func grant(_ ada: CLIFixture, fields: String = "focus,plan,risk-immediate-concern") throws -> String {
        let granted = try ada.run("consent", "grant", "--client", "C-0042", "--purpose", "risk-management", "--to", "org:probation-north",
                                  "--actions", "export", "--fields", fields, "--valid-from", "2026-01-01", "--valid-until", "2099-12-31",
                                  "--method", "written")
        #expect(granted.status == 0, "\(granted.stderr)")
        return try #require(granted.stdout.split(separator: " ").dropFirst(2).first.map(String.init))
    }

    @Test func consentThenExportOpensWithTheReferenceToolsAndWithdrawalRefusesTheNext() throws {
        let (ada, key, recipient) = try setUp()
        let file = ada.folder.file("c0042-probation.age").path
        let export = ["export", "--client", "C-0042", "--to", recipient, "--recipient-org", "probation-north",
                      "--purpose", "risk-management", "--reason", "MAPPA level 2 meeting", "--format", "markdown"]
        // No consent: refused with exit 8, nothing written, the refusal audited.
        let none = try ada.runner.run(export + ["-o", file])
        #expect(none.status == 8, "\(none.stderr)")
        #expect(none.stderr.hasPrefix("casebook: error: no consent covers this export: C-0042 to age1"))
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try ada.run("audit", "log").stdout.contains("export.refused"))

        let consent = try grant(ada)
        // Consent covers three sections, and not the theological record: partial, so refused...
        let partial = try ada.runner.run(export + ["-o", file])
        #expect(partial.status == 8)
        #expect(partial.stderr.contains("covers this export only in part"))
        #expect(!FileManager.default.fileExists(atPath: file))
        // ... until accepted.
        let sent = try ada.runner.run(export + ["--accept-partial", "-o", file])
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.hasPrefix("Exported 2 record(s) of C-0042 to \(file).\nexport "))
        #expect(sent.stdout.contains("basis: \(consent) v1 sha256:"))
        #expect(sent.stdout.contains("withheld: "))

        // The reference tools: age decrypts, tar unpacks, minisign verifies both documents.
        let folder = ada.folder.url.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let tar = folder.appendingPathComponent("export.tar").path
        #expect(try tool("/usr/bin/age", ["-d", "-i", key, "-o", tar, file], in: folder).status == 0)
        let listed = try tool("/usr/bin/tar", ["-t", "-f", tar], in: folder)
        #expect(listed.output == "export.json\nexport.json.minisig\nexport.md\nexport.md.minisig\naudit-event.json\naudit-proof.json\naudit-checkpoint\n")
        #expect(try tool("/usr/bin/tar", ["-x", "-f", tar], in: folder).status == 0)
        let whoami = try #require(try JSONSerialization.jsonObject(with: Data(try ada.run("whoami", "--json").stdout.utf8)) as? [String: Any])
        let publicKey = try #require(whoami["minisign-public-key"] as? String)
        for document in ["export.json", "export.md"] {
            let verified = try tool("/usr/bin/minisign", ["-V", "-m", document, "-P", publicKey], in: folder)
            #expect(verified.status == 0, "\(document): \(verified.output)")
        }
        let markdown = try String(contentsOf: folder.appendingPathComponent("export.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# Casebook export: records of C-0042\n"))
        #expect(markdown.contains("Identity and belonging after release; Zebra crossing."))
        #expect(!markdown.contains("Feels isolated"))
        // The embedded checkpoint is the one Ada's vault prints now.
        let checkpoint = try String(contentsOf: folder.appendingPathComponent("audit-checkpoint"), encoding: .utf8)
        #expect(checkpoint == (try ada.run("audit", "checkpoint").stdout))

        // Withdrawal takes effect at once, and the refusal names the withdrawn consent.
        #expect(try ada.run("consent", "withdraw", consent, "--reason", "client withdrew consent").status == 0)
        let second = ada.folder.file("second.age").path
        let withdrawn = try ada.runner.run(export + ["--accept-partial", "-o", second])
        #expect(withdrawn.status == 8)
        #expect(withdrawn.stderr.contains("consent \(consent) v2 was withdrawn at"))
        #expect(!FileManager.default.fileExists(atPath: second))
        let log = try ada.run("audit", "log").stdout.split(separator: "\n")
        #expect(log.filter { $0.contains("export.refused") }.count == 3)
        #expect(log.filter { $0.contains("export.sealed") }.count == 1)
        #expect(log.last?.contains("export.refused") == true)
    }

    @Test func plaintextAndPassphraseExports() throws {
        let (ada, _, recipient) = try setUp()
        _ = try grant(ada, fields: "focus,plan")
        let printed = try ada.run("export", "--client", "C-0042", "--kind", "hii-session", "--to", recipient, "--recipient-org", "probation-north",
                                  "--purpose", "risk-management", "--accept-partial", "--plaintext")
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.hasPrefix("{\"basis\":["))
        #expect(printed.stdout.contains("Zebra crossing"))
        #expect(printed.stderr.hasPrefix("Exported 2 record(s) of C-0042 to standard output (plaintext)."))
        #expect(try ada.run("audit", "log").stdout.contains("export.plaintext"))

        // A passphrase export for the client's own subject-access request.
        #expect(try ada.run("consent", "grant", "--client", "C-0042", "--purpose", "subject-access", "--to", "role:client",
                            "--actions", "export", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31",
                            "--method", "written").status == 0)
        let file = ada.folder.file("sar.age").path
        let sealed = try ada.run("export", "--client", "C-0042", "--passphrase", "--recipient-role", "client", "--purpose", "subject-access",
                                 "--format", "markdown", "--accept-partial", "-o", file,
                                 environment: ["CASEBOOK_EXPORT_PASSPHRASE": "a long passphrase for the client"])
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: file)).prefix(60), as: UTF8.self)
        #expect(header.hasPrefix("age-encryption.org/v1\n-> scrypt "))
        // Too short a passphrase is refused before anything happens.
        try ada.expectFailure(3, ["export", "--client", "C-0042", "--passphrase", "--recipient-role", "client", "--purpose", "subject-access",
                                  "-o", ada.folder.file("short.age").path],
                              environment: ["CASEBOOK_EXPORT_PASSPHRASE": "short"], message: "passphrase must be at least")
    }

    @Test func badFlagsAndInputsChangeNothing() throws {
        let (ada, _, recipient) = try setUp()
        let file = ada.folder.file("x.age").path
        let base = ["export", "--client", "C-0042", "--purpose", "risk-management"]
        try ada.expectFailure(2, base + ["-o", file], message: "name the recipient")
        try ada.expectFailure(2, base + ["--to", recipient, "--passphrase", "-o", file], message: "name the recipient")
        try ada.expectFailure(2, base + ["--to", recipient], message: "give -o FILE, or --plaintext")
        try ada.expectFailure(2, base + ["--to", recipient, "-o", file, "--plaintext"], message: "give -o FILE, or --plaintext")
        try ada.expectFailure(2, base + ["--to", recipient, "-o", file, "--format", "pdf"], message: "--format")
        try ada.expectFailure(2, base + ["--to", recipient, "-o", file, "--kind", "diary"], message: "--kind")
        try ada.expectFailure(2, ["export", "--client", "C-0042", "--purpose", "gossip", "--to", recipient, "-o", file], message: "--purpose")
        try ada.expectFailure(3, base + ["--to", "age1qqqq", "-o", file], message: "is not an age X25519 recipient")
        try ada.expectFailure(4, base + ["--to", "Nobody Known", "-o", file], message: "no contact named 'Nobody Known'")
        try ada.expectFailure(2, base + ["--to", recipient, "--since", "2026-13-01", "-o", file], message: "--since")
        try ada.expectFailure(3, base + ["--to", recipient, "--fields", "focus,nonsense", "-o", file], message: "'nonsense' is not a section")
        try ada.expectFailure(2, base + ["--to", recipient, "--fields", "focus,,plan", "-o", file], message: "has an empty entry")
        try ada.expectFailure(3, base + ["--to", recipient, "--recipient-org", "Probation\n# London", "-o", file], message: "is not a valid organisation")
        try ada.expectFailure(3, base + ["--to", recipient, "--recipient-role", "Offender Manager", "-o", file], message: "is not a valid role")
        try ada.expectFailure(3, base + ["--to", recipient, "--reason", "MAPPA \u{202E}gnimoc", "-o", file], message: "bidirectional formatting character U+202E")
        try ada.expectFailure(3, ["export", "--client", "Jane Smith", "--purpose", "court", "--to", recipient, "-o", file], message: "client reference")
        try ada.expectFailure(4, ["export", "--client", "C-0100", "--purpose", "court", "--to", recipient, "-o", file], message: "no records of C-0100")
        // --override files that are missing, too large, or not an override at all.
        let missing = ada.folder.file("no-such-approval.txt").path
        try ada.expectFailure(4, base + ["--to", recipient, "--override", missing, "-o", file], message: "cannot read \(missing)")
        let huge = ada.folder.file("huge.txt")
        try Data(repeating: 0x61, count: 70_000).write(to: huge)
        try ada.expectFailure(3, base + ["--to", recipient, "--override", huge.path, "-o", file], message: "not an override file")
        var generator = SystemRandomNumberGenerator()
        for (index, garbage) in [[UInt8](), Array("casebook-override/v1\n{}\n".utf8), (0..<600).map { _ in UInt8.random(in: 0...255, using: &generator) }].enumerated() {
            let path = ada.folder.file("garbage-\(index).txt")
            try Data(garbage).write(to: path)
            try ada.expectFailure(3, base + ["--to", recipient, "--override", path.path, "-o", file], message: "override")
        }
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(FileManager.default.createFile(atPath: file, contents: Data("keep me".utf8)))
        try ada.expectFailure(7, base + ["--to", recipient, "-o", file], message: "already exists")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
    }
}
