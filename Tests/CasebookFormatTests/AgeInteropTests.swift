import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

/// Interoperability with the reference `age` and `age-keygen` (Debian package `age`).
/// Skipped, with a note, where they are not installed; CI installs them.
enum ReferenceAge {
    static let age = "/usr/bin/age"
    static let keygen = "/usr/bin/age-keygen"
    /// util-linux `script`, to give `age -p` the terminal it reads passphrases from.
    static let script = "/usr/bin/script"

    static let available: Bool = {
        let found = FileManager.default.isExecutableFile(atPath: age) && FileManager.default.isExecutableFile(atPath: keygen)
        if !found { print("note: \(age) or \(keygen) is not installed; age interoperability tests are skipped") }
        return found
    }()

    static let passphraseAvailable: Bool = {
        let found = available && FileManager.default.isExecutableFile(atPath: script)
        if available && !found { print("note: \(script) is not installed; age -p interoperability tests are skipped") }
        return found
    }()

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a program; returns its standard output, throwing on a non-zero exit.
    /// Standard input and standard error go through temporary files, so only one pipe is read.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], input: [UInt8] = []) throws -> [UInt8] {
        let folder = try TemporaryFolder()
        let inputPath = try folder.write("stdin", input)
        let errorPath = try folder.write("stderr", [])
        let stdin = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? stdin.close()
            try? stderr.close()
        }
        let stdout = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = String(decoding: try folder.read("stderr"), as: UTF8.self)
            throw Failure(description: "\(path) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(errors)")
        }
        return [UInt8](output)
    }

    /// Runs `age` under a pseudo-terminal (via `script`) feeding `lines` as typed input.
    static func runWithTerminal(_ arguments: [String], lines: [String]) throws {
        let command = ([age] + arguments).map { "'\($0)'" }.joined(separator: " ")
        try run(script, ["-qec", command, "/dev/null"], input: Array(lines.map { $0 + "\n" }.joined().utf8))
    }
}

final class TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-age-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ bytes: [UInt8], mode: Int = 0o600) throws -> String {
        let path = path(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode]) else {
            throw ReferenceAge.Failure(description: "cannot create \(path)")
        }
        return path
    }
    func read(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url.appendingPathComponent(name))) }
}

@Suite(.serialized, .enabled(if: ReferenceAge.available, "the reference age binary is not installed"))
struct AgeInteropTests {
    static let sizes = [0, 1, 65536, 200_000]

    /// Writes the identity as an age identity file (just the AGE-SECRET-KEY line).
    static func identityFile(_ identity: AgeX25519Identity, in folder: TemporaryFolder) throws -> String {
        let text = identity.encoded().withUnsafeBytes { Array($0) }
        return try folder.write("key.txt", Array("# test identity\n".utf8) + text + [10])
    }

    @Test(arguments: sizes) func referenceEncryptsOurRecipient(size: Int) throws {
        let folder = try TemporaryFolder()
        let identity = AgeX25519Identity()
        let plaintext = AgeTestSupport.pattern(size, seed: 11)
        let input = try folder.write("plain", plaintext)
        for armor in [false, true] {
            try ReferenceAge.run(ReferenceAge.age, (armor ? ["-a"] : []) + ["-r", identity.recipient.encoded, "-o", folder.path("file.age"), input])
            let file = try folder.read("file.age")
            #expect(file.starts(with: Array((armor ? "-----BEGIN AGE" : "age-encryption.org/v1").utf8)))
            #expect(try Age.decrypt(file, identities: [identity]) == plaintext, "armor: \(armor)")
        }
    }

    @Test(arguments: sizes) func referenceDecryptsOurFile(size: Int) throws {
        let folder = try TemporaryFolder()
        let identity = AgeX25519Identity()
        let keyFile = try Self.identityFile(identity, in: folder)
        let plaintext = AgeTestSupport.pattern(size, seed: 12)
        for armor in [false, true] {
            let file = try Age.encrypt(plaintext, to: [AgeX25519Identity().recipient, identity.recipient], armor: armor)
            let path = try folder.write("ours.age", file)
            let output = try ReferenceAge.run(ReferenceAge.age, ["-d", "-i", keyFile, path])
            #expect(output == plaintext, "armor: \(armor)")
        }
    }

    /// Keys made by age-keygen work here, and ours work there, through files and pipes.
    @Test func keysFromAgeKeygen() throws {
        let folder = try TemporaryFolder()
        let keyPath = folder.path("generated.txt")
        try ReferenceAge.run(ReferenceAge.keygen, ["-o", keyPath])
        let lines = String(decoding: try folder.read("generated.txt"), as: UTF8.self).split(separator: "\n")
        let secretLine = try #require(lines.first { $0.hasPrefix("AGE-SECRET-KEY-1") })
        let publicLine = try #require(lines.first { $0.hasPrefix("# public key: ") })
        let identity = try AgeX25519Identity(encoded: AgeTestSupport.secure(String(secretLine)))
        #expect(identity.recipient.encoded == publicLine.dropFirst("# public key: ".count))
        let converted = try ReferenceAge.run(ReferenceAge.keygen, ["-y", keyPath])
        #expect(String(decoding: converted, as: UTF8.self) == identity.recipient.encoded + "\n")

        // Standard input to standard output through the reference tool, file descriptors on our side.
        let plaintext = AgeTestSupport.pattern(150_000, seed: 13)
        let encrypted = try ReferenceAge.run(ReferenceAge.age, ["-r", identity.recipient.encoded], input: plaintext)
        let path = try folder.write("piped.age", encrypted)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var source = FileDescriptorSource(fileDescriptor: handle.fileDescriptor)
        var sink = ArraySink()
        try Age.decrypt(from: &source, to: &sink, identities: [identity])
        #expect(sink.bytes == plaintext)
    }

    /// Tampered output from us is refused by the reference tool too.
    @Test func referenceRejectsTamperedFiles() throws {
        let folder = try TemporaryFolder()
        let identity = AgeX25519Identity()
        let keyFile = try Self.identityFile(identity, in: folder)
        var file = try Age.encrypt(AgeTestSupport.pattern(70_000), to: [identity.recipient])
        file[file.count - 10] ^= 1
        let path = try folder.write("tampered.age", file)
        #expect(throws: ReferenceAge.Failure.self) { try ReferenceAge.run(ReferenceAge.age, ["-d", "-i", keyFile, path]) }
    }

    @Test(.enabled(if: ReferenceAge.passphraseAvailable, "script(1) is needed to type a passphrase into age -p"))
    func passphrasesBothWays() throws {
        let folder = try TemporaryFolder()
        let plaintext = AgeTestSupport.pattern(100_000, seed: 14)
        let input = try folder.write("plain", plaintext)
        let passphrase = "interop passphrase 42"

        // age -p (work factor 18) → ours.
        try ReferenceAge.runWithTerminal(["-p", "-o", folder.path("theirs.age"), input], lines: [passphrase, passphrase])
        let theirs = try folder.read("theirs.age")
        #expect(try AgeHeader.parse(theirs).header.stanzas.map(\.type) == ["scrypt"])
        #expect(try Age.decrypt(theirs, identities: [AgeScryptIdentity(passphrase: AgeTestSupport.secure(passphrase))]) == plaintext)

        // Ours → age -d, armored.
        let ours = try Age.encrypt(plaintext, to: [AgeScryptRecipient(passphrase: AgeTestSupport.secure(passphrase), logN: 14)], armor: true)
        let path = try folder.write("ours.age", ours)
        try ReferenceAge.runWithTerminal(["-d", "-o", folder.path("out"), path], lines: [passphrase])
        #expect(try folder.read("out") == plaintext)
    }
}
