#if canImport(Glibc)
import Glibc
#endif
import CasebookCore
import Foundation

/// Edits a document in `$VISUAL`/`$EDITOR` without plaintext touching persistent
/// disk: the file lives in a fresh 0700 folder on an in-memory filesystem
/// (`/dev/shm`, or `$CASEBOOK_EDIT_DIR` if that is tmpfs/ramfs), is overwritten
/// with zeros and removed afterwards. Without an in-memory filesystem it refuses.
enum EditorSession {
    static let tmpfsMagic: Int = 0x0102_1994
    static let ramfsMagic: Int = 0x8584_58F6

    static func edit(_ initial: String, name: String = "note.md") throws -> String {
        let base = ProcessInfo.processInfo.environment["CASEBOOK_EDIT_DIR"] ?? "/dev/shm"
        guard isMemoryBacked(base) else {
            throw CasebookError(.environment, "no private in-memory folder for editing (\(base) is missing or not tmpfs)",
                                hint: "write the note to standard input or --file instead; Casebook will not put plaintext on disk")
        }
        guard let editor = ["VISUAL", "EDITOR"].lazy.compactMap({ ProcessInfo.processInfo.environment[$0] }).first(where: { !$0.isEmpty }) else {
            throw CasebookError(.environment, "no editor: set $EDITOR (or $VISUAL)",
                                hint: "or pipe the document on standard input, or use --file")
        }
        var template = Array("\(base)/casebook-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CasebookError(.environment, "cannot create a private folder in \(base)")
        }
        let folder = String(cString: made)
        chmod(folder, 0o700)
        let path = folder + "/" + name
        defer { shred(path); rmdir(folder) }
        try write(initial, to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "casebook-editor", path]
        do {
            try process.run()
        } catch {
            throw CasebookError(.environment, "cannot start the editor '\(editor)'")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CasebookError(.environment, "the editor exited with status \(process.terminationStatus); nothing was stored")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CasebookError(.environment, "the edited file disappeared; nothing was stored")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func isMemoryBacked(_ path: String) -> Bool {
        var info = statfs()
        guard statfs(path, &info) == 0 else { return false }
        let type = Int(info.f_type)
        return type == tmpfsMagic || type == ramfsMagic
    }

    private static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CasebookError(.environment, "cannot create the editing file") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw CasebookError(.environment, "cannot write the editing file") }
    }

    /// Overwrites the file's bytes with zeros before unlinking it (editors may
    /// have replaced the inode; whatever is at the path now is wiped).
    private static func shred(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0, info.st_size > 0 {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                let zeros = [UInt8](repeating: 0, count: Int(info.st_size))
                _ = zeros.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                fsync(fd)
                close(fd)
            }
        }
        unlink(path)
        // Editors' backup and swap files in the same private folder.
        if let leftovers = try? FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) {
            for name in leftovers { shred((path as NSString).deletingLastPathComponent + "/" + name) }
        }
    }
}
