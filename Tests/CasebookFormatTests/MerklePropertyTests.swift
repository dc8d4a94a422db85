import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// A small seeded generator (SplitMix64) so that a failing run can be repeated.
struct MerkleTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension MerkleHash {
    func flipping(bit: Int) -> MerkleHash {
        var bytes = self.bytes
        bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        return MerkleHash(bytes: bytes)!
    }
}

@Suite struct MerklePropertyTests {
    static let seed = UInt64(Date().timeIntervalSince1970)

    /// Random leaf hashes (leaf hashes of random data).
    static func leaves(_ count: Int, _ rng: inout MerkleTestRNG) -> [MerkleHash] {
        (0..<count).map { _ in MerkleTree.leafHash((0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
    }

    /// The RFC 6962 definition, recursively, as an independent oracle.
    static func referenceRoot(_ leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        if leaves.isEmpty { return .emptyTreeRoot }
        if leaves.count == 1 { return leaves.first! }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let split = leaves.startIndex + k
        return MerkleTree.nodeHash(referenceRoot(leaves[..<split]), referenceRoot(leaves[split...]))
    }

    /// Sizes 1…20 exhaustively, and random sizes up to 300 (always including 300).
    static func sizes(_ rng: inout MerkleTestRNG) -> [Int] {
        Array(1...20) + (0..<6).map { _ in Int.random(in: 21...299, using: &rng) } + [256, 300]
    }

    @Test func everyGeneratedProofVerifies() throws {
        var rng = MerkleTestRNG(seed: Self.seed)
        let sizes = Self.sizes(&rng)
        let leaves = Self.leaves(300, &rng)
        let tree = MerkleTree(leafHashes: leaves)
        var inclusion = 0, consistency = 0
        for n in sizes.map(UInt64.init) {
            let root = try tree.rootHash(size: n)
            #expect(root == Self.referenceRoot(leaves[..<Int(n)]), "seed \(Self.seed) size \(n)")
            #expect(root == MerkleTree(leafHashes: Array(leaves[..<Int(n)])).rootHash)
            for index in 0..<n {
                let proof = try tree.inclusionProof(index: index, size: n)
                #expect(proof.count == MerkleTree.inclusionProofLength(index: index, size: n))
                try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaves[Int(index)], proof: proof, rootHash: root)
                inclusion += 1
            }
            for m in 1...n {
                let oldRoot = try tree.rootHash(size: m)
                let proof = try tree.consistencyProof(oldSize: m, newSize: n)
                #expect(proof.count == MerkleTree.consistencyProofLength(oldSize: m, newSize: n))
                try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: root, proof: proof)
                consistency += 1
            }
        }
        print("merkle properties (seed \(Self.seed)): sizes \(sizes), \(inclusion) inclusion and \(consistency) consistency proofs generated and verified")
        #expect(inclusion == sizes.reduce(0, +))
    }

    /// Flipping any single bit of any proof hash, the leaf or a root, or changing the index, a
    /// size or the proof's length, makes verification fail.
    @Test func everyBitFlipIsRejected() throws {
        var rng = MerkleTestRNG(seed: Self.seed ^ 0xA5A5)
        let sizes = Self.sizes(&rng)
        let leaves = Self.leaves(300, &rng)
        let tree = MerkleTree(leafHashes: leaves)
        var rejected = 0
        func expectRejected(_ body: () throws(MerkleProofError) -> Void, _ what: @autoclosure () -> String) {
            do throws(MerkleProofError) {
                try body()
                Issue.record("accepted: \(what()) (seed \(Self.seed))")
            } catch {
                rejected += 1
            }
        }
        for n in sizes.map(UInt64.init) {
            let root = try tree.rootHash(size: n)
            // Inclusion: a few indices per size, every bit of every element, leaf and root.
            for index in Set([0, n - 1, UInt64.random(in: 0..<n, using: &rng)]) {
                let leaf = leaves[Int(index)]
                let proof = try tree.inclusionProof(index: index, size: n)
                for element in proof.indices {
                    for bit in 0..<256 {
                        var bad = proof
                        bad[element] = bad[element].flipping(bit: bit)
                        expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf, proof: bad, rootHash: root) }, "inclusion \(index)/\(n) element \(element) bit \(bit)")
                    }
                }
                for bit in 0..<256 {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf, proof: proof, rootHash: root.flipping(bit: bit)) }, "inclusion root bit \(bit)")
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf.flipping(bit: bit), proof: proof, rootHash: root) }, "inclusion leaf bit \(bit)")
                }
                for otherIndex in [index &+ 1, index &- 1, index ^ 1, index ^ 2, n, UInt64.max] where otherIndex != index {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: otherIndex, size: n, leafHash: leaf, proof: proof, rootHash: root) }, "inclusion index \(otherIndex) for \(index)/\(n)")
                }
                // An inclusion proof does not authenticate the tree size beyond the shape of the
                // path (RFC 9162 §2.1.3.2; the checkpoint signature binds size and root), so only
                // sizes that change the path's length must fail here.
                for otherSize in [n + 1, n - 1, n * 2, n / 2, 0, index, UInt64.max] where otherSize != n
                    && (otherSize <= index || MerkleTree.inclusionProofLength(index: index, size: otherSize) != proof.count) {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: otherSize, leafHash: leaf, proof: proof, rootHash: root) }, "inclusion size \(otherSize) for \(index)/\(n)")
                }
                expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf, proof: proof + [root], rootHash: root) }, "inclusion with trailing element")
                expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf, proof: [leaf] + proof, rootHash: root) }, "inclusion with leading element")
                if !proof.isEmpty {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf, proof: Array(proof.dropLast()), rootHash: root) }, "inclusion truncated")
                }
                if proof.count > 1 {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyInclusion(index: index, size: n, leafHash: leaf, proof: proof.reversed(), rootHash: root) }, "inclusion reversed")
                }
            }
            // Consistency: a few old sizes per size.
            for m in Set([1, n, n / 2 + 1, UInt64.random(in: 1...n, using: &rng)]) {
                let oldRoot = try tree.rootHash(size: m)
                let proof = try tree.consistencyProof(oldSize: m, newSize: n)
                for element in proof.indices {
                    for bit in 0..<256 {
                        var bad = proof
                        bad[element] = bad[element].flipping(bit: bit)
                        expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: root, proof: bad) }, "consistency \(m)→\(n) element \(element) bit \(bit)")
                    }
                }
                for bit in 0..<256 {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot.flipping(bit: bit), newRoot: root, proof: proof) }, "consistency \(m)→\(n) old root bit \(bit)")
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: root.flipping(bit: bit), proof: proof) }, "consistency \(m)→\(n) new root bit \(bit)")
                }
                // As for inclusion, sizes are bound by the signed checkpoint, not by the proof:
                // only sizes that are invalid or change the proof's length must fail here.
                for (otherOld, otherNew) in [(m + 1, n), (m - 1, n), (m, n + 1), (m, n - 1), (n, m), (0, n), (m, 0), (m * 2, n * 2)] where (otherOld, otherNew) != (m, n)
                    && (otherOld == 0 || otherOld > otherNew || MerkleTree.consistencyProofLength(oldSize: otherOld, newSize: otherNew) != proof.count) {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: otherOld, newSize: otherNew, oldRoot: oldRoot, newRoot: root, proof: proof) }, "consistency sizes \(otherOld)→\(otherNew) for \(m)→\(n)")
                }
                expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: root, proof: proof + [root]) }, "consistency trailing element")
                expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: root, proof: [oldRoot] + proof) }, "consistency leading element")
                if !proof.isEmpty {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: root, proof: Array(proof.dropFirst())) }, "consistency truncated")
                }
                if m < n {
                    expectRejected({ () throws(MerkleProofError) in try MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: root, newRoot: oldRoot, proof: proof) }, "consistency swapped roots")
                }
            }
        }
        print("merkle tampering (seed \(Self.seed)): \(rejected) altered proofs, roots, leaves, indices and sizes all rejected")
        #expect(rejected > 10_000)
    }

    @Test func generatorRefusesBadArguments() throws {
        var rng = MerkleTestRNG(seed: 7)
        let tree = MerkleTree(leafHashes: Self.leaves(10, &rng))
        #expect(throws: MerkleProofError.indexOutOfRange(index: 10, size: 10)) { try tree.inclusionProof(index: 10, size: 10) }
        #expect(throws: MerkleProofError.indexOutOfRange(index: 0, size: 0)) { try tree.inclusionProof(index: 0, size: 0) }
        #expect(throws: MerkleProofError.sizeBeyondTree(size: 11, treeSize: 10)) { try tree.inclusionProof(index: 0, size: 11) }
        #expect(throws: MerkleProofError.sizeBeyondTree(size: 11, treeSize: 10)) { try tree.rootHash(size: 11) }
        #expect(throws: MerkleProofError.sizesOutOfOrder(oldSize: 5, newSize: 4)) { try tree.consistencyProof(oldSize: 5, newSize: 4) }
        #expect(throws: MerkleProofError.emptyOldTree) { try tree.consistencyProof(oldSize: 0, newSize: 4) }
        #expect(throws: MerkleProofError.sizeBeyondTree(size: 11, treeSize: 10)) { try tree.consistencyProof(oldSize: 1, newSize: 11) }
        #expect(throws: MerkleProofError.malformedLeafHashes(byteCount: 33)) { try MerkleTree(contiguousLeafHashes: [UInt8](repeating: 0, count: 33)) }
        #expect(throws: MerkleProofError.malformedLeafHashes(byteCount: 31)) { try MerkleTree.rootHash(contiguousLeafHashes: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: MerkleProofError.indexOutOfRange(index: 10, size: 10)) { try tree.leafHash(at: 10) }
        #expect(MerkleHash(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(MerkleHash(base64: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") == .emptyTreeRoot)
        #expect(MerkleHash(base64: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=") == nil)  // non-canonical tail bits
        #expect(MerkleHash(base64: "ZG9uJ3QgY2FyZSAy") == nil)
    }

    /// 1,000,000 leaf hashes: the in-place root, the full tree, and proofs near the end.
    /// Timings are printed; the bound is loose because debug builds are slow (debug figures in docs/formats.md §6.1;
    /// no release figures yet).
    @Test func millionLeaves() throws {
        let count = 1_000_000
        var bytes = [UInt8](repeating: 0, count: count * 32)
        for index in 0..<count {
            withUnsafeBytes(of: UInt64(index).bigEndian) { bytes.replaceSubrange((index * 32)..<(index * 32 + 8), with: $0) }
        }
        let clock = ContinuousClock()
        var root = MerkleHash.emptyTreeRoot
        let rootTime = try clock.measure { root = try MerkleTree.rootHash(contiguousLeafHashes: bytes) }
        var tree = MerkleTree()
        let treeTime = try clock.measure { tree = try MerkleTree(contiguousLeafHashes: bytes) }
        #expect(tree.rootHash == root)
        var proofs = 0
        let proofTime = try clock.measure {
            for index in stride(from: UInt64(0), to: UInt64(count), by: 9_973) {
                let proof = try tree.inclusionProof(index: index, size: UInt64(count))
                try MerkleTree.verifyInclusion(index: index, size: UInt64(count), leafHash: try tree.leafHash(at: index), proof: proof, rootHash: root)
                let old = index + 1
                let consistency = try tree.consistencyProof(oldSize: old, newSize: UInt64(count))
                try MerkleTree.verifyConsistency(oldSize: old, newSize: UInt64(count), oldRoot: try tree.rootHash(size: old), newRoot: root, proof: consistency)
                proofs += 2
            }
        }
        print("merkle 1,000,000 leaves: in-place root \(rootTime), full tree \(treeTime), \(proofs) proofs generated and verified in \(proofTime)")
        #expect(rootTime < .seconds(30))
        #expect(treeTime < .seconds(30))
    }
}
