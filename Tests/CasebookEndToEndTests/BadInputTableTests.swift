import Foundation
import Testing
import CasebookTestSupport

/// The same bad file gets the same exit status from every command that reads that kind of
/// file: the error is classified once, at the command line's edge, not per command. Each
/// table runs every bad variant through every reader and expects one status per variant,
/// one `casebook: error:` line and an unchanged vault.
@Suite struct BadInputTableTests {
    /// A bad variant of a file, and the status every reader of that kind must exit with.
    struct Variant {
        let name: String
        let status: Int32
        let make: (URL) throws -> Void
    }

    /// Runs every variant through every reader (`FILE` in a reader's arguments is replaced by
    /// the variant's path).
    private func check(_ cli: CLIFixture, readers: [[String]], variants: [Variant],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        for variant in variants {
            let file = cli.folder.file("bad-\(variant.name)")
            try? FileManager.default.removeItem(at: file)
            try variant.make(file)
            for (index, reader) in readers.enumerated() {
                let output = cli.folder.file("out-\(variant.name)-\(index)").path
                let arguments = reader.map { $0 == "FILE" ? file.path : $0 == "OUT" ? output : $0 }
                let result = try cli.expectFailure(variant.status, arguments, message: "casebook: error: ",
                                                   sourceLocation: sourceLocation)
                #expect(!FileManager.default.fileExists(atPath: output), "\(variant.name): \(arguments) left \(output)",
                        sourceLocation: sourceLocation)
                _ = result
            }
        }
    }

    private static func bytes(_ data: [UInt8]) -> (URL) throws -> Void { { try Data(data).write(to: $0) } }
    private static func text(_ string: String) -> (URL) throws -> Void { bytes(Array(string.utf8)) }
    private static func missing(_ url: URL) {}

    @Test func everyReaderOfAnAgeFileRefusesTheSameWay() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let recipient = try #require(try cli.run("whoami").stdout.split(separator: "\n")
            .compactMap { $0.split(separator: " ").first { $0.hasPrefix("age1") } }.first.map(String.init))
        let plain = cli.folder.file("plain.txt")
        try Data(repeating: 0x61, count: 200_000).write(to: plain)
        let sealed = cli.folder.file("sealed.age")
        #expect(try cli.run("age", "encrypt", "-r", recipient, "-o", sealed.path, plain.path).status == 0)
        let good = try [UInt8](Data(contentsOf: sealed))
        let stranger = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
        let forSomeoneElse = cli.folder.file("other.age")
        #expect(try cli.run("age", "encrypt", "-r", stranger, "-o", forSomeoneElse.path, plain.path).status == 0)
        let other = try [UInt8](Data(contentsOf: forSomeoneElse))
        let headerEnd = try #require(good.indices.first { good[$0...].starts(with: Array("\n--- ".utf8)) })
        var altered = good
        altered[altered.count - 100] ^= 0x01
        var badMAC = good
        badMAC[headerEnd + 6] = badMAC[headerEnd + 6] == 0x41 ? 0x42 : 0x41

        let variants = [
            Variant(name: "not-age", status: 3, make: Self.text("this is not an age file\n")),
            Variant(name: "empty", status: 3, make: Self.bytes([])),
            Variant(name: "random-bytes", status: 3, make: Self.bytes((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })),
            Variant(name: "bad-armor", status: 3, make: Self.text("-----BEGIN AGE ENCRYPTED FILE-----\nnot base64!\n-----END AGE ENCRYPTED FILE-----\n")),
            Variant(name: "not-for-me", status: 3, make: Self.bytes(other)),
            Variant(name: "truncated-header", status: 3, make: Self.bytes(Array(good.prefix(headerEnd / 2)))),
            Variant(name: "truncated-payload", status: 6, make: Self.bytes(Array(good.dropLast(1000)))),
            Variant(name: "altered-payload", status: 6, make: Self.bytes(altered)),
            Variant(name: "altered-header-mac", status: 6, make: Self.bytes(badMAC)),
            Variant(name: "missing", status: 4, make: Self.missing),
        ]
        let readers = [
            ["age", "decrypt", "-o", "OUT", "FILE"],
            ["handover", "open", "FILE"],
            ["handover", "open", "FILE", "--import"],
            ["audit", "verify", "--bundle", "FILE"],
            ["audit", "report", "--bundle", "FILE", "--format", "csv", "-o", "OUT"],
        ]
        try check(cli, readers: readers, variants: variants)
    }

    @Test func everyReaderOfAnOverrideFileRefusesTheSameWay() throws {
        let amira = try ExamplePersona.vault("psychologist", contacts: ["supervisor"])
        _ = try amira.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii(marker: "x"))
        let request = amira.folder.file("request.txt")
        let expires = ISO8601DateFormatter.string(from: Date().addingTimeInterval(3 * 86_400), timeZone: TimeZone(identifier: "UTC")!,
                                                  formatOptions: [.withFullDate])
        let made = try amira.run("override", "request", "--client", "C-0042", "--to", "Dr Sam Example", "--purpose", "risk-management",
                                 "--fields", "plan", "--citation", "Crime and Disorder Act 1998 s.115",
                                 "--justification", "A named person is at risk of serious harm.", "--consent-sought", "unsafe",
                                 "--reason", "Asking would raise the risk.", "--client-informed", "deferred",
                                 "--expires", expires, "-o", request.path)
        #expect(made.status == 0, "\(made.stderr)")
        let good = try String(contentsOf: request, encoding: .utf8)
        let variants = [
            Variant(name: "noise", status: 3, make: Self.text("hello, this is not an override\n")),
            Variant(name: "empty", status: 3, make: Self.bytes([])),
            Variant(name: "truncated", status: 3, make: Self.text(String(good.prefix(good.count / 2)))),
            Variant(name: "altered", status: 6, make: Self.text(good.replacingOccurrences(of: "s.115", with: "s.116"))),
            Variant(name: "missing", status: 4, make: Self.missing),
        ]
        let readers = [
            ["override", "show", "FILE"],
            ["override", "approve", "FILE", "-o", "OUT"],
            ["export", "--client", "C-0042", "--to", "Dr Sam Example", "--purpose", "risk-management", "--override", "FILE", "-o", "OUT"],
        ]
        try check(amira, readers: readers, variants: variants)
    }

    @Test func everyReaderOfAnIdentityFileRefusesTheSameWay() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let variants = [
            Variant(name: "noise", status: 3, make: Self.text("AGE-SECRET-KEY-1NOTAKEY\n")),
            Variant(name: "empty", status: 3, make: Self.bytes([])),
            Variant(name: "missing", status: 4, make: Self.missing),
        ]
        let other = try CLIFixture()
        let readers = [
            ["age", "decrypt", "-i", "FILE", "-o", "OUT", ExamplePersona.file("psychologist.card").path],
            ["init", "--vault", other.vault.path, "--name", "X", "--role", "mentor", "--kdf", "interactive", "--identity", "FILE"],
        ]
        try check(cli, readers: readers, variants: variants)
        #expect(!FileManager.default.fileExists(atPath: other.vault.path))
    }

    @Test func everyReaderOfANoteDocumentRefusesTheSameWay() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let stored = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii(marker: "x"))
        let id = try #require(cli.storedID(stored))
        let variants = [
            Variant(name: "noise", status: 3, make: Self.text("just some words, no front matter\n")),
            Variant(name: "binary", status: 3, make: Self.bytes([0xFF, 0xFE, 0x00, 0x41])),
            Variant(name: "empty", status: 3, make: Self.bytes([])),
            Variant(name: "missing", status: 4, make: Self.missing),
        ]
        let readers = [
            ["note", "new", "--kind", "hii-session", "--client", "C-0042", "--file", "FILE"],
            ["note", "amend", id, "--reason", "test", "--file", "FILE"],
        ]
        try check(cli, readers: readers, variants: variants)
    }
}
