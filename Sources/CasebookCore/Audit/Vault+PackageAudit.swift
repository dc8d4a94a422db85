import CasebookCrypto
import CasebookFormat

extension Vault {
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
            let ad = AssociatedData.make("audit-event", [header.vaultID, UInt64(row.sequence).bigEndianBytes, row.leafHash])
            guard row.sequence == index,
                  let canonical = try? XChaCha20Poly1305.open(row.sealedEvent, using: keys.audit, authenticating: ad),
                  ConstantTime.equals(AuditEvent.leafHash(of: canonical), row.leafHash),
                  let leaf = MerkleHash(bytes: row.leafHash)
            else {
                throw CasebookError.integrity("audit event \(index) does not decrypt, is out of place or does not match its hash")
            }
            leaves.append(leaf)
        }
        let tree = MerkleTree(leafHashes: leaves)
        let index = UInt64(event.sequence)
        guard index < tree.size else { throw CasebookError(.internalError, "the package's audit event is not in the log") }
        do {
            let checkpoint = try Checkpoint(origin: auditOrigin, size: tree.size, rootHash: tree.rootHash)
            let note = try checkpoint.signed(privateKey: identity.signing)
            let proof = InclusionProofFile(index: index, size: tree.size, hashes: try tree.inclusionProof(index: index, size: tree.size))
            return PackageAuditProof(event: event.canonicalBytes(), proof: proof, checkpoint: note.bytes)
        } catch {
            throw CasebookError(.internalError, "cannot sign the package's audit checkpoint: \(error)")
        }
    }
}
