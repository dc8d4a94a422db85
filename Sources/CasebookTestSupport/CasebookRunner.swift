public import Foundation

/// Runs the built `casebook` binary the way a person or a script would, with a
/// controlled environment (no terminal, explicit vault and passphrase).
public struct CasebookRunner: Sendable {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public let executable: URL
    public var environment: [String: String]

    /// The binary built beside the test bundle (`.build/<config>/casebook`).
    public static func builtExecutable() -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("casebook").path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("casebook")
    }

    public init(vault: URL, passphrase: String = "correct horse battery staple", extra: [String: String] = [:]) {
        executable = Self.builtExecutable()
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "HOME": vault.deletingLastPathComponent().path,
                           "CASEBOOK_VAULT": vault.path,
                           "CASEBOOK_PASSPHRASE": passphrase,
                           "LANG": "C.UTF-8", "TZ": "UTC"]
        environment.merge(extra) { _, new in new }
        self.environment = environment
    }

    /// Runs `casebook arguments…`, feeding `input` on standard input (empty by default,
    /// so standard input is never a terminal).
    @discardableResult
    public func run(_ arguments: [String], input: String = "", environment overrides: [String: String?] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = self.environment
        for (key, value) in overrides { environment[key] = value }
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let inputData = Data(input.utf8)
        let writer = Thread {
            stdin.fileHandleForWriting.write(inputData)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorBox = DataBox()
        let errorReader = Thread { errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        errorReader.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorBox.done { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: errorBox.data, as: UTF8.self))
    }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    private var finished = false
    var data: Data {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue; finished = true } }
    }
    var done: Bool { lock.withLock { finished } }
}
