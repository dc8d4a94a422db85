/// Verifies an audit log fed to it one event at a time, in order, in bounded memory (the
/// Merkle tree's ~64 bytes per event): each event must be canonical and carry its own
/// position, its leaf hash extends the tree; at the end the tree is measured against
/// the owner's signed checkpoints — the trusted ones compliance holds and, for a bundle,
/// the bundle's own. Pure: no I/O, no keys (signatures are checked before checkpoints
/// reach it).
///
/// The owner holds the signing key and can rewrite and re-sign the whole log; only
/// checkpoints signed *before* the rewrite and kept elsewhere expose that. So the end
/// checks, in this order: two signed checkpoints of one size with different roots
/// (equivocation); a trusted checkpoint larger than the log (truncation or rollback);
/// every trusted checkpoint a prefix of the log (an RFC 6962 consistency proof); then the
/// bundle's checkpoint: exactly this size and root.
public struct AuditLogVerifier: Sendable {
    public private(set) var tree = MerkleTree()

    public init() {}

    /// Events verified so far.
    public var count: UInt64 { tree.size }

    /// Checks the next event line (its bytes, without the newline) and adds its leaf.
    @discardableResult
    public mutating func append(_ line: UnsafeRawBufferPointer) throws(AuditLogFailure) -> AuditEventLine.Fields {
        let index = tree.size
        let fields: AuditEventLine.Fields
        do {
            fields = try AuditEventLine.scan(line)
        } catch {
            throw .malformedEvent(index: index, reason: error.description)
        }
        guard fields.sequence == index else { throw .outOfSequence(index: index, found: fields.sequence) }
        tree.append(MerkleTree.leafHash(line))
        return fields
    }

    /// The same for bytes in an array.
    @discardableResult
    public mutating func append(_ line: [UInt8]) throws(AuditLogFailure) -> AuditEventLine.Fields {
        var result: Result<AuditEventLine.Fields, AuditLogFailure> = .failure(.malformedEvent(index: count, reason: "unreadable"))
        line.withUnsafeBytes { raw in
            result = Result { () throws(AuditLogFailure) in try append(raw) }
        }
        return try result.get()
    }

    /// The end checks (see the type's description). `trusted` are this log's checkpoints,
    /// signatures already verified; `signed` is the bundle's own (nil when verifying a vault's
    /// own log). Returns the trusted checkpoints, all consistent, smallest first.
    @discardableResult
    public func finish(trusted: [TrustedCheckpoint], signed: TrustedCheckpoint?) throws(AuditLogFailure) -> [TrustedCheckpoint] {
        let ordered = trusted.sorted { ($0.checkpoint.size, $0.name) < ($1.checkpoint.size, $1.name) }
        // Equivocation: among every signed statement, one root per size.
        var bySize: [UInt64: TrustedCheckpoint] = [:]
        for candidate in ordered + (signed.map { [$0] } ?? []) {
            if let earlier = bySize[candidate.checkpoint.size] {
                if earlier.checkpoint.rootHash != candidate.checkpoint.rootHash {
                    throw .equivocation(size: candidate.checkpoint.size, first: earlier.name, second: candidate.name)
                }
            } else {
                bySize[candidate.checkpoint.size] = candidate
            }
        }
        // Rollback: the largest trusted checkpoint beyond the log.
        if let largest = ordered.last, largest.checkpoint.size > count {
            throw .rollback(trusted: largest.name, trustedSize: largest.checkpoint.size, eventCount: count)
        }
        // Consistency, smallest first: the first that fails is bounded below by the last that held.
        let root = tree.rootHash
        var matching: UInt64 = 0
        for candidate in ordered {
            let size = candidate.checkpoint.size
            if !isConsistent(size: size, root: candidate.checkpoint.rootHash, newRoot: root) {
                throw .inconsistent(trusted: candidate.name, trustedSize: size, firstBad: matching..<size)
            }
            matching = size
        }
        if let signed {
            guard signed.checkpoint.size == count else {
                throw .checkpointSizeMismatch(checkpointSize: signed.checkpoint.size, eventCount: count)
            }
            guard signed.checkpoint.rootHash == root else { throw .checkpointRootMismatch(firstBad: matching..<count) }
        }
        return ordered
    }

    /// Whether the log's first `size` events have root `oldRoot`, proved the RFC 6962 way:
    /// a consistency proof from `size` to the whole log, checked against both roots.
    func isConsistent(size: UInt64, root oldRoot: MerkleHash, newRoot: MerkleHash) -> Bool {
        if size == 0 { return oldRoot == .emptyTreeRoot }
        do {
            let proof = try tree.consistencyProof(oldSize: size, newSize: count)
            try MerkleTree.verifyConsistency(oldSize: size, newSize: count, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
            return true
        } catch {
            return false
        }
    }
}
