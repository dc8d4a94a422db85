#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads from an open POSIX file descriptor (a file, pipe or standard input).
/// The descriptor is borrowed: it is neither duplicated nor closed.
public struct FileDescriptorSource: ByteSource, Sendable {
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(fileDescriptor, base, buffer.count)
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            throw AgeError.io("reading the input failed: \(describe(errno: code))")
        }
    }
}

/// Writes to an open POSIX file descriptor, retrying short and interrupted writes.
/// The descriptor is borrowed: it is neither duplicated nor closed.
public struct FileDescriptorSink: ByteSink, Sendable {
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = systemWrite(fileDescriptor, base + offset, bytes.count - offset)
            if count > 0 {
                offset += count
                continue
            }
            let code = errno
            if count < 0 && code == EINTR { continue }
            throw AgeError.io("writing the output failed: \(count == 0 ? "no progress" : describe(errno: code))")
        }
    }
}

// File-scope wrappers, so the POSIX functions are not shadowed by the methods above.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func describe(errno code: Int32) -> String {
    if let text = strerror(code) { return String(cString: text) }
    return "error \(code)"
}
