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

    /// True when `path` is a folder on tmpfs or ramfs, judged from the kernel's mount
    /// table (`/proc/self/mountinfo`): the longest mount point containing the path wins.
    static func isMemoryBacked(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let resolved = realpath(path, nil) else { return false }
        let absolute = String(cString: resolved)
        free(resolved)
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        var best: (length: Int, type: String)?
        for line in table.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            let fields = halves[0].split(separator: " ")
            guard halves.count == 2, fields.count >= 5, let type = halves[1].split(separator: " ").first else { continue }
            let mountPoint = String(fields[4]).replacingOccurrences(of: "\\040", with: " ")
            let contains = absolute == mountPoint || mountPoint == "/" || absolute.hasPrefix(mountPoint + "/")
            if contains, mountPoint.count >= (best?.length ?? -1) { best = (mountPoint.count, String(type)) }
        }
        return best.map { $0.type == "tmpfs" || $0.type == "ramfs" } ?? false
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
