import CasebookCrypto
import Foundation
import Testing

// MARK: - Hex and secure-memory helpers

/// Decodes lowercase or uppercase hex; traps on malformed input (test data only).
func hex(_ string: String) -> [UInt8] {
    let digits = Array(string.utf8)
    precondition(digits.count % 2 == 0, "odd-length hex string")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: preconditionFailure("not a hex digit: \(c)")
        }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
        bytes.append(nibble(digits[index]) << 4 | nibble(digits[index + 1]))
        index += 2
    }
    return bytes
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Secret storage holding a copy of `bytes`.
func secure(_ bytes: [UInt8]) -> SecureBytes {
    var copy = bytes
    return SecureBytes(consuming: &copy)
}

/// A symmetric key from raw bytes (throws for lengths other than 32).
func symmetricKey(_ bytes: [UInt8]) throws(CryptoError) -> SymmetricKey {
    try SymmetricKey(secure(bytes))
}

/// A readable copy of secret bytes, for comparisons in tests.
func contents(of secret: borrowing SecureBytes) -> [UInt8] {
    secret.withUnsafeBytes { Array($0) }
}

func contents(of key: borrowing SymmetricKey) -> [UInt8] {
    key.withUnsafeBytes { Array($0) }
}

/// Runs `body` and returns the `CryptoError` it threw, or nil if it succeeded.
/// Any other error is recorded as a test issue.
func thrownError<R: ~Copyable>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
) -> CryptoError? {
    do {
        _ = try body()
        return nil
    } catch let error as CryptoError {
        return error
    } catch {
        Issue.record("unexpected non-CryptoError \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

// MARK: - Wycheproof loading and bookkeeping

struct WycheproofFile<Group: Decodable>: Decodable {
    let algorithm: String
    let numberOfTests: Int
    let testGroups: [Group]
}

enum Vectors {
    static func load<Group: Decodable>(_ fileName: String, groups: Group.Type) throws -> WycheproofFile<Group> {
        let directory = try #require(Bundle.module.url(forResource: "Vectors", withExtension: nil))
        let url = directory.appendingPathComponent("wycheproof").appendingPathComponent(fileName)
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(WycheproofFile<Group>.self, from: data)
    }
}

/// Counts vectors that behaved as expected (per Wycheproof result type) and
/// collects the ones that did not, by tcId.
struct VectorTally {
    let name: String
    private(set) var passed: [String: Int] = [:]
    private(set) var mismatches: [String] = []

    init(_ name: String) { self.name = name }

    mutating func pass(_ result: String) { passed[result, default: 0] += 1 }

    mutating func mismatch(_ tcId: Int, _ result: String, _ detail: String) {
        mismatches.append("tcId \(tcId) (\(result)): \(detail)")
    }

    var total: Int { passed.values.reduce(0, +) }

    func count(_ result: String) -> Int { passed[result, default: 0] }

    /// Prints the summary line and records the expectations.
    func finish(
        numberOfTests: Int, breakdown: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let outcome = mismatches.isEmpty ? "all as expected" : "\(mismatches.count) MISMATCHES"
        print("Wycheproof \(name): \(total) vectors (\(breakdown)) \(outcome)")
        for line in mismatches { print("  mismatch \(name) \(line)") }
        #expect(total == numberOfTests, "\(name): \(total) of \(numberOfTests) vectors as expected", sourceLocation: sourceLocation)
        #expect(mismatches.isEmpty, "\(name) mismatches:\n\(mismatches.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
