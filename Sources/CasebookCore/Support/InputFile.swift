public import CasebookFormat
import Foundation

/// A file that comes from outside (a handover, an import file, a card, an override file, a
/// draft), opened once and read only through that descriptor. Its size is taken with `fstat`
/// on the opened descriptor before anything is read — not with a `stat` of the path, which
/// could name another file by the time it is opened — so an oversized file is refused
/// without reading it. Whatever size it reported, `readAll` stops one byte past its limit,
/// so a pipe, a device or a file that grows meanwhile cannot make Casebook hold more either.
/// docs/limits.md lists every command's limit.
public final class InputFile {
    public let path: String
    public let fileDescriptor: Int32
    /// The size `fstat` reported for a regular file; nil for a pipe, a terminal or a device.
    public let size: Int?
    private let owned: Bool

    /// Opens `path` for reading; `what` names it in messages ("the card file").
    /// A missing, unreadable or folder path is `.notFound`: "cannot read …".
    public init(path: String, what: String? = nil) throws(CasebookError) {
        let name = what.map { "the \($0) \(path)" } ?? path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CasebookError(.notFound, "cannot read \(name): \(errno == ENOENT ? "no such file" : String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CasebookError(.notFound, "cannot read \(name): \(reason)")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw CasebookError(.notFound, "cannot read \(name): it is a folder")
        }
        self.path = path
        fileDescriptor = fd
        size = info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : nil
        owned = true
    }

    private init(standardInput: Void) {
        path = "standard input"
        fileDescriptor = STDIN_FILENO
        var info = stat()
        size = fstat(STDIN_FILENO, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : nil
        owned = false
    }

    /// Standard input (not closed afterwards). Its size is known only when it is redirected from a file.
    public static func standardInput() -> InputFile { InputFile(standardInput: ()) }

    deinit {
        if owned { close(fileDescriptor) }
    }

    /// Throws `refusal` when `fstat` reported more than `limit` bytes; reads nothing.
    public func checkSize(atMost limit: Int, else refusal: @autoclosure () -> CasebookError) throws(CasebookError) {
        if let size, size > limit { throw refusal() }
    }

    /// The whole file, refused with `refusal` (before reading, when `fstat` knows the size)
    /// once it holds more than `limit` bytes: at most `limit + 1` bytes are ever read.
    public func readAll(atMost limit: Int, else refusal: @autoclosure () -> CasebookError) throws(CasebookError) -> [UInt8] {
        try checkSize(atMost: limit, else: refusal())
        // One byte beyond the reported size shows the end (or that the file grew).
        var bytes = [UInt8](repeating: 0, count: min(limit, size ?? 64 * 1024) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= limit else { throw refusal() }
                bytes.append(contentsOf: repeatElement(0, count: min(limit + 1, 2 * count) - count))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fileDescriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got == 0 { break }
            guard got > 0 else {
                if errno == EINTR { continue }
                throw CasebookError(.notFound, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            count += got
            guard count <= limit else { throw refusal() }
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The descriptor as a stream, for readers that never hold the whole file (age).
    public var source: FileDescriptorSource { FileDescriptorSource(fileDescriptor: fileDescriptor) }

    /// `bytes` in words: "256 MiB", "64 KiB" or "1000 bytes".
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
