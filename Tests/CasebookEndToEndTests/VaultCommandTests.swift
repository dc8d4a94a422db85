import Foundation
import Testing
import CasebookTestSupport

@Suite struct VaultCommandTests {
    @Test func initWhoamiAndPasswd() throws {
        let cli = try CLIFixture()
        let created = try cli.run("init", "--name", "Dr Ada Example", "--role", "psychologist", "--kdf", "interactive")
        #expect(created.status == 0)
        #expect(created.stdout.contains("Created vault in \(cli.vault.path)"))
        let whoami = try cli.run("whoami")
        #expect(whoami.status == 0)
        #expect(whoami.stdout.contains("name:      Dr Ada Example"))
        #expect(whoami.stdout.contains("role:      psychologist"))
        #expect(whoami.stdout.contains("age:       age1"))
        #expect(whoami.stdout.contains("minisign:  RW"))
        let json = try JSONSerialization.jsonObject(with: Data(try cli.run("whoami", "--json").stdout.utf8)) as? [String: String]
        #expect(json?["role"] == "psychologist")
        #expect(json?["age-recipient"]?.hasPrefix("age1") == true)

        try cli.expectFailure(7, ["init", "--name", "Other", "--role", "mentor"], message: "a vault already exists")
        try cli.expectFailure(5, ["whoami"], environment: ["CASEBOOK_PASSPHRASE": "definitely the wrong one"], message: "wrong passphrase")

        let changed = try cli.run("passwd", environment: ["CASEBOOK_NEW_PASSPHRASE": "a new and longer passphrase"])
        #expect(changed.status == 0, "\(changed.stderr)")
        try cli.expectFailure(5, ["whoami"], message: "wrong passphrase")
        #expect(try cli.run("whoami", environment: ["CASEBOOK_PASSPHRASE": "a new and longer passphrase"]).status == 0)
    }

    @Test func passphraseFileAndIdentityFile() throws {
        let cli = try CLIFixture()
        let passphraseFile = try cli.folder.write("pass.txt", "a passphrase from a file\n")
        let created = try cli.run("init", "--name", "Sam Supervisor", "--role", "supervisor", "--kdf", "interactive",
                                  "--passphrase-file", passphraseFile.path, environment: ["CASEBOOK_PASSPHRASE": nil])
        #expect(created.status == 0, "\(created.stderr)")
        let exported = cli.folder.file("identity.txt")
        let export = try cli.run("whoami", "--passphrase-file", passphraseFile.path, "--export-identity", exported.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("secret keys"))
        let mode = try FileManager.default.attributesOfItem(atPath: exported.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // A second vault restored from the identity has the same public keys.
        let restored = try CLIFixture()
        #expect(try restored.run("init", "--name", "Sam Supervisor", "--role", "supervisor", "--kdf", "interactive",
                                 "--identity", exported.path).status == 0)
        let first = try cli.run("whoami", "--json", "--passphrase-file", passphraseFile.path).stdout
        let second = try restored.run("whoami", "--json").stdout
        func keys(_ text: String) throws -> [String?] {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
            return [object?["age-recipient"], object?["minisign-public-key"]]
        }
        #expect(try keys(first) == keys(second))
        let garbage = try cli.folder.write("garbage.txt", "# casebook identity, format 1\nAGE-SECRET-KEY-1QQQQ\n")
        let other = try CLIFixture()
        try other.expectFailure(3, ["init", "--name", "X", "--role", "mentor", "--identity", garbage.path], message: "identity file")
        #expect(!FileManager.default.fileExists(atPath: other.vault.path))
        try other.expectFailure(4, ["init", "--name", "X", "--role", "mentor", "--identity", "/nonexistent/id.txt"], message: "cannot read")
    }

    @Test func usageErrorsAreOneLine() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        try cli.expectFailure(2, ["whoami", "--bogus"], message: "unknown option")
        try cli.expectFailure(2, ["init", "--name", "X", "--role", "astronaut"], message: "astronaut")
        try cli.expectFailure(2, ["note", "list", "--kind", "diary"], message: "diary")
        try cli.expectFailure(2, ["note", "list", "--since", "2026-02-30"], message: "not a valid date")
        try cli.expectFailure(3, ["note", "list", "--client", "John Smith"], message: "client reference")
        try cli.expectFailure(4, ["whoami", "--vault", cli.folder.file("missing").path], message: "no vault")
        try cli.expectFailure(9, ["whoami"], environment: ["CASEBOOK_PASSPHRASE": nil], message: "no terminal")
    }

    @Test func corruptedDatabaseIsAnIntegrityError() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let database = cli.vault.appendingPathComponent("vault.db")
        var bytes = try Data(contentsOf: database)
        bytes.replaceSubrange(0..<16, with: Data(repeating: 0x42, count: 16))
        try bytes.write(to: database)
        try cli.expectFailure(6, ["note", "list"], message: "damaged")
    }
}

@Suite struct HelpTests {
    @Test func helpIsCompleteForEveryCommand() throws {
        let cli = try CLIFixture()
        let root = try cli.run("--help")
        #expect(root.status == 0)
        #expect(root.stdout.contains("USAGE: casebook <subcommand>"))
        #expect(root.stdout.contains("Exit statuses"))
        for command in [["init"], ["whoami"], ["passwd"], ["note"], ["note", "template"], ["note", "new"], ["note", "list"],
                        ["note", "show"], ["note", "search"], ["note", "amend"], ["note", "history"], ["note", "import"],
                        ["age"], ["age", "encrypt"], ["age", "decrypt"], ["handover"], ["handover", "seal"], ["handover", "open"],
                        ["contacts"], ["consent"], ["consent", "grant"], ["consent", "deny"], ["consent", "list"],
                        ["consent", "show"], ["consent", "withdraw"], ["audit"], ["audit", "log"], ["audit", "verify"],
                        ["audit", "checkpoint"], ["client"], ["client", "erase"]] {
            let result = try cli.runner.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE: casebook \(command.joined(separator: " "))"), "\(command): \(result.stdout)")
            let viaHelp = try cli.runner.run(["help"] + command)
            #expect(viaHelp.stdout == result.stdout, "\(command)")
        }
    }
}

/// The example personas in Keys-example/ open as the keys personas.md publishes.
@Suite struct KeysExampleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [("psychologist", "Dr Amira Example"), ("mentor", "Ben Example"),
                      ("supervisor", "Dr Sam Example"), ("compliance", "Chris Example")])
    func personaIdentitiesMatchTheirPublishedKeys(_ role: String, _ name: String) throws {
        let folder = Self.repository.appendingPathComponent("Keys-example")
        let identity = folder.appendingPathComponent("\(role).identity")
        let personas = try String(contentsOf: folder.appendingPathComponent("personas.md"), encoding: .utf8)
        let row = try #require(personas.split(separator: "\n").first { $0.hasPrefix("| \(name) |") })
        let cli = try CLIFixture()
        let created = try cli.run("init", "--name", name, "--role", role, "--kdf", "interactive", "--identity", identity.path)
        #expect(created.status == 0, "\(created.stderr)")
        let whoami = try JSONSerialization.jsonObject(with: Data(try cli.run("whoami", "--json").stdout.utf8)) as? [String: String]
        let age = try #require(whoami?["age-recipient"])
        let minisign = try #require(whoami?["minisign-public-key"])
        #expect(row.contains("`\(age)`"))
        #expect(row.contains("`\(minisign)`"))
        #expect(try String(contentsOf: identity, encoding: .utf8).contains("EXAMPLE ONLY"))
    }
}

/// docs/vault-format.md is meant to be precise enough for a second implementation; its
/// §13 ships one (Python with libsodium through ctypes). It must open what Casebook writes.
@Suite struct VaultFormatSpecificationTests {
    @Test func theSpecificationsOwnReaderOpensAVault() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            print("skipped: python3 is not installed, so the specification's reader cannot run")
            return
        }
        let spec = try String(contentsOf: KeysExampleTests.repository.appendingPathComponent("docs/vault-format.md"), encoding: .utf8)
        let start = try #require(spec.range(of: "```python\n"))
        let end = try #require(spec.range(of: "```", range: start.upperBound..<spec.endIndex))
        let cli = try CLIFixture()
        let script = try cli.folder.write("open-vault.py", String(spec[start.upperBound..<end.lowerBound]))
        try cli.initVault(name: "Spec Reader")
        let first = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii(marker: "spec marker"))
        let id = try #require(cli.storedID(first))
        #expect(try cli.run("note", "amend", id, "--reason", "spec amendment", input: SampleDocuments.hii(marker: "spec marker two")).status == 0)
        let card = KeysExampleTests.repository.appendingPathComponent("Keys-example/supervisor.card").path
        #expect(try cli.run("contacts", "add", card, "--fingerprint", "FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2", "--name", "Sam (spec)").status == 0)
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, cli.vault.path, "correct horse battery staple"]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\"name\":\"Spec Reader\""))
        #expect(text.contains("\"action\":\"record.amended\""))
        #expect(text.contains("spec marker two"))
        #expect(text.contains("('rev.reason', 'spec amendment')"))
        #expect(text.contains("contact Sam (spec) "))
        #expect(text.contains("\"action\":\"contact.added\""))
    }
}
