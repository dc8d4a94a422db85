import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport
import Foundation
import Testing

/// `casebook age encrypt/decrypt` and `whoami --export-age-identity` against the
/// reference `age` and `age-keygen` (Debian package `age`). These tests FAIL when the
/// reference tools are missing: CI installs them (scripts/install-deps.sh --test).
enum AgeTools {
    static let age = "/usr/bin/age"
    static let keygen = "/usr/bin/age-keygen"

    struct Missing: Error, CustomStringConvertible {
        let description = "the reference age is not installed (\(AgeTools.age), \(AgeTools.keygen)); run 'bash scripts/install-deps.sh --test' (Debian package 'age')"
    }

    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard FileManager.default.isExecutableFile(atPath: age), FileManager.default.isExecutableFile(atPath: keygen) else {
            Issue.record(Comment(rawValue: Missing().description), sourceLocation: sourceLocation)
            throw Missing()
        }
    }

    struct Output {
        let status: Int32
        let stdout: [UInt8]
        let stderr: String
    }

    /// Runs a program with `input` on standard input; standard input and standard error
    /// go through files, so only the output pipe is read.
    static func run(_ path: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil) throws -> Output {
        let folder = try TemporaryDirectory(prefix: "casebook-age-run")
        let inputURL = folder.file("stdin"), errorURL = folder.file("stderr")
        try Data(input).write(to: inputURL)
        try Data().write(to: errorURL)
        let stdin = try FileHandle(forReadingFrom: inputURL)
        let stderr = try FileHandle(forWritingTo: errorURL)
        defer {
            try? stdin.close()
            try? stderr.close()
        }
        let stdout = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: [UInt8](output),
                      stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// Runs a reference tool that must succeed; returns its standard output.
    @discardableResult
    static func succeed(_ path: String, _ arguments: [String], input: [UInt8] = [],
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let result = try run(path, arguments, input: input)
        #expect(result.status == 0, "\(path) \(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// A new age-keygen identity file in `folder`; returns its path and recipient.
    static func keygen(in folder: TemporaryDirectory, name: String = "key.txt") throws -> (path: String, recipient: String) {
        let path = folder.file(name).path
        try succeed(keygen, ["-o", path])
        let recipient = String(decoding: try succeed(keygen, ["-y", path]), as: UTF8.self)
        return (path, recipient.trimmingCharacters(in: .newlines))
    }
}

extension CLIFixture {
    /// Runs the built casebook with binary standard input and output.
    func runBinary(_ arguments: [String], input: [UInt8] = [], environment overrides: [String: String?] = [:]) throws -> AgeTools.Output {
        var environment = runner.environment
        for (key, value) in overrides { environment[key] = value }
        return try AgeTools.run(runner.executable.path, arguments, input: input, environment: environment)
    }

    func ageRecipient() throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(try run("whoami", "--json").stdout.utf8)) as? [String: String]
        return try #require(json?["age-recipient"])
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = folder.file(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    func names() throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) }

    func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }
}

/// Deterministic bytes that are not all alike.
func agePattern(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}

@Suite(.serialized) struct AgeCommandTests {
    static let sizes = [0, 1, 65536, 200_000]

    /// (a) What the reference age encrypts to the vault's recipient opens with the vault's identity.
    @Test(arguments: sizes) func referenceAgeToVaultIdentity(size: Int) throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let recipient = try cli.ageRecipient()
        let plaintext = agePattern(size, seed: 21)
        let input = try cli.write("plain", plaintext)
        for armor in [false, true] {
            let encrypted = cli.folder.file("file-\(armor).age").path
            try AgeTools.succeed(AgeTools.age, (armor ? ["-a"] : []) + ["-r", recipient, "-o", encrypted, input])
            let output = cli.folder.file("out-\(armor)").path
            let result = try cli.run("age", "decrypt", "-o", output, encrypted)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "" && result.stderr == "")
            #expect(try cli.read(output) == plaintext, "armor: \(armor)")
            #expect(try cli.mode(output) == 0o600)
            // Standard input to standard output.
            let piped = try cli.runBinary(["age", "decrypt"], input: try cli.read(encrypted))
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stdout == plaintext && piped.stderr == "")
        }
        // No temporary files are left beside the outputs.
        #expect(try cli.names() == ["vault", "plain", "file-false.age", "file-true.age", "out-false", "out-true"])
    }

    /// (b) What casebook encrypts to an age-keygen key opens with `age -d -i`, binary and armored;
    /// and casebook reads age-keygen's identity file.
    @Test(arguments: sizes) func casebookToAgeKeygenKey(size: Int) throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        let key = try AgeTools.keygen(in: cli.folder)
        let plaintext = agePattern(size, seed: 22)
        let input = try cli.write("plain", plaintext)

        let binary = try cli.runBinary(["age", "encrypt", "-r", key.recipient, input])
        #expect(binary.status == 0 && binary.stderr == "", "\(binary.stderr)")
        #expect(binary.stdout.starts(with: Array("age-encryption.org/v1\n-> X25519 ".utf8)))
        #expect(try AgeTools.succeed(AgeTools.age, ["-d", "-i", key.path], input: binary.stdout) == plaintext)

        let armored = cli.folder.file("armored.age").path
        let result = try cli.run("age", "encrypt", "--armor", "-r", key.recipient, "-o", armored, input)
        #expect(result.status == 0 && result.stdout == "" && result.stderr == "", "\(result.stderr)")
        let text = try cli.read(armored)
        #expect(text.starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8)))
        #expect(text.suffix(33) == ArraySlice("-----END AGE ENCRYPTED FILE-----\n".utf8))
        #expect(try AgeTools.succeed(AgeTools.age, ["-d", "-i", key.path, armored]) == plaintext)

        // Standard input, and casebook reading the age-keygen identity file.
        let piped = try cli.runBinary(["age", "encrypt", "-a", "-r", key.recipient], input: plaintext)
        #expect(piped.status == 0)
        let back = try cli.runBinary(["age", "decrypt", "-i", key.path], input: piped.stdout)
        #expect(back.status == 0 && back.stdout == plaintext, "\(back.stderr)")
    }

    /// Several recipients: each one's key opens the file.
    @Test func severalRecipients() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let first = try AgeTools.keygen(in: cli.folder, name: "first.txt")
        let second = try AgeTools.keygen(in: cli.folder, name: "second.txt")
        let plaintext = agePattern(70_000, seed: 23)
        let encrypted = try cli.runBinary(["age", "encrypt", "-r", first.recipient, "-r", try cli.ageRecipient(),
                                           "-r", second.recipient], input: plaintext)
        #expect(encrypted.status == 0)
        for key in [first.path, second.path] {
            #expect(try AgeTools.succeed(AgeTools.age, ["-d", "-i", key], input: encrypted.stdout) == plaintext)
        }
        #expect(try cli.runBinary(["age", "decrypt"], input: encrypted.stdout).stdout == plaintext)
    }

    /// (c) + (e) The exported age identity opens, in the reference age, what casebook
    /// encrypted to the vault; the export is audited and the file is 0600.
    @Test func exportedAgeIdentityWorksInReferenceAge() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let recipient = try cli.ageRecipient()
        let exported = cli.folder.file("age-identity.txt").path
        let export = try cli.run("whoami", "--export-age-identity", exported)
        #expect(export.status == 0)
        #expect(export.stdout == "")
        #expect(export.stderr == "warning: \(exported) holds your age secret key unencrypted: anyone with it can read what is sent to you. Keep it offline and delete it when done.\n")
        #expect(try cli.mode(exported) == 0o600)
        let lines = String(decoding: try cli.read(exported), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3] == "")
        #expect(lines[0].hasPrefix("# created: ") && Timestamp.parse(String(lines[0].dropFirst(11))) != nil, "\(lines[0])")
        #expect(lines[1] == "# public key: \(recipient)")
        #expect(lines[2].hasPrefix("AGE-SECRET-KEY-1") && lines[2].count == 74)
        #expect(String(decoding: try AgeTools.succeed(AgeTools.keygen, ["-y", exported]), as: UTF8.self) == recipient + "\n")

        let plaintext = agePattern(150_000, seed: 24)
        let input = try cli.write("plain", plaintext)
        for armor in [false, true] {
            let encrypted = cli.folder.file("to-vault-\(armor).age").path
            let result = try cli.runner.run(["age", "encrypt", "-r", recipient, "-o", encrypted] + (armor ? ["--armor"] : []) + [input])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try AgeTools.succeed(AgeTools.age, ["-d", "-i", exported, encrypted]) == plaintext)
            // casebook reads the same file as an identity file too, without the vault.
            let viaFile = try cli.runBinary(["age", "decrypt", "-i", exported, encrypted], environment: ["CASEBOOK_VAULT": "/nonexistent"])
            #expect(viaFile.status == 0 && viaFile.stdout == plaintext, "\(viaFile.stderr)")
        }

        // (e) Audited once; a second export refuses to overwrite and audits nothing.
        #expect(try auditActions(cli) == [.vaultCreated, .ageIdentityExported])
        let before = try cli.read(exported)
        let refused = try cli.expectFailure(7, ["whoami", "--export-age-identity", exported], message: "casebook: error: ")
        #expect(refused.stderr == "casebook: error: \(exported) already exists\nhint: choose a new file name; Casebook does not overwrite key files\n")
        #expect(try cli.read(exported) == before)
        #expect(try auditActions(cli) == [.vaultCreated, .ageIdentityExported])
        try cli.expectFailure(2, ["whoami", "--export-identity", cli.folder.file("a").path, "--export-age-identity", cli.folder.file("b").path],
                              message: "use either --export-identity or --export-age-identity, not both")
    }

    /// A Casebook identity file (format 1) is accepted by `age decrypt -i`.
    @Test func casebookIdentityFileDecrypts() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let identity = cli.folder.file("identity.txt").path
        #expect(try cli.run("whoami", "--export-identity", identity).status == 0)
        let plaintext = agePattern(1000, seed: 25)
        let encrypted = try AgeTools.succeed(AgeTools.age, ["-r", try cli.ageRecipient()], input: plaintext)
        let result = try cli.runBinary(["age", "decrypt", "-i", identity], input: encrypted, environment: ["CASEBOOK_VAULT": "/nonexistent"])
        #expect(result.status == 0 && result.stdout == plaintext, "\(result.stderr)")
    }

    /// (d) Wrong key, truncated and altered files: the documented status, one error line,
    /// and neither the -o file nor a temporary file left behind.
    @Test func damagedFilesAndWrongKeysLeaveNoOutput() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let key = try AgeTools.keygen(in: cli.folder)
        let other = try AgeTools.keygen(in: cli.folder, name: "other.txt")
        let plaintext = agePattern(200_000, seed: 26)   // three full chunks and a short one
        let input = try cli.write("plain", plaintext)
        let good = cli.folder.file("good.age").path
        try AgeTools.succeed(AgeTools.age, ["-r", key.recipient, "-o", good, input])
        let file = try cli.read(good)
        let payloadStart = file.count - (3 * 65552 + (200_000 - 3 * 65536) + 16)
        let output = cli.folder.file("out").path
        let hint = "hint: the file was modified or truncated after it was encrypted; do not trust its contents, ask for a fresh copy\n"

        func expectRefused(_ status: Int32, _ bytes: [UInt8], identity: String?, _ stderr: String,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = try cli.write("bad.age", bytes)
            let names = try cli.names()
            let result = try cli.expectFailure(status, ["age", "decrypt", "-o", output] + (identity.map { ["-i", $0] } ?? []) + [path],
                                               message: "casebook: error: ", sourceLocation: sourceLocation)
            #expect(result.stderr == stderr, sourceLocation: sourceLocation)
            #expect(result.stdout == "", sourceLocation: sourceLocation)
            #expect(try cli.names() == names, "an output or temporary file was left behind", sourceLocation: sourceLocation)
        }

        // The wrong key (an identity file, then the vault's own identity).
        try expectRefused(3, file, identity: other.path,
                          "casebook: error: no identity matches: the file was not encrypted to the identity in \(other.path)\nhint: check that the sender used your age1… recipient ('casebook whoami' shows the vault's)\n")
        try expectRefused(3, file, identity: nil,
                          "casebook: error: no identity matches: the file was not encrypted to this vault's age recipient (\(try cli.ageRecipient()))\nhint: check that the sender used your age1… recipient ('casebook whoami' shows the vault's)\n")
        // Truncated: inside the last chunk; at a chunk boundary (three chunks authenticate
        // and were written to the temporary file before the end showed up); inside the header.
        try expectRefused(6, Array(file.dropLast(100)), identity: key.path,
                          "casebook: error: the encrypted content is damaged: chunk 4 does not authenticate (altered, truncated or not from this file)\n" + hint)
        try expectRefused(6, Array(file.prefix(payloadStart + 3 * 65552)), identity: key.path,
                          "casebook: error: the encrypted content is damaged: the file is truncated after chunk 3 (no final chunk)\n" + hint)
        try expectRefused(6, Array(file.prefix(payloadStart)), identity: key.path,
                          "casebook: error: the encrypted content is damaged: the file is truncated: it has no payload after the header\n" + hint)
        // One flipped bit: in the second chunk, in the last byte of the last tag, in the header MAC.
        var flipped = file
        flipped[payloadStart + 65552 + 1000] ^= 0x01
        try expectRefused(6, flipped, identity: key.path,
                          "casebook: error: the encrypted content is damaged: chunk 2 does not authenticate (altered, truncated or not from this file)\n" + hint)
        flipped = file
        flipped[file.count - 1] ^= 0x80
        try expectRefused(6, flipped, identity: key.path,
                          "casebook: error: the encrypted content is damaged: chunk 4 does not authenticate (altered, truncated or not from this file)\n" + hint)
        flipped = file
        let macCharacter = payloadStart - 16 - 10   // a base64 character of the MAC on the "---" line
        flipped[macCharacter] = flipped[macCharacter] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let macChanged = try AgeTools.run(AgeTools.age, ["-d", "-i", key.path], input: flipped)
        #expect(macChanged.status != 0, "the reference age accepted an altered header")
        try expectRefused(6, flipped, identity: key.path,
                          "casebook: error: the age file header has been altered (its MAC does not verify)\n" + hint)
        // Not an age file at all.
        try expectRefused(3, Array("hello, world\n".utf8), identity: key.path,
                          "casebook: error: the age file header is invalid: not an age v1 file (the first line is not 'age-encryption.org/v1')\nhint: the file is not a valid age file, or it was damaged in transit; ask the sender to send it again\n")
        // Trailing data: the short final chunk no longer authenticates.
        try expectRefused(6, file + [0], identity: key.path,
                          "casebook: error: the encrypted content is damaged: chunk 4 does not authenticate (altered, truncated or not from this file)\n" + hint)
        // The intact file still decrypts to the same -o path afterwards.
        let ok = try cli.run("age", "decrypt", "-i", key.path, "-o", output, good)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try cli.read(output) == plaintext)
    }

    /// (d) Recipients casebook cannot encrypt to, and malformed or missing identity files.
    @Test func unsupportedRecipientsAndMalformedIdentities() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let input = try cli.write("plain", agePattern(100, seed: 27))
        let recipientHint = "hint: ask the recipient for an X25519 recipient (age-keygen -y, or 'casebook whoami'), or use the reference age\n"
        let postQuantum = String(decoding: Bech32.encode(hrp: "age1pq", data: agePattern(1216, seed: 28)), as: UTF8.self)
        var result = try cli.expectFailure(3, ["age", "encrypt", "-r", postQuantum, "-o", cli.folder.file("out.age").path, input], message: "casebook: error: ")
        #expect(result.stderr == "casebook: error: unsupported recipient type 'mlkem768x25519' (-r \(postQuantum.prefix(20))…): Casebook encrypts only to X25519 age1… recipients\n" + recipientHint)
        result = try cli.expectFailure(3, ["age", "encrypt", "-r", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN", input], message: "casebook: error: ")
        #expect(result.stderr == "casebook: error: unsupported recipient type 'ssh-ed25519' (-r ssh-ed25519 AAAAC3Nz…): Casebook encrypts only to X25519 age1… recipients\n" + recipientHint)
        let recipient = try cli.ageRecipient()
        let corrupted = String(recipient.dropLast()) + (recipient.last == "q" ? "p" : "q")
        result = try cli.expectFailure(3, ["age", "encrypt", "-r", recipient, "-r", corrupted, input], message: "casebook: error: ")
        #expect(result.stderr == "casebook: error: -r \(corrupted.prefix(20))…: invalid age key: '\(corrupted.prefix(20))…' is not a valid age recipient: it has a bad checksum\nhint: age recipients look like age1… (lower case) and identities like AGE-SECRET-KEY-1… (upper case)\n")
        try cli.expectFailure(2, ["age", "encrypt", input], message: "missing -r RECIPIENT")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.file("out.age").path))

        let encrypted = try cli.runBinary(["age", "encrypt", "-r", recipient, input]).stdout
        let file = try cli.write("file.age", encrypted)
        let identityHint = "hint: an age identity file holds AGE-SECRET-KEY-1… lines, as age-keygen writes them\n"
        func expectBadIdentity(_ contents: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = try cli.write("bad-identity.txt", Array(contents.utf8))
            let result = try cli.expectFailure(3, ["age", "decrypt", "-i", path, "-o", cli.folder.file("out").path, file],
                                               message: "casebook: error: ", sourceLocation: sourceLocation)
            #expect(result.stderr == "casebook: error: \(message.replacingOccurrences(of: "PATH", with: path))\n" + identityHint,
                    sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: cli.folder.file("out").path), sourceLocation: sourceLocation)
        }
        try expectBadIdentity("# only a comment\n\n", "the identity file PATH holds no AGE-SECRET-KEY-1… line")
        try expectBadIdentity("# created\nAGE-SECRET-KEY-1QQQQ\n",
                              "line 2 of the identity file PATH is invalid: not a valid age identity: it is too short")
        try expectBadIdentity(recipient + "\n",
                              "line 1 of the identity file PATH is invalid: not an age X25519 identity (expected AGE-SECRET-KEY-1…)")
        try expectBadIdentity("-----BEGIN OPENSSH PRIVATE KEY-----\n",
                              "line 1 of the identity file PATH starts a PEM block (an SSH or other key), which Casebook does not read as an age identity")
        try expectBadIdentity("# casebook identity, format 1\nAGE-SECRET-KEY-1QQQQ\n",
                              "line 2 of the identity file PATH is not a valid key line (bad Bech32 encoding or checksum)")
        result = try cli.expectFailure(4, ["age", "decrypt", "-i", cli.folder.file("missing.txt").path, file], message: "casebook: error: ")
        #expect(result.stderr == "casebook: error: cannot read the identity file \(cli.folder.file("missing.txt").path)\n")
        result = try cli.expectFailure(4, ["age", "decrypt", cli.folder.file("missing.age").path], message: "casebook: error: ")
        #expect(result.stderr == "casebook: error: cannot read \(cli.folder.file("missing.age").path): no such file\n")
        try cli.expectFailure(5, ["age", "decrypt", file], environment: ["CASEBOOK_PASSPHRASE": "not the passphrase at all"],
                              message: "wrong passphrase for this vault")
    }

    /// (d) An existing -o file is never overwritten, and is refused before any work.
    @Test func existingOutputIsRefused() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        try cli.initVault()
        let input = try cli.write("plain", agePattern(100, seed: 29))
        let existing = try cli.write("existing", Array("keep me\n".utf8))
        let expected = "casebook: error: \(existing) already exists\nhint: choose a new file name; Casebook does not overwrite files\n"
        var result = try cli.expectFailure(7, ["age", "encrypt", "-r", try cli.ageRecipient(), "-o", existing, input], message: "casebook: error: ")
        #expect(result.stderr == expected)
        let encrypted = try cli.write("file.age", try cli.runBinary(["age", "encrypt", "-r", try cli.ageRecipient(), input]).stdout)
        // Refused before the passphrase is needed.
        result = try cli.expectFailure(7, ["age", "decrypt", "-o", existing, encrypted], environment: ["CASEBOOK_PASSPHRASE": nil], message: "casebook: error: ")
        #expect(result.stderr == expected)
        #expect(try cli.read(existing) == Array("keep me\n".utf8))
        // A dangling symbolic link counts as existing too.
        let link = cli.folder.file("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: cli.folder.file("nowhere").path)
        try cli.expectFailure(7, ["age", "decrypt", "-o", link, encrypted], message: "\(link) already exists")
        #expect(!FileManager.default.fileExists(atPath: cli.folder.file("nowhere").path))
    }

    private func auditActions(_ cli: CLIFixture) throws -> [AuditAction] {
        var passphrase = Array("correct horse battery staple".utf8)
        let vault = try Vault.open(store: SQLiteVaultStore.open(in: cli.vault, readOnly: true),
                                   passphrase: SecureBytes(consuming: &passphrase))
        return try vault.audit.events().map(\.action)
    }
}
