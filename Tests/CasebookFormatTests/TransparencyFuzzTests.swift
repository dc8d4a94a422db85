import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// Truncated, bit-flipped, spliced and random inputs to the note, checkpoint and verifier-key
/// parsers and to the proof verifiers: each must end in a clear error (or, for a mutation that
/// leaves the input valid, verify consistently), never crash or hang.
@Suite struct TransparencyFuzzTests {
    static let seed = UInt64(Date().timeIntervalSince1970) ^ 0x5EED

    /// Parses and verifies; returns true when the whole chain accepted the input.
    static func openCheckpoint(_ bytes: [UInt8], _ verifier: NoteVerifier) -> Bool {
        do {
            _ = try Checkpoint.open(bytes, origin: TransparencyWorkedExample.origin, verifiers: [verifier])
            return true
        } catch {
            #expect(!error.description.isEmpty)
            return false
        }
    }

    @Test func signedCheckpointMutations() throws {
        var rng = MerkleTestRNG(seed: Self.seed)
        let key = try TransparencyWorkedExample.key()
        let verifier = try NoteVerifier(name: TransparencyWorkedExample.origin, publicKey: key.publicKey)
        let original = Array(TransparencyWorkedExample.expectedNote.utf8)
        #expect(Self.openCheckpoint(original, verifier))
        var refused = 0
        // Every truncation.
        for length in 0..<original.count {
            #expect(!Self.openCheckpoint(Array(original[..<length]), verifier), "truncated to \(length)")
            refused += 1
        }
        // Every single-bit flip.
        for index in original.indices {
            for bit in 0..<8 {
                var mutated = original
                mutated[index] ^= 1 << UInt8(bit)
                #expect(!Self.openCheckpoint(mutated, verifier), "bit \(bit) of byte \(index) flipped (seed \(Self.seed))")
                refused += 1
            }
        }
        // Random byte insertions, deletions and duplicated ranges.
        for _ in 0..<3_000 {
            var mutated = original
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: mutated.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...mutated.count, using: &rng))
            case 1: mutated.remove(at: Int.random(in: 0..<mutated.count, using: &rng))
            default:
                let start = Int.random(in: 0..<mutated.count, using: &rng)
                let end = Int.random(in: start...mutated.count, using: &rng)
                mutated.insert(contentsOf: mutated[start..<end], at: Int.random(in: 0...mutated.count, using: &rng))
            }
            if mutated == original { continue }
            // A duplicated range can only be accepted if it left the signed text and the one
            // signature line intact; then the result must equal the original checkpoint.
            if Self.openCheckpoint(mutated, verifier) {
                let (checkpoint, _) = try Checkpoint.open(mutated, origin: TransparencyWorkedExample.origin, verifiers: [verifier])
                let (expected, _) = try Checkpoint.open(original, origin: TransparencyWorkedExample.origin, verifiers: [verifier])
                #expect(checkpoint == expected, "seed \(Self.seed)")
            } else {
                refused += 1
            }
        }
        print("fuzz signed checkpoint (seed \(Self.seed)): \(refused) truncated, bit-flipped and spliced notes refused")
    }

    @Test func randomInputsNeverCrash() throws {
        var rng = MerkleTestRNG(seed: Self.seed ^ 1)
        let alphabet = Array("\n\n\n \u{2014}+=/Aa09casebook.example".utf8) + [0xE2, 0x80, 0x94, 0x00, 0xFF, 0x0D]
        let key = try TransparencyWorkedExample.key()
        let verifier = try NoteVerifier(name: TransparencyWorkedExample.origin, publicKey: key.publicKey)
        var outcomes: [String: Int] = [:]
        for round in 0..<20_000 {
            let length = Int.random(in: 0...200, using: &rng)
            let bytes: [UInt8] = round % 2 == 0
                ? (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                : (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            do {
                let note = try SignedNote(parsing: bytes)
                _ = try note.verify([verifier])
                Issue.record("random input verified (seed \(Self.seed), round \(round))")
            } catch {
                outcomes["note: " + String(describing: error).prefix(while: { !$0.isNumber }), default: 0] += 1
            }
            do {
                _ = try Checkpoint(parsing: String(decoding: bytes, as: UTF8.self))
                outcomes["checkpoint accepted", default: 0] += 1
            } catch {
                outcomes["checkpoint refused", default: 0] += 1
            }
            do {
                _ = try NoteVerifier(parsing: String(decoding: bytes, as: UTF8.self))
                Issue.record("random verifier key accepted (seed \(Self.seed), round \(round))")
            } catch {
                outcomes["vkey refused", default: 0] += 1
            }
        }
        #expect(outcomes["checkpoint accepted", default: 0] == 0)
        print("fuzz random inputs (seed \(Self.seed)): \(outcomes.sorted { $0.key < $1.key })")
    }

    /// Structured random notes: real signature lines, random names, random extra lines.
    @Test func structuredNoteMutations() throws {
        var rng = MerkleTestRNG(seed: Self.seed ^ 2)
        let key = try TransparencyWorkedExample.key()
        let verifier = try NoteVerifier(name: TransparencyWorkedExample.origin, publicKey: key.publicKey)
        let note = try SignedNote(parsing: TransparencyWorkedExample.expectedNote)
        let pieces = ["\n", "\u{2014} ", " ", TransparencyWorkedExample.origin, note.signatures[0].line, "5", "AAAA", "=", "+", note.text]
        var refused = 0
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 1...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            do {
                let (checkpoint, _) = try Checkpoint.open(Array(text.utf8), origin: TransparencyWorkedExample.origin, verifiers: [verifier])
                // Accepted only when the signed text is exactly the original one.
                #expect(checkpoint.text == note.text, "seed \(Self.seed)")
            } catch {
                refused += 1
            }
        }
        print("fuzz structured notes (seed \(Self.seed)): \(refused) of 5000 refused")
        #expect(refused > 4_000)
    }

    /// Random proofs, sizes and indices against the verifiers: only a true proof verifies.
    @Test func randomProofs() throws {
        var rng = MerkleTestRNG(seed: Self.seed ^ 3)
        let leaves = (0..<64).map { MerkleTree.leafHash([UInt8($0)]) }
        let tree = MerkleTree(leafHashes: leaves)
        let hashes = leaves + [MerkleHash.emptyTreeRoot, tree.rootHash]
        var refused = 0, accepted = 0
        for _ in 0..<20_000 {
            let size = [UInt64.random(in: 0...70, using: &rng), UInt64.max, UInt64.max - 1, 1 << 63].randomElement(using: &rng)!
            let index = [UInt64.random(in: 0...70, using: &rng), UInt64.max, size &- 1].randomElement(using: &rng)!
            let proof = (0..<Int.random(in: 0...70, using: &rng)).map { _ in hashes.randomElement(using: &rng)! }
            let root = hashes.randomElement(using: &rng)!
            let leaf = hashes.randomElement(using: &rng)!
            do {
                try MerkleTree.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, rootHash: root)
                // Possible only for a genuine proof in our tree (e.g. size 1: leaf == root).
                if size == 1 {
                    #expect(index == 0 && leaf == root && proof.isEmpty, "seed \(Self.seed)")
                } else {
                    let genuine = try size == 64 && root == tree.rootHash && leaves[Int(index)] == leaf
                        && proof == tree.inclusionProof(index: index, size: size)
                    #expect(genuine, "seed \(Self.seed)")
                }
                accepted += 1
            } catch {
                refused += 1
            }
            let oldSize = [UInt64.random(in: 0...70, using: &rng), UInt64.max].randomElement(using: &rng)!
            let oldRoot = hashes.randomElement(using: &rng)!
            do {
                try MerkleTree.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof)
                if oldSize == size {
                    #expect(oldRoot == root && proof.isEmpty, "seed \(Self.seed)")
                } else {
                    let genuine = try size == 64 && root == tree.rootHash && oldSize >= 1 && oldRoot == tree.rootHash(size: oldSize)
                        && proof == tree.consistencyProof(oldSize: oldSize, newSize: size)
                    #expect(genuine, "seed \(Self.seed)")
                }
                accepted += 1
            } catch {
                refused += 1
            }
        }
        print("fuzz random proofs (seed \(Self.seed)): \(refused) refused, \(accepted) accepted (all genuine)")
    }
}
