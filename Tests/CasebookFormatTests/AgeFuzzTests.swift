import CasebookCrypto
import CasebookFormat
import Testing

/// Bounded, deterministic fuzzing of the header parser and the armor decoder:
/// truncated, bit-flipped, random and randomly structured inputs. Every input must
/// end in an `AgeError` of the right kind (or, for inputs that are valid by
/// construction, parse consistently); none may crash or hang.
@Suite(.timeLimit(.minutes(2))) struct AgeFuzzTests {
    static let identity = AgeX25519Identity()
    static let passphrase = "fuzz"

    static func sampleFile(armor: Bool) throws -> [UInt8] {
        let other = AgeX25519Identity()
        return try Age.encrypt(Array("fuzzing plaintext".utf8), to: [identity.recipient, other.recipient], armor: armor)
    }

    static func isHeaderError(_ error: AgeError) -> Bool {
        if case .header = error { return true }
        return false
    }

    @Test func truncatedHeaders() throws {
        let file = try Self.sampleFile(armor: false)
        let (_, length) = try AgeHeader.parse(file)
        for cut in 0..<length {
            let prefix = Array(file[0..<cut])
            #expect(throws: AgeError.self) { try AgeHeader.parse(prefix) }
            do {
                _ = try AgeHeader.parse(prefix)
            } catch {
                #expect(Self.isHeaderError(error), "cut at \(cut): \(error)")
            }
            let outcome = decryptOutcome(prefix, identities: [Self.identity])
            #expect(outcome.expectation == "header failure", "cut at \(cut)")
        }
    }

    /// Every single-bit change in the header makes decryption fail: the parser is
    /// strict, so any change it accepts changes what the MAC covers.
    @Test func bitFlippedHeaders() throws {
        let file = try Self.sampleFile(armor: false)
        let (_, length) = try AgeHeader.parse(file)
        var tally: [String: Int] = [:]
        for index in 0..<length {
            for bit in 0..<8 {
                var bytes = file
                bytes[index] ^= 1 << UInt8(bit)
                let outcome = decryptOutcome(bytes, identities: [Self.identity])
                #expect(outcome.error != nil, "flip of byte \(index) bit \(bit) was accepted")
                #expect(outcome.released.isEmpty)
                tally[outcome.expectation, default: 0] += 1
                if let parsed = try? AgeHeader.parse(bytes) {
                    // Whatever parses must re-encode to exactly the bytes it came from.
                    #expect(try parsed.header.encoded() == Array(bytes[0..<parsed.byteCount]))
                }
            }
        }
        #expect(tally.values.reduce(0, +) == length * 8)
        #expect(Set(tally.keys).isSubset(of: ["header failure", "HMAC failure", "no match", "armor failure"]))
    }

    @Test func randomBytes() {
        var generator = SplitMix64(seed: 0xA6E)
        for round in 0..<3000 {
            let count = Int.random(in: 0...400, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 3 == 0 { bytes = Array("age-encryption.org/v1\n".utf8) + bytes }
            if round % 5 == 0 { bytes = Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8) + bytes }
            do {
                _ = try AgeHeader.parse(bytes)
                Issue.record("random input \(round) parsed as a header")
            } catch {
                #expect(Self.isHeaderError(error))
            }
            #expect(throws: AgeError.self) { try AgeArmor.decode(bytes) }
            #expect(throws: AgeError.self) { try Age.decrypt(bytes, identities: [Self.identity]) }
        }
    }

    /// Inputs assembled from header-like pieces: they often parse; when they do they
    /// re-encode exactly, and decryption still fails (no valid MAC).
    @Test func structuredHeaders() {
        var generator = SplitMix64(seed: 0x5EED)
        let base64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        // Mostly canonical base64 of `count` characters (when such an encoding exists), sometimes raw characters.
        func b64(_ count: Int) -> [UInt8] {
            if count % 4 != 1, Int.random(in: 0..<5, using: &generator) != 0 {
                let byteCount = count / 4 * 3 + max(0, count % 4 - 1)
                return Base64.encodeBytes((0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }, padded: false)
            }
            return (0..<count).map { _ in base64.randomElement(using: &generator)! }
        }
        var parsed = 0
        for _ in 0..<4000 {
            var bytes = Array("age-encryption.org/v1\n".utf8)
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let type = ["X25519", "scrypt", "grease", "mlkem768x25519", "", "x"].randomElement(using: &generator)!
                bytes += Array("->".utf8)
                if Bool.random(using: &generator) || !type.isEmpty { bytes += [32] + Array(type.utf8) }
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    bytes += [32] + b64([0, 1, 2, 22, 43, 44].randomElement(using: &generator)!)
                }
                bytes += [10]
                for _ in 0..<Int.random(in: 0...2, using: &generator) { bytes += b64(64) + [10] }
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: break
                case 1: bytes += b64(Int.random(in: 0...70, using: &generator))
                case 2: bytes += b64(Int.random(in: 0...63, using: &generator)) + [13, 10]
                default: bytes += b64(Int.random(in: 0...63, using: &generator)) + [10]
                }
            }
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: bytes += Array("--- ".utf8) + b64(Int.random(in: 40...45, using: &generator)) + [10]
            case 1: bytes += Array("---".utf8) + b64(43) + [10]
            default: bytes += Array("--- ".utf8) + b64(43) + [10] + b64(Int.random(in: 0...40, using: &generator))
            }
            do {
                let header = try AgeHeader.parse(bytes)
                parsed += 1
                #expect(try header.header.encoded() == Array(bytes[0..<header.byteCount]))
            } catch {
                #expect(Self.isHeaderError(error))
            }
            let outcome = decryptOutcome(bytes, identities: [Self.identity, AgeScryptIdentity(passphrase: AgeTestSupport.secure(Self.passphrase), maxLogN: 1)])
            #expect(outcome.error != nil)
            #expect(outcome.released.isEmpty)
        }
        #expect(parsed > 100, "the generator should produce some valid headers (\(parsed))")
    }

    @Test func truncatedAndFlippedArmor() throws {
        let file = try Self.sampleFile(armor: true)
        // Truncation: only dropping the final LF leaves a valid file.
        for cut in 0..<file.count {
            let outcome = decryptOutcome(Array(file[0..<cut]), identities: [Self.identity], format: .armored)
            if cut == file.count - 1 {
                #expect(outcome.error == nil)
            } else {
                #expect(outcome.error != nil, "cut at \(cut)")
            }
        }
        var tally: [String: Int] = [:]
        for index in 0..<file.count {
            for bit in 0..<8 {
                var bytes = file
                bytes[index] ^= 1 << UInt8(bit)
                let outcome = decryptOutcome(bytes, identities: [Self.identity])
                #expect(outcome.error != nil, "flip of byte \(index) bit \(bit) was accepted")
                tally[outcome.expectation, default: 0] += 1
            }
        }
        #expect(tally.values.reduce(0, +) == file.count * 8)
        #expect(tally["armor failure", default: 0] > 0)
    }

    /// Random PEM-like text: either it decodes (and re-encodes to its canonical
    /// form) or it is an armor failure; never anything else.
    @Test func structuredArmor() {
        var generator = SplitMix64(seed: 0xA7A7)
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        var decoded = 0
        for _ in 0..<4000 {
            let eol: [UInt8] = Bool.random(using: &generator) ? [10] : [13, 10]
            var text = Int.random(in: 0..<4, using: &generator) == 0 ? Array(" \n\t".utf8) : []
            text += Array(AgeArmor.beginLine.utf8) + eol
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let length = [64, 64, 64, 4, 8, 12, 60, 63, 65, 0].randomElement(using: &generator)!
                text += (0..<length).map { _ in characters.randomElement(using: &generator)! } + eol
            }
            text += Array(AgeArmor.endLine.utf8)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: break
            case 1: text += eol + Array("  \n".utf8)
            case 2: text += eol + [UInt8(ascii: "x")]
            default: text += eol
            }
            do {
                let binary = try AgeArmor.decode(text)
                decoded += 1
                var canonical = String(decoding: text, as: UTF8.self)
                canonical = canonical.split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
                while let first = canonical.first, first.isWhitespace { canonical.removeFirst() }
                while let last = canonical.last, last.isWhitespace { canonical.removeLast() }
                #expect(AgeArmor.encode(binary) == Array((canonical + "\n").utf8))
            } catch {
                guard case .armor = error else {
                    Issue.record("armor decoding threw \(error)")
                    continue
                }
            }
        }
        #expect(decoded > 50, "the generator should produce some valid armor (\(decoded))")
    }
}
