public import Foundation

/// Creating new files: exclusive create (never overwriting an existing file), a mode that
/// is private to the owner unless the contents are public, written in full and synced, or
/// removed again. Every file Casebook writes goes through here: this is the one home of
/// "never overwrite an output file".
public enum ExclusiveFile {
    public static let overwriteHint = "choose a new file name; Casebook does not overwrite files"

    /// Refuses at once when something (even a dangling link) is at `path`, so a command
    /// fails before asking for a passphrase or doing work; creation checks again, atomically.
    public static func checkAbsent(_ path: String) throws(CasebookError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            throw CasebookError(.alreadyExists, "\(path) already exists", hint: overwriteHint)
        }
    }

    /// Gives the complete file at `temporary` (in the same folder) its name `path` without
    /// overwriting: a hard link, which fails if something appeared there meanwhile, or on
    /// filesystems without links a rename after checking nothing is there. `temporary` is
    /// left for the caller to remove on failure.
    public static func publish(_ temporary: String, as path: String) throws(CasebookError) {
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST {
                throw CasebookError(.alreadyExists, "\(path) already exists (it appeared while Casebook was writing)",
                                    hint: overwriteHint)
            }
            var info = stat()
            guard lstat(path, &info) != 0, rename(temporary, path) == 0 else {
                throw CasebookError(.environment, "cannot create \(path): \(String(cString: strerror(code)))")
            }
        } else {
            unlink(temporary)
        }
    }

    /// The open descriptor of the new file at `url`; `.alreadyExists` if something is there.
    static func create(_ url: URL, mode: mode_t = 0o600, hint: String = overwriteHint) throws(CasebookError) -> Int32 {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw CasebookError(.alreadyExists, "\(url.path) already exists", hint: hint)
            }
            throw CasebookError(.environment, "cannot create \(url.path)")
        }
        return fd
    }

    /// Writes `bytes` to a new file at `url` with `mode` and syncs it; on any failure the
    /// partly written file is removed, so a file either exists whole or not at all.
    public static func write(_ bytes: UnsafeRawBufferPointer, to url: URL, mode: mode_t = 0o600,
                             hint: String = overwriteHint) throws(CasebookError) {
        let fd = try create(url, mode: mode, hint: hint)
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(fd, bytes.baseAddress!.advanced(by: offset), bytes.count - offset)
            if written <= 0 { break }
            offset += written
        }
        guard offset == bytes.count, fsync(fd) == 0 else {
            unlink(url.path)
            throw CasebookError(.environment, "cannot write \(url.path)")
        }
    }

    /// `write` for bytes that are not secret (identity cards, checkpoints): mode `0644`.
    public static func writePublic(_ bytes: [UInt8], to url: URL) throws {
        try bytes.withUnsafeBytes { raw in try write(raw, to: url, mode: 0o644) }
    }
}
