import Foundation
import CasebookCore

/// The vault folder is `0700` and `vault.db` `0600` (docs/vault-format.md §2), checked on
/// every open. A folder or database that other users can write is refused: any of them
/// could replace or edit the vault (roll it back, swap rows) without the passphrase. One
/// they can only read (or, for the folder, enter) is used with a warning: what it holds is
/// encrypted, but its size, row counts and times are not, and a copy can be attacked
/// offline at leisure.
enum VaultFilePermissions {
    /// What others may do with the folder and the database. Throws for writing; returns a
    /// warning for each file others may read, with the command that fixes it.
    static func check(folder: URL, database: URL) throws(CasebookError) -> [String] {
        var warnings: [String] = []
        // The folder is readable when others may list or enter it, the database when they may read it.
        let files: [(path: String, what: String, mode: String, readable: mode_t)] = [
            (folder.path, "the vault folder", "700", 0o055), (database.path, "the vault database", "600", 0o044)]
        for (path, what, mode, readable) in files {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw CasebookError(.environment, "cannot read the permissions of \(path): \(String(cString: strerror(errno)))")
            }
            let permissions = info.st_mode & 0o777
            let shown = String(permissions, radix: 8).leftPadded(to: 4)
            if permissions & 0o022 != 0 {
                throw CasebookError(.environment, "\(what) \(path) is writable by other users (mode \(shown)); Casebook will not use it",
                                    hint: "if only you could have changed it, run 'chmod \(mode) \(path)'; otherwise restore the vault from a backup")
            }
            if permissions & readable != 0 {
                warnings.append("\(what) \(path) can be read by other users (mode \(shown)): run 'chmod \(mode) \(path)'")
            }
        }
        return warnings
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
