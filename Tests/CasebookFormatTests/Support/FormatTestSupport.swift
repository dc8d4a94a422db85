import CasebookCrypto
import Foundation
import Testing

/// The files under Vectors/ (copied from ../shared/testvectors; see each folder's README).
enum FormatVectors {
    static func url(_ folder: String, _ name: String) throws -> URL {
        let directory = try #require(Bundle.module.url(forResource: "Vectors", withExtension: nil))
        return directory.appendingPathComponent(folder).appendingPathComponent(name)
    }

    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(folder, name)))
    }

    static func minisign(_ name: String) throws -> [UInt8] { try bytes("minisign", name) }

    /// The Ed25519 seed and key id of the reference `example.key` (made with
    /// `minisign -G -W`, so unencrypted): base64 of "Ed" ‖ KDF "\0\0" ‖ "B2" ‖
    /// salt (32) ‖ opslimit (8) ‖ memlimit (8) ‖ key id (8) ‖ seed (32) ‖ public key (32) ‖ checksum (32).
    static func exampleSecretKey() throws -> (seed: [UInt8], keyID: [UInt8]) {
        let text = String(decoding: try minisign("example.key"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        let raw = try #require(Base64Decoding.decode(String(lines[1])))
        try #require(raw.count == 158)
        try #require(raw[2..<4] == [0, 0], "example.key must be unencrypted")
        return (Array(raw[62..<94]), Array(raw[54..<62]))
    }
}

/// Foundation's base64, independent of the implementation under test.
enum Base64Decoding {
    static func decode(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map { Array($0) } }
}

/// A small deterministic generator (SplitMix64) so fuzz runs are reproducible.
struct FuzzGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// A scratch directory removed when the value is released.
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    func read(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url.appendingPathComponent(name)))
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs a reference tool (minisign, tar) and collects its exit status and output.
struct ToolRun {
    let status: Int32
    let output: String

    static func available(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    static func run(_ path: String, _ arguments: [String], in directory: URL) throws -> ToolRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
