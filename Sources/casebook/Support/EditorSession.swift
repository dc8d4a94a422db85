import CasebookCore
import CasebookCrypto
import Foundation

/// Edits a document in `$VISUAL`/`$EDITOR` without plaintext touching persistent
/// disk: the file lives in a fresh 0700 folder on an in-memory filesystem
/// (`$CASEBOOK_EDIT_DIR` if that is tmpfs/ramfs, else `/dev/shm` on Linux; macOS has no
/// default, see `Platform.defaultEditFolder`), and everything in
/// that folder is overwritten with zeros and removed afterwards — also when the
/// editor fails or the terminal sends an interrupt. Without an in-memory filesystem
/// it refuses.
enum EditorSession {
    /// Opens the editor on `initial` and returns `accept(text)`. When `accept` throws
    /// (the document is invalid) and a person is at the terminal, the error is shown
    /// and the same draft can be corrected instead of being lost.
    static func edit<T>(_ initial: String, accept: (String) throws -> T) throws -> T {
        let refusal = "write the note to standard input or --file instead; Casebook will not put plaintext on disk"
        guard let base = ProcessInfo.processInfo.environment["CASEBOOK_EDIT_DIR"] ?? Platform.defaultEditFolder else {
            throw CommandError(.environment, "no private in-memory folder for editing (this system has no tmpfs; CASEBOOK_EDIT_DIR is not set)",
                                hint: refusal)
        }
        if let problem = Platform.inMemoryFolderProblem(base) {
            throw CommandError(.environment, "no private in-memory folder for editing (\(problem))", hint: refusal)
        }
        guard let editor = ["VISUAL", "EDITOR"].lazy.compactMap({ ProcessInfo.processInfo.environment[$0] }).first(where: { !$0.isEmpty }) else {
            throw CommandError(.environment, "no editor: set $EDITOR (or $VISUAL)",
                                hint: "or pipe the document on standard input, or use --file")
        }
        var template = Array("\(base)/casebook-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError(.environment, "cannot create a private folder in \(base)")
        }
        let folder = String(cString: made)
        chmod(folder, 0o700)
        let path = folder + "/note.md"
        // Interrupts are ignored for the whole session (the editor, in the same process
        // group, still receives them), so the private folder is always wiped.
        let signals = [SIGINT, SIGQUIT, SIGHUP, SIGTERM]
        let previous = signals.map { Platform.signal($0, SIG_IGN) }
        defer {
            wipeFolder(folder)
            for (number, handler) in zip(signals, previous) { Platform.signal(number, handler) }
        }
        try write(initial, to: path)
        while true {
            try runEditor(editor, on: path)
            guard let input = try? InputFile(path: path) else {
                throw CommandError(.environment, "the edited file disappeared; nothing was stored")
            }
            do {
                return try accept(try DocumentInput.text(of: input, named: "the edited note"))
            } catch where ErrorClassifier.classify(error).status == .invalidInput && Terminal.isAvailable {
                let error = ErrorClassifier.classify(error)
                FileHandle.standardError.write(Data("casebook: error: \(error.message)\n".utf8))
                let answer = try Terminal.readLine(prompt: "Press Enter to correct it in the editor, or type q to discard it: ")
                // End of input (Ctrl-D) discards too, so a closed terminal cannot loop.
                let discard = answer.map { $0.lowercased().hasPrefix("q") } ?? true
                if discard { throw CommandError(.invalidInput, "\(error.message) (draft discarded)", hint: error.hint) }
            }
        }
    }

    /// Runs the editor; its environment carries no passphrase.
    private static func runEditor(_ editor: String, on path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "casebook-editor", path]
        var environment = ProcessInfo.processInfo.environment
        for name in ["CASEBOOK_PASSPHRASE", "CASEBOOK_NEW_PASSPHRASE"] { environment[name] = nil }
        process.environment = environment
        do {
            try process.run()
        } catch {
            throw CommandError(.environment, "cannot start the editor '\(editor)'")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw CommandError(.environment, "the editor exited with status \(process.terminationStatus); nothing was stored")
        }
    }

    /// The draft, created exclusively (`0600`) in the fresh private folder.
    private static func write(_ text: String, to path: String) throws {
        do {
            try Array(text.utf8).withUnsafeBytes { try ExclusiveFile.write($0, to: URL(fileURLWithPath: path)) }
        } catch {
            throw CommandError(.environment, "cannot create the editing file")
        }
    }

    /// Overwrites every regular file under `folder` (the draft, and editors' swap and
    /// backup files) with zeros, then removes the folder.
    static func wipeFolder(_ folder: String) {
        if let walker = FileManager.default.enumerator(atPath: folder) {
            for case let name as String in walker {
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { continue }
                let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
                guard fd >= 0 else { continue }
                let zeros = [UInt8](repeating: 0, count: Int(info.st_size))
                _ = zeros.withUnsafeBytes { Platform.write(fd, $0.baseAddress, $0.count) }
                fsync(fd)
                close(fd)
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
