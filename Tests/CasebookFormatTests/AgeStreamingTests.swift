import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

/// Shared counters for the streaming sources and sinks below (they are value types).
final class StreamProbe {
    var produced = 0
    var consumedAtFirstWrite: Int?
    var largestWrite = 0
    var largestRead = 0
    var written = 0
}

/// Yields `total` pattern bytes lazily.
struct GeneratedSource: ByteSource {
    let total: Int
    let probe: StreamProbe
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, total - probe.produced)
        for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: (probe.produced + index) &* 31) }
        probe.produced += count
        probe.largestRead = max(probe.largestRead, buffer.count)
        return count
    }
}

/// Wraps a source, counting what has been consumed.
struct CountingSource<Inner: ByteSource>: ByteSource {
    var inner: Inner
    let probe: StreamProbe
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.read(into: buffer)
        probe.produced += count
        probe.largestRead = max(probe.largestRead, buffer.count)
        return count
    }
}

/// Discards plaintext, checking it is the generated pattern; records the write sizes.
struct CheckingSink: ByteSink {
    let probe: StreamProbe
    let consumedBy: StreamProbe?
    var mismatch = false
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        if probe.consumedAtFirstWrite == nil { probe.consumedAtFirstWrite = consumedBy?.produced }
        for index in 0..<bytes.count where bytes[index] != UInt8(truncatingIfNeeded: (probe.written + index) &* 31) {
            mismatch = true
        }
        probe.written += bytes.count
        probe.largestWrite = max(probe.largestWrite, bytes.count)
    }
}

/// Collects output but records the largest single write.
struct SizeRecordingSink: ByteSink {
    var bytes: [UInt8] = []
    var largestWrite = 0
    mutating func write(_ buffer: UnsafeRawBufferPointer) throws {
        bytes.append(contentsOf: buffer)
        largestWrite = max(largestWrite, buffer.count)
    }
}

/// A source that fails on demand, and a sink that fails.
struct FailingSource: ByteSource {
    struct Broken: Error {}
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { throw Broken() }
}

struct FailingSink: ByteSink {
    struct Full: Error {}
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws { throw Full() }
}

@Suite struct AgeStreamingTests {
    /// Encryption and decryption work a batch of 16 chunks at a time: output is written
    /// in pieces no larger than that, and the first plaintext leaves before the input has
    /// been read in full.
    @Test func memoryStaysBoundedWhileStreaming() throws {
        let identity = AgeX25519Identity()
        let total = 8 * 1024 * 1024 + 12345
        let encryptProbe = StreamProbe()
        var source = GeneratedSource(total: total, probe: encryptProbe)
        var encrypted = SizeRecordingSink()
        try Age.encrypt(from: &source, to: &encrypted, recipients: [identity.recipient], armor: false)
        #expect(encryptProbe.produced == total)
        // Encryption seals 16 chunks at a time on every core, with one chunk of read-ahead.
        #expect(encryptProbe.largestRead <= 17 * 65536)
        #expect(encrypted.largestWrite <= 16 * (65536 + 16))

        let decryptProbe = StreamProbe()
        let consumed = StreamProbe()
        var input = CountingSource(inner: ArraySource(encrypted.bytes), probe: consumed)
        var sink = CheckingSink(probe: decryptProbe, consumedBy: consumed)
        try Age.decrypt(from: &input, to: &sink, identities: [identity])
        #expect(!sink.mismatch)
        #expect(decryptProbe.written == total)
        #expect(decryptProbe.largestWrite <= 65536)
        // Decryption authenticates 16 chunks at a time, with one byte of read-ahead.
        #expect(consumed.largestRead <= 16 * (65536 + 16) + 1)
        let firstWrite = try #require(decryptProbe.consumedAtFirstWrite)
        #expect(firstWrite <= 18 * (65536 + 16), "the first chunk was released after reading \(firstWrite) bytes")
        #expect(firstWrite < total / 4, "decryption did not stream")

        // Armored, both ways.
        let armorProbe = StreamProbe()
        var armoredSource = GeneratedSource(total: total, probe: armorProbe)
        var armored = SizeRecordingSink()
        try Age.encrypt(from: &armoredSource, to: &armored, recipients: [identity.recipient], armor: true)
        #expect(armored.largestWrite <= 64 * 1024 + 128)
        let armorConsumed = StreamProbe()
        var armoredInput = CountingSource(inner: ArraySource(armored.bytes), probe: armorConsumed)
        let armorOut = StreamProbe()
        var armorSink = CheckingSink(probe: armorOut, consumedBy: armorConsumed)
        try Age.decrypt(from: &armoredInput, to: &armorSink, identities: [identity])
        #expect(!armorSink.mismatch && armorOut.written == total)
        // Base64 armor is 4/3 the size of the binary it carries, plus line ends.
        #expect(try #require(armorOut.consumedAtFirstWrite) <= 24 * (65536 + 16))
    }

    /// Decrypting into memory with a limit stops at the first chunk past it: the rest of the
    /// file is neither read nor decrypted, and nothing is returned.
    @Test func decryptionIntoMemoryStopsAtItsLimit() throws {
        let identity = AgeX25519Identity()
        let total = 8 * 1024 * 1024 + 12345
        for armor in [false, true] {
            var generated = GeneratedSource(total: total, probe: StreamProbe())
            var encrypted = SizeRecordingSink()
            try Age.encrypt(from: &generated, to: &encrypted, recipients: [identity.recipient], armor: armor)
            let file = encrypted.bytes
            var whole = ArraySource(file)
            let plaintext = try Age.decrypt(from: &whole, identities: [identity], limit: total)
            #expect(plaintext.count == total)
            #expect(stride(from: 0, to: total, by: 4099).allSatisfy { plaintext[$0] == UInt8(truncatingIfNeeded: $0 &* 31) })
            let limit = 1 << 20
            let consumed = StreamProbe()
            var input = CountingSource(inner: ArraySource(file), probe: consumed)
            #expect(throws: AgeError.plaintextTooLarge(limit: limit)) {
                _ = try Age.decrypt(from: &input, identities: [identity], limit: limit, sizeHint: file.count)
            }
            // One batch of 16 chunks beyond the limit at most (4/3 of that when armored).
            #expect(consumed.produced <= (armor ? 3 : 2) * 16 * (65536 + 16) + 4096, "read \(consumed.produced) of \(file.count) bytes")
            var short = ArraySource(file)
            #expect(throws: AgeError.plaintextTooLarge(limit: total - 1)) {
                _ = try Age.decrypt(from: &short, identities: [identity], limit: total - 1)
            }
        }
    }

    @Test func fileDescriptorsRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-age-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let identity = AgeX25519Identity()
        let plaintext = AgeTestSupport.pattern(200_000, seed: 3)
        let plainURL = directory.appendingPathComponent("plain")
        let cipherURL = directory.appendingPathComponent("cipher.age")
        let outURL = directory.appendingPathComponent("out")
        try Data(plaintext).write(to: plainURL)
        _ = FileManager.default.createFile(atPath: cipherURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)

        let input = try FileHandle(forReadingFrom: plainURL)
        let output = try FileHandle(forWritingTo: cipherURL)
        var source = FileDescriptorSource(fileDescriptor: input.fileDescriptor)
        var sink = FileDescriptorSink(fileDescriptor: output.fileDescriptor)
        try Age.encrypt(from: &source, to: &sink, recipients: [identity.recipient], armor: true)
        try input.close()
        try output.close()

        let encrypted = try FileHandle(forReadingFrom: cipherURL)
        let decrypted = try FileHandle(forWritingTo: outURL)
        var cipherSource = FileDescriptorSource(fileDescriptor: encrypted.fileDescriptor)
        var plainSink = FileDescriptorSink(fileDescriptor: decrypted.fileDescriptor)
        try Age.decrypt(from: &cipherSource, to: &plainSink, identities: [identity])
        try encrypted.close()
        try decrypted.close()
        #expect(try [UInt8](Data(contentsOf: outURL)) == plaintext)

        // An invalid descriptor is an I/O error, not a crash.
        var invalid = FileDescriptorSource(fileDescriptor: -1)
        var discard = ArraySink()
        #expect(throws: AgeError.io("reading the input failed: Bad file descriptor")) {
            try Age.decrypt(from: &invalid, to: &discard, identities: [identity])
        }
        var invalidSink = FileDescriptorSink(fileDescriptor: -1)
        #expect(throws: AgeError.io("writing the output failed: Bad file descriptor")) {
            try Age.encrypt(from: &source, to: &invalidSink, recipients: [identity.recipient], armor: false)
        }
    }

    @Test func sourceAndSinkFailuresBecomeIOErrors() throws {
        let identity = AgeX25519Identity()
        var broken = FailingSource()
        var sink = ArraySink()
        do {
            try Age.decrypt(from: &broken, to: &sink, identities: [identity])
            Issue.record("decrypting a failing source succeeded")
        } catch {
            guard case .io = error else { Issue.record("expected an I/O error, got \(error)"); return }
        }
        var source = ArraySource([1, 2, 3])
        var full = FailingSink()
        do {
            try Age.encrypt(from: &source, to: &full, recipients: [identity.recipient], armor: false)
            Issue.record("encrypting to a failing sink succeeded")
        } catch {
            guard case .io = error else { Issue.record("expected an I/O error, got \(error)"); return }
        }
        let file = try Age.encrypt([1, 2, 3], to: [identity.recipient])
        var fileSource = ArraySource(file)
        do {
            try Age.decrypt(from: &fileSource, to: &full, identities: [identity])
            Issue.record("decrypting to a failing sink succeeded")
        } catch {
            guard case .io = error else { Issue.record("expected an I/O error, got \(error)"); return }
        }
    }

    @Test func inMemoryDecryptionReleasesNothingOnFailure() throws {
        let identity = AgeX25519Identity()
        var file = try Age.encrypt(AgeTestSupport.pattern(3 * 65536 + 5), to: [identity.recipient])
        file[file.count - 1] ^= 1
        // The streaming API released the first three chunks; the in-memory one returns nothing.
        #expect(decryptOutcome(file, identities: [identity]).released.count == 3 * 65536)
        #expect(throws: AgeError.self) { try Age.decrypt(file, identities: [identity]) }
    }
}

/// Sizes around chunk and batch boundaries (the batch is 16 chunks of 64 KiB, with one
/// chunk of read-ahead): every one round-trips, and the reference `age` reads them.
@Suite struct AgeBatchBoundaryTests {
    @Test func everySizeAroundABoundaryRoundTrips() throws {
        let identity = AgeX25519Identity()
        let chunk = 65536
        let sizes = [0, 1, chunk - 1, chunk, chunk + 1, 16 * chunk - 1, 16 * chunk, 16 * chunk + 1,
                     17 * chunk - 1, 17 * chunk, 17 * chunk + 1, 32 * chunk, 33 * chunk + 7]
        for size in sizes {
            let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ size) }
            let file = try Age.encrypt(plaintext, to: [identity.recipient])
            // Exactly one 16-byte tag per chunk, and a final chunk that is empty only for empty input.
            let chunks = max(1, (size + chunk - 1) / chunk)
            let header = try #require(file.firstRange(of: Array("\n--- ".utf8)))
            let headerEnd = try #require(file[header.upperBound...].firstIndex(of: 10)) + 1
            #expect(file.count - headerEnd - 16 == size + 16 * chunks, "size \(size)")
            #expect(try Age.decrypt(file, identities: [identity]) == plaintext, "size \(size)")
        }
    }
}
