import CZlib
import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

// MARK: - Small helpers

enum AgeTestSupport {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func secure(_ text: String) -> SecureBytes {
        var bytes = Array(text.utf8)
        return SecureBytes(consuming: &bytes)
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(bytes))
    }

    /// Deterministic bytes for plaintexts (not random-looking enough to matter, but not constant).
    static func pattern(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var output = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            let value = generator.next()
            for shift in 0..<8 where index < count {
                output[index] = UInt8(truncatingIfNeeded: value >> UInt64(shift * 8))
                index += 1
            }
        }
        return output
    }

    /// zlib (RFC 1950) decompression for the compressed CCTV vectors.
    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        struct ZlibError: Error, CustomStringConvertible { let description: String }
        var stream = z_stream()
        guard czlib_inflate_init(&stream) == Z_OK else { throw ZlibError(description: "inflateInit failed") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var copy = input
        return try copy.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output += chunk[0..<produced]
                if status == Z_STREAM_END { return output }
                guard status == Z_OK else { throw ZlibError(description: "inflate failed: \(status)") }
                if produced == 0 && stream.avail_in == 0 { throw ZlibError(description: "truncated zlib stream") }
            }
        }
    }
}

/// A small deterministic PRNG (SplitMix64) for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Outcomes

/// What a decryption did: its error (nil on success) and the plaintext it released.
struct AgeOutcome {
    var error: AgeError?
    var released: [UInt8]

    /// The CCTV `expect:` spelling of the outcome.
    var expectation: String {
        switch error {
        case nil: return "success"
        case .noMatch?: return "no match"
        case .headerMAC?: return "HMAC failure"
        case .header?: return "header failure"
        case .payload?: return "payload failure"
        case .armor?, .armorTruncated?: return "armor failure"
        case .unsupportedRecipientType?: return "unsupported recipient type"
        case .io?: return "I/O failure"
        case .invalidKey?: return "invalid key"
        case .invalidRecipients?: return "invalid recipients"
        case .plaintextTooLarge?: return "plaintext too large"
        }
    }
}

/// A sink that records every write, so tests can see plaintext released before a failure.
struct RecordingSink: ByteSink {
    var bytes: [UInt8] = []
    var writes = 0
    mutating func write(_ buffer: UnsafeRawBufferPointer) throws {
        bytes.append(contentsOf: buffer)
        writes += 1
    }
}

func decryptOutcome(
    _ file: [UInt8], identities: [any AgeIdentity], format: AgeInputFormat = .automatic
) -> AgeOutcome {
    var source = ArraySource(file)
    var sink = RecordingSink()
    do {
        try Age.decrypt(from: &source, to: &sink, identities: identities, format: format)
        return AgeOutcome(error: nil, released: sink.bytes)
    } catch {
        return AgeOutcome(error: error, released: sink.bytes)
    }
}

// MARK: - CCTV vectors

/// One CCTV age test vector: `key: value` lines, a blank line, the (maybe zlib) file.
struct AgeTestVector {
    let name: String
    let expect: String
    let payloadHash: String?
    let identities: [String]
    let passphrases: [String]
    let armored: Bool
    let comment: String?
    let file: [UInt8]

    init(name: String, contents: [UInt8]) throws {
        self.name = name
        var index = 0
        var fields: [(String, String)] = []
        while true {
            guard let newline = contents[index...].firstIndex(of: 10) else {
                throw VectorError(description: "\(name): no blank line after the vector header")
            }
            if newline == index {
                index += 1
                break
            }
            let line = String(decoding: contents[index..<newline], as: UTF8.self)
            guard let colon = line.range(of: ": ") else {
                throw VectorError(description: "\(name): malformed header line '\(line)'")
            }
            fields.append((String(line[..<colon.lowerBound]), String(line[colon.upperBound...])))
            index = newline + 1
        }
        func values(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }
        guard let expect = values("expect").first else { throw VectorError(description: "\(name): no expect") }
        self.expect = expect
        payloadHash = values("payload").first
        identities = values("identity")
        passphrases = values("passphrase")
        armored = values("armored").first == "yes"
        comment = values("comment").first
        var body = Array(contents[index...])
        if values("compressed").first == "zlib" { body = try AgeTestSupport.inflate(body) }
        file = body
    }

    struct VectorError: Error, CustomStringConvertible { let description: String }

    static func all() throws -> [AgeTestVector] {
        let directory = try #require(Bundle.module.url(forResource: "Vectors", withExtension: nil))
            .appendingPathComponent("age")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0 != "README.md" && $0 != "SOURCE_COMMIT" }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            return try AgeTestVector(name: name, contents: [UInt8](data))
        }
    }
}
