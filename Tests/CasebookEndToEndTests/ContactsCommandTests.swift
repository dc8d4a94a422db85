import Foundation
import Testing
import CasebookTestSupport

/// `whoami --card` and `contacts add/list/show/remove` through the built binary.
@Suite struct ContactsCommandTests {
    /// A colleague's vault: returns its card file and the fingerprint `whoami --card -o` printed.
    private func colleague(_ name: String, role: String = "supervisor", in cli: CLIFixture, file: String) throws -> (URL, String) {
        let other = try CLIFixture()
        try other.initVault(name: name, role: role)
        let card = cli.folder.file(file)
        let written = try other.run("whoami", "--card", "-o", card.path)
        #expect(written.status == 0, "\(written.stderr)")
        let line = try #require(written.stdout.split(separator: "\n").first { $0.hasPrefix("fingerprint: ") })
        return (card, String(line.split(separator: " ")[1]))
    }

    @Test func whoamiCardPrintsOrWritesASignedCard() throws {
        let cli = try CLIFixture()
        try cli.initVault(name: "Dr Ada Example", role: "psychologist")
        let printed = try cli.run("whoami", "--card")
        #expect(printed.status == 0, "\(printed.stderr)")
        let lines = printed.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 8 && lines[7].isEmpty)
        #expect(lines.first == "casebook-card v1")
        #expect(lines[1] == "name: Dr Ada Example")
        #expect(lines[2] == "role: psychologist")
        #expect(lines[5].hasPrefix("created: 20") && lines[5].hasSuffix("Z"))
        #expect(printed.stderr.hasPrefix("fingerprint: "))
        let whoami = try JSONSerialization.jsonObject(with: Data(try cli.run("whoami", "--json").stdout.utf8)) as? [String: String]
        #expect(lines[3] == "age: \(whoami?["age-recipient"] ?? "?")")
        #expect(lines[4] == "minisign: \(whoami?["minisign-public-key"] ?? "?")")

        let file = cli.folder.file("me.card")
        let written = try cli.run("whoami", "--card", "-o", file.path)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("fingerprint: "))
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("casebook-card v1\nname: Dr Ada Example\n"))
        let before = try Data(contentsOf: file)
        try cli.expectFailure(7, ["whoami", "--card", "-o", file.path], message: "already exists")
        #expect(try Data(contentsOf: file) == before)
        try cli.expectFailure(2, ["whoami", "-o", file.path], message: "needs --card")
        try cli.expectFailure(2, ["whoami", "--card", "--json"], message: "cannot be combined")
        // Reading the card writes nothing to the vault.
        let snapshot = cli.snapshot()
        #expect(try cli.run("whoami", "--card").status == 0)
        #expect(cli.snapshot() == snapshot)
    }

    @Test func addWithFingerprintListShowAndRemove() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let (card, fingerprint) = try colleague("Dr Sam Example", in: cli, file: "sam.card")
        #expect(try cli.run("contacts", "list").stdout.contains("No contacts yet"))
        let empty = try JSONSerialization.jsonObject(with: Data(try cli.run("contacts", "list", "--json").stdout.utf8)) as? [Any]
        #expect(empty?.isEmpty == true)

        // Lower case is accepted as typed.
        let added = try cli.run("contacts", "add", card.path, "--fingerprint", fingerprint.lowercased())
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("name:        Dr Sam Example"))
        #expect(added.stdout.contains("role:        supervisor"))
        #expect(added.stdout.contains("fingerprint: \(fingerprint)"))
        #expect(added.stdout.contains("Added Dr Sam Example as a contact."))

        let list = try cli.run("contacts", "list")
        #expect(list.stdout.hasPrefix("Dr Sam Example  supervisor  \(fingerprint)  added 20"))
        let json = try JSONSerialization.jsonObject(with: Data(try cli.run("contacts", "list", "--json").stdout.utf8)) as? [[String: String]]
        #expect(json?.map { $0["name"] } == ["Dr Sam Example"])
        #expect(json?.first?["fingerprint"] == fingerprint)

        let shown = try cli.run("contacts", "show", "dr sam EXAMPLE")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("fingerprint:  \(fingerprint)"))
        #expect(shown.stdout.contains("age:          age1"))
        #expect(shown.stdout.contains("minisign:     RW"))
        let detail = try JSONSerialization.jsonObject(with: Data(try cli.run("contacts", "show", "Dr Sam Example", "--json").stdout.utf8)) as? [String: String]
        #expect(detail?["card"] == (try String(contentsOf: card, encoding: .utf8)))
        #expect(detail?["role"] == "supervisor")

        // Once only, and one card per name.
        try cli.expectFailure(7, ["contacts", "add", card.path, "--fingerprint", fingerprint], message: "already a contact as 'Dr Sam Example'")
        let (impostor, impostorPrint) = try colleague("Dr Sam Example", in: cli, file: "impostor.card")
        try cli.expectFailure(7, ["contacts", "add", impostor.path, "--fingerprint", impostorPrint], message: "a different card is already a contact named")
        let second = try cli.run("contacts", "add", impostor.path, "--fingerprint", impostorPrint, "--name", "Sam at the other clinic")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try cli.run("contacts", "list").stdout.split(separator: "\n").count == 2)

        try cli.expectFailure(4, ["contacts", "show", "Nobody"], message: "no contact named 'Nobody'")
        try cli.expectFailure(4, ["contacts", "remove", "Nobody"], message: "no contact named 'Nobody'")
        let removed = try cli.run("contacts", "remove", "sam at the other clinic")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("Removed Sam at the other clinic (fingerprint \(impostorPrint))"))
        #expect(removed.stdout.contains("stay sent"))
        #expect(try cli.run("contacts", "list").stdout.split(separator: "\n").count == 1)
        try cli.expectFailure(4, ["contacts", "show", "Sam at the other clinic"], message: "no contact named")
    }

    @Test func aCardIsNeverAddedUnconfirmed() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let (card, fingerprint) = try colleague("Dr Sam Example", in: cli, file: "sam.card")
        let (_, otherPrint) = try colleague("Ben Example", role: "mentor", in: cli, file: "ben.card")
        // Standard input is not a terminal here (the runner feeds a pipe).
        let refused = try cli.expectFailure(9, ["contacts", "add", card.path], message: "no terminal to confirm")
        #expect(!refused.stderr.contains(fingerprint), "the refusal must not offer the fingerprint to copy")
        try cli.expectFailure(3, ["contacts", "add", card.path, "--fingerprint", otherPrint], message: "does not match the fingerprint given")
        var typo = Array(fingerprint)
        typo[0] = typo[0] == "0" ? "1" : "0"
        try cli.expectFailure(3, ["contacts", "add", card.path, "--fingerprint", String(typo)], message: "does not match")
        try cli.expectFailure(3, ["contacts", "add", card.path, "--fingerprint", "O" + fingerprint.dropFirst()], message: "did you mean the digit 0?")
        try cli.expectFailure(3, ["contacts", "add", card.path, "--fingerprint", fingerprint.replacingOccurrences(of: "-", with: "")], message: "--fingerprint")
        try cli.expectFailure(3, ["contacts", "add", card.path, "--fingerprint", fingerprint, "--name", "Sam\u{202E}"], message: "bidirectional")
        try cli.expectFailure(5, ["contacts", "add", card.path, "--fingerprint", fingerprint], environment: ["CASEBOOK_PASSPHRASE": "definitely the wrong one"],
                              message: "wrong passphrase")
        #expect(try cli.run("contacts", "list").stdout.contains("No contacts yet"))
    }

    /// The question on a real terminal (a pseudo-terminal made by util-linux `script`).
    @Test func theTerminalQuestionAddsOnlyOnYes() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            print("skipped: /usr/bin/script is not installed, so no pseudo-terminal can be made")
            return
        }
        let cli = try CLIFixture()
        try cli.initVault()
        let (card, _) = try colleague("Dr Sam Example", in: cli, file: "sam.card")
        func onTerminal(_ answer: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "\(cli.runner.executable.path) contacts add \(card.path)", "/dev/null"]
            process.environment = cli.runner.environment
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data((answer + "\n").utf8))
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
            return (process.terminationStatus, text)
        }
        let before = cli.snapshot()
        let (declined, declinedText) = try onTerminal("n")
        #expect(declined == 8, "\(declinedText)")
        #expect(declinedText.contains("Add Dr Sam Example as a contact? Compare the fingerprint with the one Dr Sam Example reads to you from `casebook whoami --card`. [y/N]"))
        #expect(declinedText.contains("casebook: error: Dr Sam Example was not added"))
        #expect(cli.snapshot() == before)
        let (accepted, acceptedText) = try onTerminal("y")
        #expect(accepted == 0, "\(acceptedText)")
        #expect(acceptedText.contains("Added Dr Sam Example as a contact."))
        #expect(try cli.run("contacts", "show", "Dr Sam Example").status == 0)
    }

    @Test func badCardFilesAreOneErrorAndChangeNothing() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let (card, fingerprint) = try colleague("Dr Sam Example", in: cli, file: "sam.card")
        let good = try String(contentsOf: card, encoding: .utf8)
        var lines = good.split(separator: "\n").map(String.init)
        func variant(_ name: String, _ text: String) throws -> String { try cli.folder.write(name, text).path }
        func replacing(_ index: Int, _ line: String) -> String {
            var copy = lines
            copy[index] = line
            return copy.joined(separator: "\n") + "\n"
        }
        let add = { (path: String) in ["contacts", "add", path, "--fingerprint", fingerprint] }

        // Your own card is not a contact.
        let own = cli.folder.file("own.card").path
        let wrote = try cli.run("whoami", "--card", "-o", own)
        let ownFingerprint = try #require(wrote.stdout.split(separator: "\n").last?.split(separator: " ").dropFirst().first)
        try cli.expectFailure(3, ["contacts", "add", own, "--fingerprint", String(ownFingerprint)], message: "carries your own keys")

        try cli.expectFailure(3, add(try variant("truncated", String(good.prefix(good.count / 2)))), message: "truncated")
        try cli.expectFailure(3, add(try variant("no-signature", lines.prefix(6).joined(separator: "\n") + "\n")),
                              message: "line 7 of the card file")
        try cli.expectFailure(3, add(try variant("empty", "")), message: "the card is empty")
        try cli.expectFailure(3, add(try variant("v2", replacing(0, "casebook-card v2"))), message: "line 1 of the card file")
        try cli.expectFailure(3, add(try variant("not-a-card", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n")), message: "not a Casebook identity card")
        // A changed name: the signature no longer covers what is shown.
        try cli.expectFailure(3, add(try variant("renamed", replacing(1, "name: Dr Sam Exampel"))), message: "line 7 of the card file")
        try cli.expectFailure(3, add(try variant("renamed2", replacing(1, "name: Dr Sam Exampel"))), message: "signature does not verify")
        // Malformed keys.
        let age = lines[3]
        try cli.expectFailure(3, add(try variant("bad-age", replacing(3, String(age.dropLast()) + (age.last == "q" ? "p" : "q")))),
                              message: "line 4 of the card file")
        try cli.expectFailure(3, add(try variant("upper-age", replacing(3, "age: " + age.dropFirst(5).uppercased()))), message: "line 4")
        try cli.expectFailure(3, add(try variant("short-minisign", replacing(4, String(lines[4].dropLast(4))))), message: "line 5 of the card file")
        try cli.expectFailure(3, add(try variant("bad-signature-base64", replacing(6, "signature: AAAA"))), message: "line 7")
        try cli.expectFailure(3, add(try variant("crlf", good.replacingOccurrences(of: "\n", with: "\r\n"))), message: "carriage return")
        try cli.expectFailure(3, add(try variant("extra", good + "note: hello\n")), message: "line 8")
        lines.swapAt(2, 3)
        try cli.expectFailure(3, add(try variant("reordered", lines.joined(separator: "\n") + "\n")), message: "line 3")
        // Random bytes, and a file too large to be a card.
        var generator = SystemRandomNumberGenerator()
        let random = Data((0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try random.write(to: cli.folder.file("random"))
        try cli.expectFailure(3, add(cli.folder.file("random").path), message: "the card file")
        try Data(repeating: 0x41, count: 100_000).write(to: cli.folder.file("huge"))
        try cli.expectFailure(3, add(cli.folder.file("huge").path), message: "larger than 64 KiB")
        try cli.expectFailure(4, add(cli.folder.file("missing.card").path), message: "cannot read the card file")
        try cli.expectFailure(4, add(cli.folder.path), message: "cannot read the card file \(cli.folder.path): it is a folder")

        // Every single-bit flip of the card is refused.
        let bytes = Array(good.utf8)
        for index in stride(from: 0, to: bytes.count, by: 5) {
            var flipped = bytes
            flipped[index] ^= UInt8(1 << (index % 8))
            try Data(flipped).write(to: cli.folder.file("flipped"))
            try cli.expectFailure(3, add(cli.folder.file("flipped").path), message: "the card file")
        }
        #expect(try cli.run("contacts", "list").stdout.contains("No contacts yet"))
    }

    @Test func theShippedPersonaCardsCanBeAdded() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let folder = KeysExampleTests.repository.appendingPathComponent("Keys-example")
        let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        for persona in ["psychologist", "mentor", "supervisor", "compliance"] {
            let row = try #require(readme.split(separator: "\n").first { $0.contains("`\(persona).card`") })
            let fingerprint = try #require(row.split(separator: "`").dropFirst(3).first)
            let added = try cli.run("contacts", "add", folder.appendingPathComponent("\(persona).card").path, "--fingerprint", String(fingerprint))
            #expect(added.status == 0, "\(persona): \(added.stderr)")
        }
        #expect(try cli.run("contacts", "list").stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
                == ["Ben Example", "Chris Example", "Dr Amira", "Dr Sam"])
    }

    @Test func helpCoversTheContactsCommands() throws {
        let cli = try CLIFixture()
        for command in [["contacts"], ["contacts", "add"], ["contacts", "list"], ["contacts", "show"], ["contacts", "remove"]] {
            let result = try cli.runner.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE: casebook \(command.joined(separator: " "))"), "\(command): \(result.stdout)")
        }
        #expect(try cli.runner.run(["whoami", "--help"]).stdout.contains("--card"))
    }
}
