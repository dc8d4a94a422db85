import CasebookCore
import Foundation

/// A file named on the command line (`age decrypt -o`) that appears under its name only
/// once complete, never replacing anything. Where the filesystem allows, it has no name at
/// all while it is written (`Platform.openUnnamedFile`), so a process killed even by
/// SIGKILL leaves nothing behind. Elsewhere it is written under a hidden name beside the
/// target, `.NAME.casebook-XXXXXX` (`mkstemp`), that its writer holds locked (`flock`) until
/// it is published or removed: such a file that no process holds is the leftover of a
/// killed run (or of a Casebook before this one, which did not lock), and the next write
/// into that folder removes it.
struct UnfinishedFile {
    let descriptor: Int32
    let target: String
    /// The hidden name, or nil for a file without a name.
    let temporary: String?

    /// Creates the file for `target`, first removing the leftovers of killed runs in its
    /// folder (each reported on standard error).
    static func create(for target: String) throws -> UnfinishedFile {
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        for removed in removeLeftovers(in: folder) {
            FileHandle.standardError.write(Data("casebook: warning: removed \(removed), a partial output file an interrupted run left behind\n".utf8))
        }
        if let fd = Platform.openUnnamedFile(in: folder) {
            return UnfinishedFile(descriptor: fd, target: target, temporary: nil)
        }
        return try createNamed(for: target, in: folder)
    }

    /// The hidden, locked temporary file, for filesystems without unnamed files.
    static func createNamed(for target: String, in folder: String) throws -> UnfinishedFile {
        let name = URL(fileURLWithPath: target).lastPathComponent
        for _ in 0..<8 {
            var template = Array("\(folder)/.\(name).casebook-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw CommandError(.environment, "cannot create a file in \(folder): \(String(cString: strerror(errno)))")
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // Between mkstemp and the lock, a cleaner may have taken the file for a leftover:
            // it is ours only if we hold the lock and it still has its name.
            if flock(fd, LOCK_EX | LOCK_NB) == 0, isStillNamed(fd, temporary) {
                return UnfinishedFile(descriptor: fd, target: target, temporary: temporary)
            }
            Platform.close(fd)
        }
        throw CommandError(.environment, "cannot create a file in \(folder): its temporary files keep disappearing")
    }

    /// Removes every `.NAME.casebook-XXXXXX` file of this user in `folder` that no process
    /// holds locked; returns their paths.
    static func removeLeftovers(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where isTemporaryName(name) {
            let path = folder + "/" + name
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { Platform.close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
                  flock(fd, LOCK_EX | LOCK_NB) == 0,  // held: a writer is alive
                  isStillNamed(fd, path), unlink(path) == 0 else { continue }
            removed.append(path)
        }
        return removed
    }

    /// The temporary name `createNamed` makes: `.`, the target's name, `.casebook-`, six
    /// letters or digits.
    static func isTemporaryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8), marker = Array(".casebook-".utf8)
        guard bytes.count >= 1 + 1 + marker.count + 6, bytes[0] == UInt8(ascii: "."),
              Array(bytes[(bytes.count - 6 - marker.count)..<(bytes.count - 6)]) == marker else { return false }
        return bytes.suffix(6).allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// True when `path` is still the name of the open file `fd`.
    private static func isStillNamed(_ fd: Int32, _ path: String) -> Bool {
        var open = stat(), named = stat()
        return fstat(fd, &open) == 0 && lstat(path, &named) == 0 && open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// Gives the complete file its name, never overwriting; the descriptor stays open.
    func publish() throws {
        if let temporary {
            try ExclusiveFile.publish(temporary, as: target)
            return
        }
        let code = Platform.linkUnnamedFile(descriptor, as: target)
        if code == EEXIST {
            throw CasebookError(.alreadyExists, "\(target) already exists (it appeared while Casebook was writing)",
                                hint: ExclusiveFile.overwriteHint)
        }
        guard code == 0 else { throw CommandError(.environment, "cannot create \(target): \(String(cString: strerror(code)))") }
    }

    /// Removes the unfinished file (an unnamed one goes when it is closed).
    func discard() {
        if let temporary { unlink(temporary) }
        Platform.close(descriptor)
    }

    func close() {
        Platform.close(descriptor)
    }
}
