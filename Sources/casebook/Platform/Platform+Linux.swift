#if canImport(Glibc)
import Glibc
import Foundation

/// The few calls whose names, types or meaning differ between Linux and macOS; the
/// Darwin file exposes the same API. Everything else is plain POSIX.
enum Platform {
    /// No core dumps: they would hold keys and plaintext.
    static func disableCoreDumps() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
    }

    /// The process's peak resident memory in KiB (Linux reports `ru_maxrss` in KiB).
    static func peakResidentKiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }

    /// Where the editor's private folder goes when `$CASEBOOK_EDIT_DIR` is not set.
    static let defaultEditFolder: String? = "/dev/shm"

    /// Why `folder` cannot hold plaintext drafts, or nil when it is on tmpfs or ramfs.
    static func inMemoryFolderProblem(_ folder: String) -> String? {
        isMemoryBacked(folder) ? nil : "\(folder) is missing or not tmpfs"
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

    /// A new, empty file with no name in `folder` (`O_TMPFILE`), open for writing, that
    /// `linkUnnamedFile` names once it is complete: until then no other process can find it,
    /// and if this one dies, even by SIGKILL, the kernel discards it. Nil where the kernel or
    /// the filesystem has no unnamed files, or `/proc` (through which it is named) is missing.
    static func openUnnamedFile(in folder: String) -> Int32? {
        // glibc's O_TMPFILE is its __O_TMPFILE (O_DIRECTORY included), which Swift imports
        // only under that name.
        let fd = open(folder, __O_TMPFILE | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard access("/proc/self/fd/\(fd)", F_OK) == 0 else {
            _ = Glibc.close(fd)
            return nil
        }
        return fd
    }

    /// Gives the unnamed file `fd` the name `path`, never replacing anything there
    /// (`linkat` of `/proc/self/fd/N`, which fails with `EEXIST`): 0, or the error number.
    static func linkUnnamedFile(_ fd: Int32, as path: String) -> Int32 {
        linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno
    }

    // POSIX calls under names that methods called `read`, `write`, `close` or `signal` cannot shadow.

    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
    static func close(_ fd: Int32) { _ = Glibc.close(fd) }
    /// Sets the action for `number`; returns the previous one.
    @discardableResult
    static func signal(_ number: Int32, _ handler: SignalHandler?) -> SignalHandler? { Glibc.signal(number, handler) }
    typealias SignalHandler = __sighandler_t
}
#endif
