public import CasebookCrypto

/// An RFC 6962 / RFC 9162 §2.1 Merkle tree over SHA-256 leaf hashes.
///
///     leaf hash = SHA-256(0x00 ‖ data)
///     node hash = SHA-256(0x01 ‖ left ‖ right)
///     MTH({})   = SHA-256()
///     MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n
///
/// The tree keeps every *complete* subtree (2^h leaves starting at a multiple of 2^h), level by
/// level in contiguous 32-byte slots: about 2n hashes for n leaves. Every other subtree hash
/// (the right edge of a tree whose size is not a power of two) is folded from at most 64 of
/// them on demand, so the root, inclusion proofs and consistency proofs for any size up to
/// `size` cost O(log n) hashes each.
public struct MerkleTree: Sendable {
    /// `levels[h]` holds the complete subtrees of height h, left to right: `size >> h` slots.
    private var levels: [[UInt8]]

    /// The number of leaves.
    public private(set) var size: UInt64

    /// An empty tree.
    public init() {
        levels = [[]]
        size = 0
    }

    /// The tree of these leaf hashes, in order.
    public init(leafHashes: [MerkleHash]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(leafHashes.count * MerkleHash.byteCount)
        for leaf in leafHashes { leaf.withUnsafeBytes { bytes += $0 } }
        self.init(validatedContiguousLeafHashes: bytes)
    }

    /// The tree of leaf hashes stored back to back, 32 bytes each (e.g. the
    /// `audit_events.leaf_hash` column, concatenated in sequence order).
    public init(contiguousLeafHashes bytes: [UInt8]) throws(MerkleProofError) {
        guard bytes.count % MerkleHash.byteCount == 0 else { throw .malformedLeafHashes(byteCount: bytes.count) }
        self.init(validatedContiguousLeafHashes: bytes)
    }

    private init(validatedContiguousLeafHashes bytes: [UInt8]) {
        var levels = [bytes]
        var count = bytes.count / MerkleHash.byteCount
        while count > 1 {
            let parents = count / 2
            let below = levels[levels.count - 1]
            let level = [UInt8](unsafeUninitializedCapacity: parents * MerkleHash.byteCount) { out, initialised in
                below.withUnsafeBytes { input in
                    for index in 0..<parents {
                        let left = UnsafeRawBufferPointer(rebasing: input[(2 * index * 32)..<(2 * index * 32 + 32)])
                        let right = UnsafeRawBufferPointer(rebasing: input[(2 * index * 32 + 32)..<(2 * index * 32 + 64)])
                        SHA256.hash(prefix: 0x01, left, right, into: UnsafeMutableRawPointer(out.baseAddress! + index * 32))
                    }
                }
                initialised = parents * MerkleHash.byteCount
            }
            levels.append(level)
            count = parents
        }
        self.levels = levels
        self.size = UInt64(bytes.count / MerkleHash.byteCount)
    }

    /// Appends one leaf hash, completing the subtrees it closes (amortised O(1) hashes).
    public mutating func append(_ leafHash: MerkleHash) {
        leafHash.withUnsafeBytes { levels[0] += $0 }
        size += 1
        var height = 0
        var count = Int(size)
        while count % 2 == 0 {
            if levels.count == height + 1 { levels.append([]) }
            let parent = node(height: height, index: count - 2).combined(with: node(height: height, index: count - 1))
            parent.withUnsafeBytes { levels[height + 1] += $0 }
            height += 1
            count /= 2
        }
    }

    /// The leaf hash at `index`.
    public func leafHash(at index: UInt64) throws(MerkleProofError) -> MerkleHash {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        return node(height: 0, index: Int(index))
    }

    /// The root hash of the whole tree.
    public var rootHash: MerkleHash { subtreeHash(start: 0, end: Int(size)) }

    /// The root hash of the tree of the first `size` leaves (an earlier version of the log).
    public func rootHash(size treeSize: UInt64) throws(MerkleProofError) -> MerkleHash {
        guard treeSize <= size else { throw .sizeBeyondTree(size: treeSize, treeSize: size) }
        return subtreeHash(start: 0, end: Int(treeSize))
    }

    /// The RFC 6962 §2.1.1 audit path (RFC 9162 inclusion proof) for leaf `index` in the tree of
    /// the first `size` leaves: sibling hashes from the leaf up to the root.
    public func inclusionProof(index: UInt64, size treeSize: UInt64) throws(MerkleProofError) -> [MerkleHash] {
        guard treeSize <= size else { throw .sizeBeyondTree(size: treeSize, treeSize: size) }
        guard index < treeSize else { throw .indexOutOfRange(index: index, size: treeSize) }
        let target = Int(index)
        var start = 0
        var end = Int(treeSize)
        var topDown: [MerkleHash] = []
        while end - start > 1 {
            let split = start + Self.largestPowerOfTwo(below: end - start)
            if target < split {
                topDown.append(subtreeHash(start: split, end: end))
                end = split
            } else {
                topDown.append(subtreeHash(start: start, end: split))
                start = split
            }
        }
        return topDown.reversed()
    }

    /// The RFC 6962 §2.1.2 consistency proof (RFC 9162 §2.1.4.1) from the tree of the first
    /// `oldSize` leaves to the tree of the first `newSize`. Empty when the sizes are equal.
    public func consistencyProof(oldSize: UInt64, newSize: UInt64) throws(MerkleProofError) -> [MerkleHash] {
        guard newSize <= size else { throw .sizeBeyondTree(size: newSize, treeSize: size) }
        guard oldSize <= newSize else { throw .sizesOutOfOrder(oldSize: oldSize, newSize: newSize) }
        guard oldSize > 0 else { throw .emptyOldTree }
        let boundary = Int(oldSize)
        var start = 0
        var end = Int(newSize)
        var wholeOldTree = true  // RFC 6962's flag b: the current subtree is the old tree itself
        var topDown: [MerkleHash] = []
        while boundary != end {
            // boundary lies strictly inside [start, end), so the subtree has at least 2 leaves.
            let split = start + Self.largestPowerOfTwo(below: end - start)
            if boundary <= split {
                topDown.append(subtreeHash(start: split, end: end))
                end = split
            } else {
                topDown.append(subtreeHash(start: start, end: split))
                start = split
                wholeOldTree = false
            }
        }
        var proof: [MerkleHash] = wholeOldTree ? [] : [subtreeHash(start: start, end: end)]
        proof += topDown.reversed()
        return proof
    }

    // MARK: Static helpers

    /// RFC 6962 leaf hash: SHA-256(0x00 ‖ data).
    public static func leafHash(_ data: some ContiguousBytesView) -> MerkleHash {
        var raw = SIMD32<UInt8>()
        data.withBytes { bytes in
            withUnsafeMutableBytes(of: &raw) { out in
                SHA256.hash(prefix: 0x00, bytes, UnsafeRawBufferPointer(start: nil, count: 0), into: out.baseAddress!)
            }
        }
        return MerkleHash(raw: raw)
    }

    /// RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        left.combined(with: right)
    }

    /// The root of the tree of these leaf hashes (stored back to back, 32 bytes each), computed
    /// level by level in one working buffer without building a `MerkleTree`.
    public static func rootHash(contiguousLeafHashes bytes: [UInt8]) throws(MerkleProofError) -> MerkleHash {
        guard bytes.count % MerkleHash.byteCount == 0 else { throw .malformedLeafHashes(byteCount: bytes.count) }
        var count = bytes.count / MerkleHash.byteCount
        guard count > 0 else { return .emptyTreeRoot }
        var work = bytes
        return work.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            while count > 1 {
                let pairs = count / 2
                for index in 0..<pairs {
                    // Slot `index` is written only after slots 2·index and 2·index+1 are read
                    // (SHA-256 consumes its input before writing the digest), and index ≤ 2·index.
                    SHA256.hash(
                        prefix: 0x01,
                        UnsafeRawBufferPointer(start: base + 64 * index, count: 32),
                        UnsafeRawBufferPointer(start: base + 64 * index + 32, count: 32),
                        into: base + 32 * index
                    )
                }
                if count % 2 == 1 {
                    // The last node of an odd level is carried up unchanged (RFC 6962's split).
                    (base + 32 * pairs).copyMemory(from: base + 32 * (count - 1), byteCount: 32)
                }
                count = (count + 1) / 2
            }
            return MerkleHash(reading: base)
        }
    }

    // MARK: Verification (RFC 9162 §2.1.3.2 and §2.1.4.2)

    /// Checks that `proof` proves leaf `index`, with hash `leafHash`, is in the tree of `size`
    /// leaves whose root is `rootHash`. Throws on any mismatch; returns only if valid.
    public static func verifyInclusion(
        index: UInt64, size: UInt64, leafHash: MerkleHash, proof: [MerkleHash], rootHash: MerkleHash
    ) throws(MerkleProofError) {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        let expected = inclusionProofLength(index: index, size: size)
        guard proof.count == expected else { throw .wrongProofLength(expected: expected, actual: proof.count) }
        var fn = index
        var sn = size - 1
        var result = leafHash
        for element in proof {
            // sn > 0 here: the length check above ran this same walk.
            if fn & 1 == 1 || fn == sn {
                result = element.combined(with: result)
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            } else {
                result = result.combined(with: element)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0, result == rootHash else { throw .rootMismatch }
    }

    /// Checks that `proof` proves the tree of `oldSize` leaves with root `oldRoot` is a prefix of
    /// the tree of `newSize` leaves with root `newRoot`. Equal sizes need an empty proof and equal
    /// roots; an old size of 0 is refused (`.emptyOldTree`).
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: MerkleHash, newRoot: MerkleHash, proof: [MerkleHash]
    ) throws(MerkleProofError) {
        guard oldSize <= newSize else { throw .sizesOutOfOrder(oldSize: oldSize, newSize: newSize) }
        guard oldSize > 0 else { throw .emptyOldTree }
        let expected = consistencyProofLength(oldSize: oldSize, newSize: newSize)
        guard proof.count == expected else { throw .wrongProofLength(expected: expected, actual: proof.count) }
        if oldSize == newSize {
            guard oldRoot == newRoot else { throw .rootMismatch }
            return
        }
        var path = proof[...]
        var seed: MerkleHash
        if oldSize & (oldSize - 1) == 0 {
            // The old tree is a complete subtree of the new one: its root starts the walk.
            seed = oldRoot
        } else {
            seed = path.removeFirst()
        }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var oldResult = seed
        var newResult = seed
        for element in path {
            if fn & 1 == 1 || fn == sn {
                oldResult = element.combined(with: oldResult)
                newResult = element.combined(with: newResult)
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            } else {
                newResult = newResult.combined(with: element)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0, oldResult == oldRoot, newResult == newRoot else { throw .rootMismatch }
    }

    /// The number of hashes in an inclusion proof for `index` < `size`: the walk of
    /// `verifyInclusion` without hashing.
    public static func inclusionProofLength(index: UInt64, size: UInt64) -> Int {
        precondition(index < size)
        var fn = index
        var sn = size - 1
        var count = 0
        while sn != 0 {
            if fn & 1 == 0 && fn == sn {
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            }
            fn >>= 1
            sn >>= 1
            count += 1
        }
        return count
    }

    /// The number of hashes in a consistency proof for 0 < `oldSize` ≤ `newSize`.
    public static func consistencyProofLength(oldSize: UInt64, newSize: UInt64) -> Int {
        precondition(oldSize > 0 && oldSize <= newSize)
        if oldSize == newSize { return 0 }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var count = oldSize & (oldSize - 1) == 0 ? 0 : 1
        while sn != 0 {
            if fn & 1 == 0 && fn == sn {
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            }
            fn >>= 1
            sn >>= 1
            count += 1
        }
        return count
    }

    // MARK: Internals

    private func node(height: Int, index: Int) -> MerkleHash {
        levels[height].withUnsafeBytes { MerkleHash(reading: $0.baseAddress! + index * 32) }
    }

    /// MTH(D[start:end]) where `start` is a multiple of the smallest power of two ≥ end − start
    /// (true of every subtree RFC 6962's recursion visits): the complete subtrees given by the
    /// binary digits of the length, high to low, folded from the right.
    private func subtreeHash(start: Int, end: Int) -> MerkleHash {
        var remaining = end - start
        guard remaining > 0 else { return .emptyTreeRoot }
        var pieces: [MerkleHash] = []
        var position = start
        while remaining > 0 {
            let height = Int.bitWidth - 1 - remaining.leadingZeroBitCount
            pieces.append(node(height: height, index: position >> height))
            position += 1 << height
            remaining -= 1 << height
        }
        var result = pieces.removeLast()
        while let left = pieces.popLast() { result = left.combined(with: result) }
        return result
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    private static func largestPowerOfTwo(below n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}

extension MerkleHash {
    /// SHA-256(0x01 ‖ self ‖ right).
    func combined(with right: MerkleHash) -> MerkleHash {
        var raw = SIMD32<UInt8>()
        withUnsafeBytes { left in
            right.withUnsafeBytes { right in
                Swift.withUnsafeMutableBytes(of: &raw) { out in
                    SHA256.hash(prefix: 0x01, left, right, into: out.baseAddress!)
                }
            }
        }
        return MerkleHash(raw: raw)
    }
}
