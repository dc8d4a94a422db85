/// Why a Merkle proof was not produced or did not verify. Every malformed or tampered input
/// is one of these; none is a crash.
public enum MerkleProofError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leaf index is not below the tree size (this includes every index into an empty tree).
    case indexOutOfRange(index: UInt64, size: UInt64)
    /// A consistency proof from a larger tree to a smaller one.
    case sizesOutOfOrder(oldSize: UInt64, newSize: UInt64)
    /// A consistency proof from the empty tree: it proves nothing (any tree extends the empty
    /// tree); a caller checks that the old root is `MerkleHash.emptyTreeRoot` instead.
    case emptyOldTree
    /// A size larger than the tree the proof is asked of.
    case sizeBeyondTree(size: UInt64, treeSize: UInt64)
    /// The proof has the wrong number of hashes for these sizes (too short, too long, or
    /// non-empty where it must be empty).
    case wrongProofLength(expected: Int, actual: Int)
    /// The hashes do not lead to the expected root(s): tampered proof, leaf, index, size or root.
    case rootMismatch
    /// Leaf hashes given as contiguous bytes whose count is not a multiple of 32.
    case malformedLeafHashes(byteCount: Int)

    public var description: String {
        switch self {
        case let .indexOutOfRange(index, size): "leaf index \(index) is not below tree size \(size)"
        case let .sizesOutOfOrder(old, new): "old tree size \(old) is larger than new tree size \(new)"
        case .emptyOldTree: "a consistency proof from the empty tree proves nothing"
        case let .sizeBeyondTree(size, treeSize): "size \(size) is larger than the tree (\(treeSize) leaves)"
        case let .wrongProofLength(expected, actual): "proof has \(actual) hashes, expected \(expected)"
        case .rootMismatch: "proof does not lead to the expected root hash"
        case let .malformedLeafHashes(count): "\(count) bytes of leaf hashes is not a multiple of 32"
        }
    }
}
