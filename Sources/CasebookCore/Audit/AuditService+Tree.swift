public import CasebookFormat

/// The audit log as an RFC 6962 Merkle tree (docs/formats.md §6): leaf `i` is the stored
/// leaf hash of event `i`, SHA-256(0x00 ‖ the event's canonical JSON).
public struct AuditTreeHead: Equatable, Sendable {
    public let size: UInt64
    public let rootHash: MerkleHash
}

extension AuditService {
    /// Checks every event (it decrypts, matches its leaf hash and carries its own sequence
    /// number) and that the sequence numbers are exactly 0, 1, 2, …; returns the events and
    /// the tree over them. Any failure is an integrity error naming the first bad index.
    public func verifiedLog() throws -> (events: [AuditEvent], tree: MerkleTree) {
        let log = try checkedAuditLog()
        var tree = MerkleTree()
        for (row, _) in log {
            guard let hash = MerkleHash(bytes: row.leafHash) else {
                throw CasebookError.integrity("audit event \(row.sequence) has a malformed leaf hash")
            }
            tree.append(hash)
        }
        let events = log.map(\.event)
        return (events, tree)
    }

    /// The size and root hash of the audit tree, after checking every event.
    public func treeHead() throws -> AuditTreeHead {
        let tree = try verifiedLog().tree
        return AuditTreeHead(size: tree.size, rootHash: tree.rootHash)
    }
}

extension AuditService {
    /// The origin line of this vault's checkpoints (docs/formats.md §6).
    public var origin: String { auditOrigin }

    /// A C2SP tlog-checkpoint of the audit tree as it is now (after checking every
    /// event), signed as a C2SP signed note with the owner's Ed25519 identity key under
    /// the origin as key name.
    public func checkpoint() throws -> (head: AuditTreeHead, note: SignedNote) {
        let head = try treeHead()
        return (head, try signedCheckpoint(size: head.size, rootHash: head.rootHash).note)
    }


    /// The note verifier key (`vkey`) for this vault's checkpoints, for compliance.
    public var verifierKey: String {
        (try? NoteVerifier(name: auditOrigin, publicKey: identity.minisignPublicKey.key).vkey) ?? ""
    }
}

/// Signing checkpoints, for every service that proves events (packages, bundles, `audit checkpoint`).
extension VaultService {
    /// The origin line of this vault's checkpoints (docs/formats.md §6).
    var auditOrigin: String { AuditOrigin.origin(vaultID: vaultID) }

    /// This vault's checkpoint of a tree of `size` with `rootHash`, signed with its identity
    /// key: for `audit checkpoint`, packages and audit bundles alike.
    func signedCheckpoint(size: UInt64, rootHash: MerkleHash) throws -> (checkpoint: Checkpoint, note: SignedNote) {
        do {
            let checkpoint = try Checkpoint(origin: auditOrigin, size: size, rootHash: rootHash)
            return (checkpoint, try checkpoint.signed(privateKey: identity.signing))
        } catch {
            throw CasebookError(.internalError, "cannot sign the audit checkpoint: \(error)")
        }
    }
}
