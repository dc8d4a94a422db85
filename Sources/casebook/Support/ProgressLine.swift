import Foundation

/// Progress of long operations on standard error, only when it is a terminal
/// (scripts and CI see nothing).
enum ProgressLine {
    static let enabled = isatty(STDERR_FILENO) == 1

    static func reporter(_ label: String) -> ((Int, Int) -> Void)? {
        guard enabled else { return nil }
        return { done, total in
            FileHandle.standardError.write(Data("\r\(label) \(done)/\(total)".utf8))
        }
    }

    static func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
