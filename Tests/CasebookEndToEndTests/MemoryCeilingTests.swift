import Foundation
import Testing
import CasebookTestSupport

/// docs/limits.md: every command that reads a file from outside has a size limit and a memory
/// ceiling. Each is fed an input far over its limit — sparse files (`ftruncate`: 2 GiB that
/// take no disk), endless devices, and streams piped from `casebook age encrypt` — and the
/// child's own peak resident memory is measured (`wait4`), with the exact refusal, its exit
/// status and the vault left as it was. A memory bound, not a timing.
@Suite(.serialized) struct MemoryCeilingTests {
    static let mebibyte = 1 << 20
    /// A refusal before the vault is unlocked: the Swift runtime and Foundation are about 25 MiB.
    static let beforeUnlock = 64 * mebibyte
    /// After an unlock with the `interactive` Argon2id profile (64 MiB, freed before the command's work).
    static let afterUnlock = 128 * mebibyte

    final class Setup {
        let cli: CLIFixture
        /// 2 GiB, sparse.
        let huge: String
        let record: String
        let recipient: String

        init() throws {
            cli = try CLIFixture()
            try cli.initVault()
            huge = try Setup.sparse(cli.folder, "huge", 2 << 30)
            let stored = try cli.run("note", "new", "--kind", "mentor-log", "--client", "C-0042", input: SampleDocuments.mentor())
            record = try #require(cli.storedID(stored), "\(stored.stderr)")
            let whoami = try cli.run("whoami").stdout
            recipient = try #require(whoami.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("age1") }.map(String.init))
        }

        /// A sparse file of `size` zero bytes.
        static func sparse(_ folder: TemporaryDirectory, _ name: String, _ size: Int) throws -> String {
            let path = folder.file(name).path
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            #expect(fd >= 0)
            defer { close(fd) }
            #expect(ftruncate(fd, off_t(size)) == 0)
            return path
        }
    }

    /// Runs `arguments` measured and checks the refusal: status, the one error line, the
    /// vault unchanged, and the peak under `bound`.
    private func expectRefusal(_ cli: CLIFixture, _ arguments: [String], status: Int32, error: String, under bound: Int,
                               standardInput: Int32? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = cli.snapshot()
        let outcome = try MeasuredProcess.run(cli.runner, arguments, standardInput: standardInput)
        #expect(outcome.status == status, "\(arguments): status \(outcome.status), stderr: \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.split(separator: "\n").first.map(String.init) == "casebook: error: \(error)",
                "\(arguments): \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.peakBytes < bound, "\(arguments): \(outcome.description), bound \(bound >> 20) MiB", sourceLocation: sourceLocation)
        #expect(cli.snapshot() == before, "the vault changed after \(arguments)", sourceLocation: sourceLocation)
    }

    @Test func oversizedFilesAreRefusedBeforeTheyAreRead() throws {
        let setup = try Setup()
        let (cli, huge) = (setup.cli, setup.huge)
        let out = cli.folder.file("out").path
        try expectRefusal(cli, ["handover", "open", huge, "--import"], status: 3,
                          error: "\(huge) is larger than 384 MiB: not a handover (a handover holds at most 256 MiB)", under: Self.beforeUnlock)
        try expectRefusal(cli, ["note", "import", huge], status: 3,
                          error: "\(huge) is larger than 256 MiB; nothing was imported", under: Self.beforeUnlock)
        try expectRefusal(cli, ["note", "new", "--kind", "mentor-log", "--client", "C-0042", "--file", huge], status: 3,
                          error: "\(huge) is larger than 1024 KiB", under: Self.afterUnlock)
        try expectRefusal(cli, ["note", "amend", setup.record, "--reason", "more", "--file", huge], status: 3,
                          error: "\(huge) is larger than 1024 KiB", under: Self.afterUnlock)
        try expectRefusal(cli, ["contacts", "add", huge, "--fingerprint", "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2"], status: 3,
                          error: "the card file \(huge) is larger than 64 KiB: not an identity card", under: Self.beforeUnlock)
        for command in [["override", "approve", huge, "-o", out], ["override", "show", huge],
                        ["export", "--client", "C-0042", "--purpose", "supervision", "--to", setup.recipient, "--override", huge, "-o", out]] {
            try expectRefusal(cli, command, status: 3, error: "\(huge) is larger than 65536 bytes: not an override file", under: Self.beforeUnlock)
        }
        let trusted = cli.folder.file("trusted")
        try FileManager.default.createDirectory(at: trusted, withIntermediateDirectories: false)
        let checkpoint = try Setup.sparse(cli.folder, "trusted/checkpoint", 2 << 30)
        try expectRefusal(cli, ["audit", "verify", "--trusted", trusted.path], status: 3,
                          error: "\(checkpoint) is not a signed checkpoint: it is larger than 65536 bytes", under: Self.afterUnlock)
        // Secrets are read straight into locked memory, and only from regular files of at most 64 KiB.
        try expectRefusal(cli, ["age", "decrypt", "-i", huge], status: 3, error: "the identity file \(huge) is too large", under: Self.beforeUnlock)
        try expectRefusal(cli, ["note", "list", "--passphrase-file", huge], status: 3,
                          error: "the passphrase file \(huge) is too large", under: Self.beforeUnlock)
    }

    /// Files under a limit, or with no size to check (a pipe, a device), are still never held
    /// whole: reading or decrypting stops at the limit, or the input is streamed.
    @Test func inputsWithoutAKnownSizeStopAtTheLimit() throws {
        let setup = try Setup()
        let cli = setup.cli
        // Standard input from an endless device: one byte past 1 MiB is read.
        let zero = open("/dev/zero", O_RDONLY)
        defer { close(zero) }
        try expectRefusal(cli, ["note", "new", "--kind", "mentor-log", "--client", "C-0042", "--file", "-"], status: 3,
                          error: "standard input is larger than 1024 KiB", under: Self.afterUnlock, standardInput: zero)
        // 200 MiB without a line end: refused once a line passes 16 MiB.
        let noLines = try Setup.sparse(cli.folder, "lines.jsonl", 200 << 20)
        try expectRefusal(cli, ["note", "import", noLines], status: 3, error: "line 1: longer than 16 MiB; nothing was imported",
                          under: Self.beforeUnlock)
        // Under the file limit but no age file: the header is given at most 1 MiB.
        let notAge = try Setup.sparse(cli.folder, "not-age", 300 << 20)
        for (command, what) in [(["handover", "open", notAge], "the handover file"), (["audit", "verify", "--bundle", notAge], "the audit bundle file"),
                                (["audit", "report", "--bundle", notAge, "--format", "json", "-o", cli.folder.file("report").path], "the audit bundle file")] {
            try expectRefusal(cli, command, status: 3,
                              error: "\(what) is not a valid age file (the age file header is invalid: not an age v1 file (the first line is not 'age-encryption.org/v1'))",
                              under: Self.afterUnlock)
        }
        try expectRefusal(cli, ["age", "decrypt", setup.huge], status: 3,
                          error: "the age file header is invalid: not an age v1 file (the first line is not 'age-encryption.org/v1')", under: Self.afterUnlock)
        // Consent evidence is only hashed, 64 KiB at a time: a large scan is accepted in little memory.
        let evidence = try Setup.sparse(cli.folder, "form.pdf", 256 << 20)
        let granted = try MeasuredProcess.run(cli.runner, ["consent", "grant", "--client", "C-0042", "--purpose", "supervision",
                                                            "--to", "role:supervisor", "--valid-from", "2026-01-01", "--valid-until", "2026-12-31",
                                                            "--method", "written", "--evidence", evidence])
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(granted.peakBytes < Self.afterUnlock, "consent grant --evidence: \(granted.description)")
    }

    /// A handover sealed to this vault whose plaintext goes on past 256 MiB, streamed through a
    /// pipe (no size to check): decryption stops at the limit, so the command holds at most
    /// 256 MiB of it, never the gigabyte offered. The producer, `age encrypt`, streams in
    /// constant memory.
    @Test func aHandoverStreamStopsAtItsLimit() throws {
        let setup = try Setup()
        let cli = setup.cli
        let plaintext = try Setup.sparse(cli.folder, "gigabyte", 1 << 30)
        let before = cli.snapshot()
        let bound = 256 * Self.mebibyte + 96 * Self.mebibyte
        let (encrypted, opened) = try pipeline(cli, from: plaintext, ["age", "encrypt", "-r", setup.recipient], into: ["handover", "open", "/dev/stdin"])
        #expect(opened.status == 3, "\(opened.stderr)")
        #expect(opened.stderr.hasPrefix("casebook: error: the handover is larger than 256 MiB\n"), "\(opened.stderr)")
        #expect(opened.peakBytes < bound, "handover open: \(opened.description)")
        #expect(cli.snapshot() == before)
        // The producer stopped when the pipe closed, after about 256 MiB of its gigabyte: killed by
        // SIGPIPE, or — when the test process ignores SIGPIPE, which its children inherit (another
        // test in the same run may have set it) — failing its write with EPIPE (exit 9, one error line).
        let stoppedByPipe = encrypted.status == 128 + SIGPIPE
            || (encrypted.status == 9 && encrypted.stderr.hasPrefix("casebook: error: ") && encrypted.stderr.split(separator: "\n").count <= 2)
        #expect(stoppedByPipe, "\(encrypted.status) \(encrypted.stderr)")
    }

    /// `age decrypt` streams whatever the size: 512 MiB through a pipe in constant memory.
    @Test func ageStreamsInConstantMemory() throws {
        let setup = try Setup()
        let cli = setup.cli
        let plaintext = try Setup.sparse(cli.folder, "half-gigabyte", 512 << 20)
        let (encrypted, decrypted) = try pipeline(cli, from: plaintext, ["age", "encrypt", "-r", setup.recipient], into: ["age", "decrypt"],
                                                  discardingOutput: true)
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        #expect(encrypted.peakBytes < Self.beforeUnlock, "age encrypt: \(encrypted.description)")
        #expect(decrypted.peakBytes < Self.afterUnlock, "age decrypt: \(decrypted.description)")
    }

    /// `producer < file | consumer`, both measured; the consumer's output discarded or kept.
    private func pipeline(_ cli: CLIFixture, from file: String, _ producer: [String], into consumer: [String],
                          discardingOutput: Bool = false) throws -> (MeasuredProcess.Outcome, MeasuredProcess.Outcome) {
        let input = open(file, O_RDONLY | O_CLOEXEC)
        defer { close(input) }
        let discard = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(discard) }
        let pipe = try ClosingPipe()
        let first = try MeasuredProcess(cli.runner, producer, standardInput: input, standardOutput: pipe.writeEnd)
        pipe.closeWriteEnd()
        let second = try MeasuredProcess.run(cli.runner, consumer, standardInput: pipe.readEnd, standardOutput: discardingOutput ? discard : nil)
        pipe.closeReadEnd()
        return (try first.wait(), second)
    }
}
