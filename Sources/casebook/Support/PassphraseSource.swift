#if canImport(Glibc)
import Glibc
#endif
import CasebookCore
import CasebookCrypto
import Foundation

/// Reads a passphrase into secure memory from a file, an environment variable
/// (automation) or the controlling terminal with echo off, in that order.
enum PassphraseSource {
    static let maximumLength = 1024

    static func read(file: String?, environment: String, prompt: String, confirm: Bool = false) throws -> SecureBytes {
        if let file {
            guard var contents = FileManager.default.contents(atPath: file).map(Array.init) else {
                throw CasebookError(.notFound, "cannot read the passphrase file \(file)")
            }
            defer { Memory.wipe(&contents) }
            var line = Array(contents.prefix { $0 != 10 })
            if line.last == 13 { line.removeLast() }
            return try checked(&line)
        }
        if let value = ProcessInfo.processInfo.environment[environment] {
            var bytes = Array(value.utf8)
            return try checked(&bytes)
        }
        let first = try Terminal.readSecret(prompt: prompt)
        if confirm {
            let second = try Terminal.readSecret(prompt: "Repeat the passphrase: ")
            guard first.constantTimeEquals(second) else {
                throw CasebookError(.invalidInput, "the two passphrases differ; nothing was changed")
            }
        }
        return first
    }

    private static func checked(_ bytes: inout [UInt8]) throws -> SecureBytes {
        guard !bytes.isEmpty else {
            Memory.wipe(&bytes)
            throw CasebookError(.invalidInput, "the passphrase is empty")
        }
        guard bytes.count <= maximumLength else {
            Memory.wipe(&bytes)
            throw CasebookError(.invalidInput, "the passphrase is longer than \(maximumLength) bytes")
        }
        return SecureBytes(consuming: &bytes)
    }
}

/// The controlling terminal, used for secrets so that standard input stays free
/// for documents.
enum Terminal {
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func readSecret(prompt: String) throws -> SecureBytes {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            throw CasebookError(.environment, "no terminal to ask for the passphrase",
                                hint: "use --passphrase-file FILE, or set CASEBOOK_PASSPHRASE for automation")
        }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else {
            throw CasebookError(.environment, "cannot configure the terminal to read a passphrase")
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ICANON)
        _ = tcsetattr(fd, TCSAFLUSH, &silent)
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            _ = write(fd, "\n", 1)
        }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var buffer = [UInt8](repeating: 0, count: PassphraseSource.maximumLength + 2)
        defer { Memory.wipe(&buffer) }
        var length = 0
        while length < buffer.count {
            var byte: UInt8 = 0
            let got = Glibc.read(fd, &byte, 1)
            if got <= 0 || byte == 10 { break }
            buffer[length] = byte
            length += 1
            byte = 0
        }
        guard length <= PassphraseSource.maximumLength else {
            throw CasebookError(.invalidInput, "the passphrase is longer than \(PassphraseSource.maximumLength) bytes")
        }
        guard length > 0 else { throw CasebookError(.invalidInput, "the passphrase is empty") }
        var secret = Array(buffer[0..<length])
        return SecureBytes(consuming: &secret)
    }
}
