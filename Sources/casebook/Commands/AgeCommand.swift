import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation

/// `casebook age …`: age v1 files, readable and writable by the reference `age`.
struct AgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "age",
        abstract: "Encrypt and decrypt age files (compatible with the reference age tool).",
        discussion: """
            Files are streamed in 64 KiB chunks, so any size works in little memory.
            Only X25519 recipients (age1…) and identities (AGE-SECRET-KEY-1…) are supported.
            With -o FILE the output appears only once complete: a failed command leaves no file.
            """,
        subcommands: [AgeEncryptCommand.self, AgeDecryptCommand.self]
    )
}

struct AgeEncryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a file to one or more age recipients.",
        discussion: "Reads INPUT (default: standard input) and writes the age file to -o FILE (default: standard output)."
    )

    @Option(name: [.customShort("r"), .customLong("recipient")],
            help: ArgumentHelp("An age X25519 recipient (age1…); repeat for several.", valueName: "recipient"))
    var recipients: [String] = []

    @Flag(name: [.customShort("a"), .long], help: "Write ASCII armor (-----BEGIN AGE ENCRYPTED FILE-----) instead of binary.")
    var armor = false

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write to this new file (never overwritten; '-' = standard output).", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("The file to encrypt ('-' or absent = standard input).", valueName: "input"))
    var input: String?

    func validate() throws {
        guard !recipients.isEmpty else { throw ValidationError("missing -r RECIPIENT: name at least one age1… recipient") }
    }

    func run() throws {
        var parsed: [any AgeRecipient] = []
        for text in recipients { parsed.append(try AgeCLI.recipient(text)) }
        let destination = try AgeOutput(path: output)
        if destination.isStandardOutput && !armor && isatty(STDOUT_FILENO) == 1 {
            throw CommandError(.usage, "refusing to write a binary age file to the terminal",
                                hint: "use --armor, or -o FILE, or redirect the output")
        }
        let source = try AgeInput(path: input)
        defer { source.close() }
        try destination.write { (sink: inout FileDescriptorSink) throws(AgeError) in
            var reader = FileDescriptorSource(fileDescriptor: source.fileDescriptor)
            try Age.encrypt(from: &reader, to: &sink, recipients: parsed, armor: armor)
        }
    }
}

struct AgeDecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt an age file (binary or armored) with your vault's identity or an identity file.",
        discussion: """
            Without -i, the vault is unlocked (read-only) and its own age identity is used.
            With -i FILE (an age-keygen file, or a Casebook identity file) the vault is not opened.
            Plaintext goes to -o FILE (created 0600, and named only when the whole file has
            authenticated; on Linux it has no name until then, elsewhere a hidden temporary
            name, and one left by a killed run is removed by the next -o into its folder) or
            to standard output, chunk by chunk.
            """
    )

    @OptionGroup var vault: VaultOptions

    @Option(name: [.customShort("i"), .customLong("identity")],
            help: ArgumentHelp("An age identity file (AGE-SECRET-KEY-1… lines); repeat for several.", valueName: "file"))
    var identityFiles: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write the plaintext to this new file (never overwritten; '-' = standard output).", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("The age file ('-' or absent = standard input).", valueName: "input"))
    var input: String?

    func run() throws {
        let destination = try AgeOutput(path: output)
        let source = try AgeInput(path: input)
        defer { source.close() }
        var identities: [any AgeIdentity] = []
        let keyDescription: String
        if identityFiles.isEmpty {
            let opened = try vault.open(readOnly: true)
            identities = [opened.owner.ageIdentity()]
            keyDescription = "this vault's age recipient (\(opened.ageRecipient))"
        } else {
            for path in identityFiles { identities += try AgeCLI.identities(from: path) }
            keyDescription = identityFiles.count == 1 ? "the identity in \(identityFiles[0])" : "any of the identity files given"
        }
        try destination.write(describing: { error in
            guard error == .noMatch else { return error }
            return CommandError(.invalidInput, "no identity matches: the file was not encrypted to \(keyDescription)",
                                 hint: "check that the sender used your age1… recipient ('casebook whoami' shows the vault's)")
        }) { (sink: inout FileDescriptorSink) throws(AgeError) in
            var reader = FileDescriptorSource(fileDescriptor: source.fileDescriptor)
            try Age.decrypt(from: &reader, to: &sink, identities: identities)
        }
    }
}

/// Parsing keys and files for the age commands (ErrorClassifier turns age failures into exit statuses).
enum AgeCLI {
    static func recipient(_ text: String) throws -> AgeX25519Recipient {
        do {
            return try AgeX25519Recipient(encoded: text)
        } catch .unsupportedRecipientType(let type) {
            throw CommandError(.invalidInput,
                                "unsupported recipient type '\(type)' (-r \(abbreviate(text))): Casebook encrypts only to X25519 age1… recipients",
                                hint: "ask the recipient for an X25519 recipient (age-keygen -y, or 'casebook whoami'), or use the reference age")
        } catch {
            throw CommandError(.invalidInput, "-r \(abbreviate(text)): \(error.message)", hint: error.hint)
        }
    }

    static func identities(from path: String) throws -> [AgeX25519Identity] {
        let contents = try SecretInput.readFile(path, limit: 64 * 1024, what: "identity file")
        do {
            return try AgeIdentityFile.parse(contents)
        } catch {
            let place = error.line.map { "line \($0) of " } ?? ""
            throw CommandError(.invalidInput, "\(place)the identity file \(path) \(error.message)",
                                hint: "an age identity file holds AGE-SECRET-KEY-1… lines, as age-keygen writes them")
        }
    }

    static func abbreviate(_ text: String) -> String {
        text.count <= 24 ? text : String(text.prefix(20)) + "…"
    }
}

/// The input of an age command: a file opened read-only, or standard input.
struct AgeInput {
    let fileDescriptor: Int32
    private let owned: Bool

    init(path: String?) throws {
        guard let path, path != "-" else {
            fileDescriptor = STDIN_FILENO
            owned = false
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw CommandError(.notFound, "cannot read \(path): \(reason)")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            Platform.close(fd)
            throw CommandError(.notFound, "cannot read \(path): it is a folder")
        }
        fileDescriptor = fd
        owned = true
    }

    func close() {
        if owned { Platform.close(fileDescriptor) }
    }
}

/// Where an age command writes: standard output, or a new file that only appears once
/// everything was written (`UnfinishedFile`: unnamed while written where the filesystem
/// allows, else under a hidden, locked temporary name in the same folder), then linked to
/// its name, which fails if something appeared there meanwhile: nothing is ever
/// overwritten. On any failure, or on SIGINT/SIGTERM/SIGHUP, a temporary name is removed;
/// after SIGKILL, an unnamed file vanishes with the process, and a named one is removed by
/// the next write into that folder. No partial plaintext is left behind.
struct AgeOutput {
    let path: String?

    var isStandardOutput: Bool { path == nil }

    /// Refuses at once if `path` exists, before any work (or passphrase prompt).
    init(path: String?) throws {
        self.path = path == "-" ? nil : path
        if let target = self.path { try ExclusiveFile.checkAbsent(target) }
    }

    /// Runs `body` with a sink on the destination and completes (or discards) it.
    func write(describing describe: (AgeError) -> any Error = { $0 },
               _ body: (inout FileDescriptorSink) throws(AgeError) -> Void) throws {
        guard let path else {
            var sink = FileDescriptorSink(fileDescriptor: STDOUT_FILENO)
            do throws(AgeError) { try body(&sink) } catch { throw describe(error) }
            return
        }
        let file = try UnfinishedFile.create(for: path)
        if let temporary = file.temporary { PendingFile.register(temporary) }
        var published = false
        defer {
            if published { file.close() } else { file.discard() }
            PendingFile.clear()
        }
        guard fchmod(file.descriptor, 0o600) == 0 else { throw CommandError(.environment, "cannot set the mode of the file for \(path)") }
        var sink = FileDescriptorSink(fileDescriptor: file.descriptor)
        do throws(AgeError) { try body(&sink) } catch { throw describe(error) }
        guard fsync(file.descriptor) == 0 else {
            throw CommandError(.environment, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        try file.publish()
        published = true
    }
}

/// The output file (or its temporary) to delete if the process is interrupted.
enum PendingFile {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var installed = false

    static func register(_ temporary: String) {
        path = strdup(temporary)
        if !installed {
            installed = true
            for signal in [SIGINT, SIGTERM, SIGHUP] { Platform.signal(signal, removePendingFileOnSignal) }
        }
    }

    static func clear() {
        let old = path
        path = nil
        free(old)
    }

    /// Runs `body`, which creates the file at `path` together with its audit event in one
    /// transaction; if the process is interrupted meanwhile, the file is removed, so no
    /// package, bundle or override file is left behind without its event.
    static func whileCreating<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        register(path)
        defer { clear() }
        return try body()
    }
}

/// Async-signal-safe: unlink, restore the default action, re-raise.
private func removePendingFileOnSignal(_ signal: Int32) {
    if let path = PendingFile.path { unlink(path) }
    Platform.signal(signal, SIG_DFL)
    raise(signal)
}
