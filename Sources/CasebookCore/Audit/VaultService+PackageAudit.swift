import CasebookFormat

/// On every service that writes a package (handovers, exports).
extension VaultService {
    /// Inside the caller's transaction, after it appended `event`: checks every audit row
    /// (each must decrypt under its own position and match its stored leaf hash, so a
    /// damaged log is never signed), signs a checkpoint over the whole log, and proves the
    /// event's inclusion in it. The package that carries this cannot be made without the
    /// event being in the log, and the event cannot be dropped later without the checkpoint
    /// in the recipient's hands showing it.
    func packageAuditProof(for event: AuditEvent, writer: any VaultStoreWriter) throws -> PackageAuditProof {
        let rows = try writer.auditRows()
        var leaves: [MerkleHash] = []
        leaves.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard (try? context.checkedAuditRow(row, at: index)) != nil, let leaf = MerkleHash(bytes: row.leafHash) else {
                throw CasebookError.integrity("audit event \(index) does not decrypt, is out of place or does not match its hash")
            }
            leaves.append(leaf)
        }
        let tree = MerkleTree(leafHashes: leaves)
        let index = UInt64(event.sequence)
        guard index < tree.size else { throw CasebookError(.internalError, "the package's audit event is not in the log") }
        let note = try signedCheckpoint(size: tree.size, rootHash: tree.rootHash).note
        do {
            let proof = InclusionProofFile(index: index, size: tree.size, hashes: try tree.inclusionProof(index: index, size: tree.size))
            return PackageAuditProof(event: event.canonicalBytes(), proof: proof, checkpoint: note.bytes)
        } catch {
            throw CasebookError(.internalError, "cannot prove the package's audit event: \(error)")
        }
    }
}
