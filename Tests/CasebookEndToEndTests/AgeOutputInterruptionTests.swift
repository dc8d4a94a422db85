@testable import casebook
import CasebookTestSupport
import Foundation
import Testing

/// `age decrypt -o FILE` killed part-way leaves no plaintext: the file has no name while it
/// is written (O_TMPFILE), and hidden temporary files left by killed runs (of filesystems
/// without unnamed files, or of older Casebooks) are removed by the next write.
@Suite(.serialized) struct AgeOutputInterruptionTests {
    /// A large age file fed through a pipe the test holds open: casebook writes the
    /// plaintext of what it has read, waits for more, and is killed with SIGKILL.
    @Test func sigkillMidWriteLeavesNoFile() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        let key = try AgeTools.keygen(in: cli.folder)
        let plain = try cli.write("plain", agePattern(3 << 20, seed: 7))
        let sealed = cli.folder.file("big.age").path
        try AgeTools.succeed(AgeTools.age, ["-r", key.recipient, "-o", sealed, plain])
        let before = try cli.names()

        signal(SIGPIPE, SIG_IGN)  // if casebook dies early, the write below fails instead of killing the test
        let process = Process()
        process.executableURL = cli.runner.executable
        process.arguments = ["age", "decrypt", "-i", key.path, "-o", cli.folder.file("out").path]
        process.environment = cli.runner.environment
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Most of the file, but not its end: casebook writes its output a mebibyte at a time.
        try input.fileHandleForWriting.write(contentsOf: Data(try cli.read(sealed).prefix(5 << 19)))
        // Wait until casebook has written plaintext to a file in the folder.
        var written = false
        for _ in 0..<3000 where !written {
            written = Self.plaintextInProgress(pid: process.processIdentifier, folder: cli.folder.path)
            if !written { usleep(10_000) }
        }
        #expect(written, "casebook never wrote plaintext to a file in the folder")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        let after = try cli.names()
        #expect(after == before, "left behind: \(after.subtracting(before))")
    }

    /// True when process `pid` has a non-empty file of `folder` open (named or not).
    private static func plaintextInProgress(pid: Int32, folder: String) -> Bool {
        let descriptors = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: descriptors) else { return false }
        for entry in entries {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(entry)"),
                  target.hasPrefix(folder + "/"), !target.hasSuffix("/big.age") else { continue }
            var info = stat()
            if stat("\(descriptors)/\(entry)", &info) == 0, info.st_size > 0 { return true }
        }
        return false
    }

    @Test func leftoversOfKilledRunsAreRemovedAndLiveOnesKept() throws {
        try AgeTools.require()
        let cli = try CLIFixture()
        let key = try AgeTools.keygen(in: cli.folder)
        let plaintext = agePattern(100_000, seed: 8)
        let plain = try cli.write("plain", plaintext)
        let sealed = cli.folder.file("f.age").path
        try AgeTools.succeed(AgeTools.age, ["-r", key.recipient, "-o", sealed, plain])
        // A leftover of an older run (unlocked), one a live writer holds (locked), and names
        // that are not Casebook's temporary files.
        let stale = try cli.write(".out.casebook-Ab12Cd", Array("partial plaintext".utf8))
        let live = try cli.write(".other.casebook-Zz09aa", Array("being written".utf8))
        let liveDescriptor = open(live, O_RDONLY)
        defer { close(liveDescriptor) }
        #expect(flock(liveDescriptor, LOCK_EX | LOCK_NB) == 0)
        let kept = [try cli.write(".out.casebook-toolong", [1]), try cli.write("out.casebook-Ab12Cd", [2]),
                    try cli.write(".casebook-Ab12Cd", [3])]
        try FileManager.default.createSymbolicLink(atPath: cli.folder.file(".link.casebook-Ab12Cd").path, withDestinationPath: plain)

        let output = cli.folder.file("out").path
        let result = try cli.run("age", "decrypt", "-i", key.path, "-o", output, sealed)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "casebook: warning: removed \(stale), a partial output file an interrupted run left behind\n")
        #expect(try cli.read(output) == plaintext)
        #expect(!FileManager.default.fileExists(atPath: stale))
        for path in [live] + kept { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: cli.folder.file(".link.casebook-Ab12Cd").path)) == plain)
    }

    /// The hidden, locked temporary file used where unnamed files are not available: kept
    /// while its writer holds it, removed once the writer is gone, published without leftovers.
    @Test func theNamedFallbackIsLockedWhileWrittenAndCleanedAfter() throws {
        let folder = try TemporaryDirectory(prefix: "casebook-unfinished")
        let target = folder.file("out").path
        let writing = try UnfinishedFile.createNamed(for: target, in: folder.path)
        let temporary = try #require(writing.temporary)
        #expect(UnfinishedFile.isTemporaryName(URL(fileURLWithPath: temporary).lastPathComponent))
        #expect(URL(fileURLWithPath: temporary).lastPathComponent.hasPrefix(".out.casebook-"))
        #expect(UnfinishedFile.removeLeftovers(in: folder.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: temporary))
        writing.close()  // as if the writer were killed: the lock goes, the name stays
        #expect(UnfinishedFile.removeLeftovers(in: folder.path) == [temporary])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let file = try UnfinishedFile.createNamed(for: target, in: folder.path)
        #expect(write(file.descriptor, "complete", 8) == 8)
        try file.publish()
        file.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "complete")
    }
}
