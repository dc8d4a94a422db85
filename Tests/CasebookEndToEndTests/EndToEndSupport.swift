import Foundation
import Testing
import CasebookTestSupport

/// A throw-away vault driven through the built binary.
final class CLIFixture {
    let folder: TemporaryDirectory
    let runner: CasebookRunner
    var vault: URL { folder.file("vault") }

    init(extra: [String: String] = [:]) throws {
        folder = try TemporaryDirectory(prefix: "casebook-e2e")
        runner = CasebookRunner(vault: folder.file("vault"), extra: extra)
    }

    @discardableResult
    func run(_ arguments: String..., input: String = "", environment: [String: String?] = [:]) throws -> CasebookRunner.Result {
        try runner.run(arguments, input: input, environment: environment)
    }

    func initVault(name: String = "Dr Ada Example", role: String = "psychologist") throws {
        let result = try run("init", "--name", name, "--role", role, "--kdf", "interactive")
        #expect(result.status == 0, "init failed: \(result.stderr)")
    }

    /// The bytes of every file in the vault folder, to prove a failed command changed nothing.
    func snapshot() -> [String: Data] { FolderSnapshot.files(in: vault) }

    /// Runs a command that must fail with `status`, leave the vault unchanged, and
    /// print exactly one `casebook: error:` line (and optionally a hint). A refusal that is
    /// recorded in the audit log (README, "Exit statuses") is checked with
    /// `expectRecordedRefusal` instead.
    @discardableResult
    func expectFailure(_ status: Int32, _ arguments: [String], input: String = "", environment: [String: String?] = [:],
                       message: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CasebookRunner.Result {
        let before = snapshot()
        let result = try runner.run(arguments, input: input, environment: environment)
        #expect(result.status == status, "\(arguments): status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("casebook: error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count <= 2 && (lines.count == 1 || lines[1].hasPrefix("hint: ")), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "expected '\(message)' in: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(snapshot() == before, "the vault changed after a failed \(arguments)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs SQL against the vault's database with the sqlite3 shell (`SQLiteShell`), as
    /// someone who can write the file but has no passphrase would; returns what it prints.
    @discardableResult
    func sql(_ statements: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try SQLiteShell.run(vault, statements, sourceLocation: sourceLocation)
    }

    /// The id printed by `note new` ("Stored … XXXXXXXXXX for …").
    func storedID(_ result: CasebookRunner.Result) -> String? {
        let words: [Substring] = result.stdout.split(whereSeparator: { $0 == " " })
        return words.first { word in word.count == 10 && word.allSatisfy { $0.isUppercase || $0.isNumber } }.map(String.init)
    }
}

/// A private folder on tmpfs for editing, removed afterwards.
final class MemoryFolder {
    let path: String
    init() throws {
        path = "/dev/shm/casebook-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// An `$EDITOR` script: replaces the file it is given with `text`.
func editorScript(in folder: TemporaryDirectory, writing text: String, name: String = "editor.sh") throws -> String {
    let document = try folder.write(name + ".input", text)
    let script = folder.file(name)
    try Data("#!/bin/sh\ncat '\(document.path)' > \"$1\"\n".utf8).write(to: script)
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
    return script.path
}

/// The example personas of Keys-example/ (its README): identity files, cards and the
/// fingerprints published there, by role.
enum ExamplePersona {
    static let keys = KeysExampleTests.repository.appendingPathComponent("Keys-example")
    static let names = ["psychologist": "Dr Amira Example", "mentor": "Ben Example",
                        "supervisor": "Dr Sam Example", "compliance": "Chris Example"]
    static let fingerprints = ["psychologist": "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2",
                               "mentor": "R0JV-M3T6-SXFS-DG2K-92VQ-V8VD-1C7W-PMVH",
                               "supervisor": "FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2",
                               "compliance": "74TF-SJXB-99KC-DDAH-5TQK-TAGD-BRQB-BJ1W"]

    static func file(_ name: String) -> URL { keys.appendingPathComponent(name) }

    /// A new vault around the persona's identity, with the other personas' cards as contacts.
    static func vault(_ role: String, contacts: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIFixture {
        let cli = try CLIFixture()
        let created = try cli.run("init", "--name", names[role]!, "--role", role, "--kdf", "interactive",
                                  "--identity", file("\(role).identity").path)
        #expect(created.status == 0, "\(created.stderr)", sourceLocation: sourceLocation)
        for contact in contacts { try add(contact, to: cli, sourceLocation: sourceLocation) }
        return cli
    }

    /// Adds the persona's card as a contact of `cli`, checked against its published fingerprint.
    static func add(_ role: String, to cli: CLIFixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let added = try cli.run("contacts", "add", file("\(role).card").path, "--fingerprint", fingerprints[role]!)
        #expect(added.status == 0, "\(added.stderr)", sourceLocation: sourceLocation)
    }
}
