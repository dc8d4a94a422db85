import Foundation

/// Opening a new file for writing: exclusive create (never overwriting), mode `0600`, so
/// that what Casebook writes is private to its owner from the first byte.
enum ExclusiveFile {
    /// The open descriptor of the new file at `url`; `.alreadyExists` if something is there.
    static func create(_ url: URL) throws(CasebookError) -> Int32 {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw CasebookError(.alreadyExists, "\(url.path) already exists", hint: "choose a new file name; Casebook does not overwrite files")
            }
            throw CasebookError(.environment, "cannot create \(url.path)")
        }
        return fd
    }
}
