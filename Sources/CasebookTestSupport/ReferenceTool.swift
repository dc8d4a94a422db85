public import Foundation

/// Runs a reference tool (`age`, `tar`, `minisign`, …) the tests compare Casebook with.
public enum ReferenceTool {
    public struct Result: Sendable {
        public let status: Int32
        /// Standard output and standard error, interleaved.
        public let output: String
    }

    /// Whether `path` exists and is executable (`scripts/install-deps.sh --test` installs them).
    public static func isAvailable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    public static func run(_ path: String, _ arguments: [String], in folder: URL, input: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
