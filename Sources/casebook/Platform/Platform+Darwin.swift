#if canImport(Darwin)
import Darwin
import Foundation

/// The macOS side of `Platform` (see Platform+Linux.swift for the API).
enum Platform {
    static func disableCoreDumps() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(RLIMIT_CORE, &none)
    }

    /// macOS reports `ru_maxrss` in bytes.
    static func peakResidentKiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss / 1024
    }

    /// macOS has no /dev/shm and no tmpfs: there is no default in-memory folder, so the
    /// editor needs `$CASEBOOK_EDIT_DIR`.
    static let defaultEditFolder: String? = nil

    /// Only a filesystem that statfs names `tmpfs` counts. A RAM disk made with
    /// `hdiutil attach ram://…` reports `hfs` or `apfs`, which statfs cannot tell from a
    /// disk, so it is refused rather than trusted.
    static func inMemoryFolderProblem(_ folder: String) -> String? {
        var info = statfs()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              statfs(folder, &info) == 0 else { return "\(folder) is missing" }
        let type = withUnsafeBytes(of: info.f_fstypename) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return type == "tmpfs" ? nil : "\(folder) is on \(type), not tmpfs"
    }

    /// macOS has no unnamed files (`O_TMPFILE`): output is written under a hidden, locked
    /// temporary name instead (see `UnfinishedFile`).
    static func openUnnamedFile(in folder: String) -> Int32? { nil }

    static func linkUnnamedFile(_ fd: Int32, as path: String) -> Int32 { ENOTSUP }

    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
    static func close(_ fd: Int32) { _ = Darwin.close(fd) }
    @discardableResult
    static func signal(_ number: Int32, _ handler: SignalHandler?) -> SignalHandler? { Darwin.signal(number, handler) }
    typealias SignalHandler = sig_t
}
#endif
