import CasebookCore
import CasebookCrypto
import Foundation

/// Reads a passphrase into secure memory from a file, an environment variable
/// (automation) or the controlling terminal with echo off, in that order. The
/// secret is copied straight into `sodium_malloc` memory, never into a String.
enum PassphraseSource {
    static let maximumLength = 1024

    static func read(file: String?, environment: String, prompt: String, confirm: Bool = false) throws -> SecureBytes {
        if let file {
            let contents = try SecretInput.readFile(file, limit: 64 * 1024, what: "passphrase file")
            let end = contents.withUnsafeBytes { raw -> Int in
                var end = raw.firstIndex(of: 10) ?? raw.count
                if end > 0, raw[end - 1] == 13 { end -= 1 }
                return end
            }
            return try checked(contents.extracting(0..<end))
        }
        if let value = getenv(environment) {
            let length = strlen(value)
            let secret = SecureBytes(copying: UnsafeRawBufferPointer(start: value, count: length))
            return try checked(secret)
        }
        let first = try Terminal.readSecret(prompt: prompt)
        if confirm {
            let second = try Terminal.readSecret(prompt: "Repeat the passphrase: ")
            guard first.constantTimeEquals(second) else {
                throw CommandError(.invalidInput, "the two passphrases differ; nothing was changed")
            }
        }
        return first
    }

    private static func checked(_ secret: consuming SecureBytes) throws -> SecureBytes {
        guard secret.count > 0 else { throw CommandError(.invalidInput, "the passphrase is empty") }
        guard secret.count <= maximumLength else {
            throw CommandError(.invalidInput, "the passphrase is longer than \(maximumLength) bytes")
        }
        return secret
    }
}

/// Files that hold secrets, read with POSIX calls straight into secure memory.
enum SecretInput {
    static func readFile(_ path: String, limit: Int, what: String) throws -> SecureBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CommandError(.notFound, "cannot read the \(what) \(path)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw CommandError(.invalidInput, "the \(what) \(path) is not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= limit else { throw CommandError(.invalidInput, "the \(what) \(path) is too large") }
        var secret = SecureBytes(count: size)
        let complete = secret.withUnsafeMutableBytes { buffer -> Bool in
            var offset = 0
            while offset < size {
                let got = Platform.read(fd, buffer.baseAddress!.advanced(by: offset), size - offset)
                if got <= 0 { return false }
                offset += got
            }
            return true
        }
        guard complete else { throw CommandError(.environment, "cannot read the \(what) \(path)") }
        return secret
    }
}

/// The controlling terminal, used for secrets so that standard input stays free
/// for documents.
enum Terminal {
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// True when a person can be asked something on /dev/tty.
    static var isAvailable: Bool {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    static func readSecret(prompt: String) throws -> SecureBytes {
        var endOfInput = false
        return try read(prompt: prompt, echo: false, endOfInput: &endOfInput)
    }

    /// One visible, non-secret line from the terminal; nil at end of input (Ctrl-D).
    static func readLine(prompt: String) throws -> String? {
        var endOfInput = false
        let line = try read(prompt: prompt, echo: true, endOfInput: &endOfInput)
        if endOfInput { return nil }
        return line.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads one line from the terminal into secure memory; `endOfInput` tells whether
    /// the terminal closed before anything was typed.
    static func read(prompt: String, echo: Bool, endOfInput: inout Bool) throws -> SecureBytes {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            throw CommandError(.environment, "no terminal to ask for the passphrase",
                                hint: "use --passphrase-file FILE, or set CASEBOOK_PASSPHRASE for automation")
        }
        defer { close(fd) }
        var saved = termios()
        let isTTY = tcgetattr(fd, &saved) == 0
        if isTTY, !echo {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ICANON)
            _ = tcsetattr(fd, TCSAFLUSH, &silent)
        }
        defer {
            if isTTY, !echo {
                _ = tcsetattr(fd, TCSAFLUSH, &saved)
                _ = write(fd, "\n", 1)
            }
        }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var line = SecureBytes(count: PassphraseSource.maximumLength + 1)
        var sawNewline = false
        let length = line.withUnsafeMutableBytes { buffer -> Int in
            var length = 0
            var byte: UInt8 = 0
            while Platform.read(fd, &byte, 1) == 1 {
                if byte == 10 { sawNewline = true; break }
                if length < buffer.count { buffer[length] = byte }
                length += 1
            }
            byte = 0
            return length
        }
        guard length <= PassphraseSource.maximumLength else {
            throw CommandError(.invalidInput, "the input is longer than \(PassphraseSource.maximumLength) bytes")
        }
        endOfInput = !sawNewline && length == 0
        return line.extracting(0..<length)
    }
}
