import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// Deterministic, bounded fuzzing of the strict parsers: truncations, single-bit
/// flips and random inputs must end in an error (or, where a change is meant to be
/// harmless, in exactly the expected result) — never a crash or a hang.
@Suite struct MinisignFuzzTests {
    let message: [UInt8]
    let signatureFile: [UInt8]
    let keyFile: [UInt8]
    let publicKey: MinisignPublicKey

    init() throws {
        message = try FormatVectors.minisign("message.txt")
        signatureFile = try FormatVectors.minisign("message.txt.minisig")
        keyFile = try FormatVectors.minisign("example.pub")
        publicKey = try MinisignPublicKeyFile(parsing: keyFile).key
    }

    /// Parses and verifies; nil when either refuses.
    private func accepted(_ bytes: [UInt8]) -> MinisignSignature? {
        guard let signature = try? MinisignSignature(parsing: bytes) else { return nil }
        guard (try? signature.verify(message: message, publicKey: publicKey)) != nil else { return nil }
        return signature
    }

    @Test func truncatedSignaturesAreRefused() {
        for cut in 0..<signatureFile.count {
            #expect(throws: MinisignError.self) { try MinisignSignature(parsing: Array(signatureFile[0..<cut])) }
        }
    }

    @Test func bitFlippedSignaturesAreRefusedUnlessInTheUntrustedComment() throws {
        let original = try MinisignSignature(parsing: signatureFile)
        let commentRange = 19..<signatureFile.firstIndex(of: 10)!
        var harmless = 0
        for index in signatureFile.indices {
            for bit in 0..<8 {
                var flipped = signatureFile
                flipped[index] ^= 1 << bit
                guard let signature = accepted(flipped) else { continue }
                // Only the untrusted comment is outside the signatures, by design.
                #expect(commentRange.contains(index), "a flip at byte \(index) bit \(bit) still verified")
                #expect(signature.trustedComment == original.trustedComment && signature.signature == original.signature)
                #expect(signature.rendered() == String(decoding: flipped, as: UTF8.self))
                harmless += 1
            }
        }
        print("minisign signature fuzz: \(signatureFile.count * 8) single-bit flips, all refused except \(harmless) inside the unauthenticated untrusted comment")
    }

    @Test func randomSignaturesAreRefused() {
        var generator = FuzzGenerator(seed: 0xF022_0001)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        for round in 0..<3000 {
            let input: [UInt8]
            switch round % 3 {
            case 0:
                input = generator.bytes(Int.random(in: 0...400, using: &generator))
            case 1:
                // Right shape, random base64 of about the right lengths.
                let sig = (0..<Int.random(in: 96...104, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                let global = (0..<Int.random(in: 84...92, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                input = Array("untrusted comment: x\n".utf8) + sig + [10] + Array("trusted comment: y\n".utf8) + global + [10]
            default:
                // A valid file with a random splice.
                var copy = signatureFile
                let at = Int.random(in: 0..<copy.count, using: &generator)
                copy.replaceSubrange(at..<min(copy.count, at + Int.random(in: 1...8, using: &generator)), with: generator.bytes(Int.random(in: 0...8, using: &generator)))
                input = copy
                if input == signatureFile { continue }
                if let parsed = try? MinisignSignature(parsing: input) {
                    // Canonical: whatever parses renders back to the same bytes.
                    #expect(Array(parsed.rendered().utf8) == input)
                }
                if accepted(input) != nil {
                    // Only an untrusted-comment change can still verify.
                    #expect(input.split(separator: 10, omittingEmptySubsequences: false).dropFirst().elementsEqual(signatureFile.split(separator: 10, omittingEmptySubsequences: false).dropFirst()))
                }
                continue
            }
            #expect(accepted(input) == nil, "round \(round) verified")
        }
    }

    @Test func publicKeyParsersRefuseDamage() throws {
        for cut in 0..<keyFile.count {
            #expect(throws: MinisignError.self) { try MinisignPublicKeyFile(parsing: Array(keyFile[0..<cut])) }
        }
        // A public key has no checksum: any 42 bytes starting "Ed" are a key. So a
        // flip may only ever give the same key (in the comment) or exactly the key
        // the flipped, still canonical line spells; nothing else.
        let commentRange = 19..<keyFile.firstIndex(of: 10)!
        let keyLine = (commentRange.upperBound + 1)..<(keyFile.count - 1)
        var otherKeys = 0
        for index in keyFile.indices {
            for bit in 0..<8 {
                var flipped = keyFile
                flipped[index] ^= 1 << bit
                guard let parsed = try? MinisignPublicKeyFile(parsing: flipped) else { continue }
                #expect(Array(parsed.rendered().utf8) == flipped)
                if commentRange.contains(index) {
                    #expect(parsed.key == publicKey)
                } else {
                    #expect(keyLine.contains(index), "a key file flipped at byte \(index) bit \(bit) parsed")
                    #expect(parsed.key != publicKey)
                    otherKeys += 1
                }
            }
        }
        print("minisign key fuzz: \(keyFile.count * 8) single-bit flips; \(otherKeys) give another well-formed key (keys carry no checksum: compare fingerprints)")
        var generator = FuzzGenerator(seed: 0xF022_0002)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...64, using: &generator)
            let line = String(decoding: (0..<length).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
            if let key = try? MinisignPublicKey(encoded: line) {
                #expect(key.encoded == line, "non-canonical key line accepted: \(line)")
            }
            let raw = generator.bytes(Int.random(in: 0...200, using: &generator))
            #expect(throws: MinisignError.self) { try MinisignPublicKeyFile(parsing: raw) }
        }
    }
}

@Suite struct CardFuzzTests {
    @Test func damagedCardsAreRefused() throws {
        let card = Array(try IdentityCard.make(name: "Dr Amira Example", role: "psychologist", created: "2026-11-24T06:00:00Z", identity: fixedIdentity()).rendered().utf8)
        for cut in 0..<card.count {
            #expect(throws: IdentityCardError.self) { try IdentityCard.parse(bytes: Array(card[0..<cut])) }
        }
        // Every byte of a card is covered by its signature or is the signature, so every single-bit flip is refused.
        var codes: [IdentityCardError.Code: Int] = [:]
        for index in card.indices {
            for bit in 0..<8 {
                var flipped = card
                flipped[index] ^= 1 << bit
                do {
                    _ = try IdentityCard.parse(bytes: flipped)
                    Issue.record("a card flipped at byte \(index) bit \(bit) was accepted")
                } catch {
                    codes[error.code, default: 0] += 1
                }
            }
        }
        print("card fuzz: \(card.count * 8) single-bit flips all refused: \(codes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))")
        var generator = FuzzGenerator(seed: 0xF022_0003)
        let lines = card.split(separator: 10).map(Array.init)
        for round in 0..<2000 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = generator.bytes(Int.random(in: 0...400, using: &generator))
            } else {
                // Shuffled, dropped or duplicated lines of a valid card.
                var picked = lines.shuffled(using: &generator)
                if Bool.random(using: &generator) { picked.removeLast() }
                if Bool.random(using: &generator) { picked.append(lines.randomElement(using: &generator)!) }
                input = picked.flatMap { $0 + [10] }
                if input == card { continue }
            }
            #expect(throws: IdentityCardError.self) { try IdentityCard.parse(bytes: input) }
        }
        for _ in 0..<2000 {
            let text = String(decoding: generator.bytes(Int.random(in: 0...45, using: &generator)).map { $0 % 64 + 0x2D }, as: UTF8.self)
            if let parsed = try? IdentityFingerprint(parsing: text) {
                #expect(parsed.description == text.uppercased())
            }
        }
    }
}

@Suite struct TarFuzzTests {
    let entries = TarFixtures.handover
    let archive: [UInt8]
    /// Where the end-of-archive blocks start.
    let endOffset: Int
    /// Byte ranges holding file contents (the only bytes tar does not protect).
    let contentRanges: [Range<Int>]

    init() throws {
        archive = try UstarArchive.write(entries)
        var offset = 0
        var ranges: [Range<Int>] = []
        for entry in entries {
            ranges.append((offset + 512)..<(offset + 512 + entry.contents.count))
            offset += 512 + entry.contents.count + UstarArchive.paddingCount(entry.contents.count)
        }
        contentRanges = ranges
        endOffset = offset
    }

    @Test func truncatedArchivesAreRefusedUnlessOnlyPaddingIsLost() {
        for cut in stride(from: 0, through: archive.count, by: 64) + [1, 511, 513, 1023, archive.count - 1] {
            let result = Result { () throws(UstarError) in try UstarArchive.read(Array(archive[0..<cut]), limits: TarFixtures.limits) }
            if cut % 512 == 0 && cut >= endOffset + 1024 {
                #expect((try? result.get()) == entries, "cut at \(cut)")
            } else {
                #expect(throws: UstarError.self, "cut at \(cut) accepted") { try result.get() }
            }
        }
    }

    @Test func bitFlipsAreRefusedUnlessInFileContents() {
        var generator = FuzzGenerator(seed: 0xF022_0004)
        // Every bit of both headers, the padding after each file and the end blocks; random bits elsewhere.
        var positions: [Int] = Array(0..<512) + Array(contentRanges[0].upperBound..<(contentRanges[0].upperBound + 600))
        positions += (0..<600).map { _ in Int.random(in: 0..<archive.count, using: &generator) }
        var refused = 0, contentChanges = 0
        for index in positions {
            for bit in 0..<8 {
                var flipped = archive
                flipped[index] ^= 1 << bit
                do {
                    let read = try UstarArchive.read(flipped, limits: TarFixtures.limits)
                    // tar has no integrity check on contents (the minisign signature covers them).
                    guard let which = contentRanges.firstIndex(where: { $0.contains(index) }) else {
                        Issue.record("an archive flipped at byte \(index) bit \(bit) was accepted")
                        continue
                    }
                    var expected = entries[which].contents
                    expected[index - contentRanges[which].lowerBound] ^= 1 << bit
                    #expect(read.map(\.name) == entries.map(\.name))
                    #expect(read[which].contents == expected)
                    contentChanges += 1
                } catch {
                    refused += 1
                }
            }
        }
        print("tar fuzz: \(positions.count * 8) single-bit flips: \(refused) refused, \(contentChanges) changed only file contents (as expected)")
    }

    @Test func randomAndMutatedArchivesNeverCrash() {
        var generator = FuzzGenerator(seed: 0xF022_0005)
        for _ in 0..<400 {
            let blocks = Int.random(in: 0...6, using: &generator)
            let input = generator.bytes(blocks * 512 + (Bool.random(using: &generator) ? 0 : Int.random(in: 1...511, using: &generator)))
            #expect(throws: UstarError.self) { _ = try UstarArchive.read(input, limits: TarFixtures.limits) }
        }
        // Header fields mutated at random with the checksum fixed up, so the deeper checks run.
        var accepted = 0
        for _ in 0..<3000 {
            var copy = archive
            var header = Array(copy[0..<512])
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<512, using: &generator)
                guard !(148..<156).contains(at) else { continue }
                header[at] = [0, 0x20, 0x30, 0x37, 0x38, UInt8(ascii: "/"), UInt8(ascii: "."), 0xFF, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator)!
            }
            TarFixtures.resum(&header)
            copy.replaceSubrange(0..<512, with: header)
            if let read = try? UstarArchive.read(copy, limits: TarFixtures.limits) {
                // Anything accepted must still be two well-formed regular files.
                #expect(read.count == 2)
                #expect(read.allSatisfy { UstarArchive.nameProblem(Array($0.name.utf8)) == nil })
                accepted += 1
            }
        }
        print("tar fuzz: 3000 header mutations with fixed checksums, \(accepted) still acceptable (e.g. mtime or mode digits changed)")
    }
}
