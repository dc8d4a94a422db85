public import Foundation

/// The built binary run as a child whose peak resident memory is its own. A child started
/// from the test process cannot simply be measured with `wait4`: on Linux `posix_spawn` (and
/// `fork`) run the child in the parent's memory, or a copy of it, until it execs, and the
/// kernel carries that memory's high-water mark into the child's `ru_maxrss` — the test
/// process's size, hundreds of MiB in a full run, not the command's. So the command is
/// started by a small `/bin/sh`, which forks it from its own small memory, with
/// `CASEBOOK_TIMING=1`: the command then reports its own `getrusage` peak on standard error
/// as it exits, successful or not (`timing: … peak RSS N KiB`), and that line is taken out
/// of the error output given back. Standard input and output are descriptors the test
/// chooses, so commands can be joined by pipes; output not given goes to a file read back.
public final class MeasuredProcess: @unchecked Sendable {
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        /// Standard error without the timing line.
        public let stderr: String
        /// The command's peak resident set size, in bytes (`Int.max` if it reported none).
        public let peakBytes: Int
        public var description: String { peakBytes == Int.max ? "no peak reported" : "peak \(peakBytes >> 20) MiB" }
    }

    public let pid: pid_t
    private let folder: TemporaryDirectory
    private let capturesOutput: Bool

    /// Starts `runner`'s binary with `arguments`. `standardInput` defaults to /dev/null;
    /// `standardOutput` to a file (`/dev/null` can be passed to discard a large output).
    /// The descriptors given are duplicated into the child; the caller still owns (and
    /// closes) its own copies.
    public init(_ runner: CasebookRunner, _ arguments: [String], standardInput: Int32? = nil,
                standardOutput: Int32? = nil) throws {
        folder = try TemporaryDirectory(prefix: "casebook-measured")
        capturesOutput = standardOutput == nil
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, folder.file("stdout").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        posix_spawn_file_actions_addopen(&actions, 2, folder.file("stderr").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Not the last command of the script, so the shell forks it rather than exec it.
        let script = "\"$0\" \"$@\"; exit $?"
        let argv = (["sh", "-c", script, runner.executable.path] + arguments).map { strdup($0) } + [nil]
        var environment = runner.environment
        environment["CASEBOOK_TIMING"] = "1"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let code = posix_spawn(&child, "/bin/sh", &actions, nil, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        pid = child
    }

    /// Waits for the command to end: its exit status (128 + the signal if one ended it), output and peak memory.
    public func wait() throws -> Outcome {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
        }
        let signal = status & 0x7F
        let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        func read(_ name: String) -> String {
            guard let data = FileManager.default.contents(atPath: folder.file(name).path) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        var peak = Int.max
        var errors: [Substring] = []
        for line in read("stderr").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("timing: "), let range = line.range(of: "peak RSS "),
               let kib = Int(line[range.upperBound...].prefix { $0.isNumber }) {
                peak = kib * 1024
            } else {
                errors.append(line)
            }
        }
        return Outcome(status: exitStatus, stdout: capturesOutput ? read("stdout") : "", stderr: errors.joined(separator: "\n"), peakBytes: peak)
    }

    /// Runs to the end: `MeasuredProcess(…).wait()`.
    public static func run(_ runner: CasebookRunner, _ arguments: [String], standardInput: Int32? = nil,
                           standardOutput: Int32? = nil) throws -> Outcome {
        try MeasuredProcess(runner, arguments, standardInput: standardInput, standardOutput: standardOutput).wait()
    }
}

/// A pipe whose two ends are closed on exec, so only the descriptors duplicated into a
/// child (`MeasuredProcess`) stay open there: the reader sees the end when the writer exits.
public final class ClosingPipe: @unchecked Sendable {
    public private(set) var readEnd: Int32
    public private(set) var writeEnd: Int32

    public init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    public func closeReadEnd() { if readEnd >= 0 { close(readEnd); readEnd = -1 } }
    public func closeWriteEnd() { if writeEnd >= 0 { close(writeEnd); writeEnd = -1 } }

    deinit {
        closeReadEnd()
        closeWriteEnd()
    }
}
