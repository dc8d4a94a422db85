import CasebookFormat
import Foundation
import CasebookCrypto

/// What other services share of the records: client data keys, inserting a new record,
/// and reading revisions. On `VaultService` so handovers, consents, exports and erasure
/// reach them under the same names as the vault.
extension VaultService {
    /// A client's data key for a write: cached, stored, or new (stored in this transaction,
    /// and kept in `pending` until the transaction commits).
    func clientKeyForWriting(_ clientID: [UInt8], writer: any VaultStoreWriter,
                             pending: inout [[UInt8]: ClientKey]) throws -> ClientKey {
        if let known = pending[clientID] ?? clientKeys[clientID] { return known }
        if try writer.erasedClient(id: clientID) != nil {
            throw CasebookError(.invalidInput, "this client reference belongs to a client who was erased; it cannot be used again",
                                hint: "give the client a new reference")
        }
        if let wrapped = try writer.wrappedClientKey(id: clientID) {
            let key = try unwrapClientKey(wrapped, clientID: clientID)
            clientKeys[clientID] = key
            return key
        }
        let key = ClientKey(SymmetricKey())
        let wrapped = key.key.withUnsafeBytes { raw in
            XChaCha20Poly1305.seal(raw, using: keys.clientKeyWrapping,
                                   authenticating: AssociatedData.make("client-key", [header.vaultID, clientID]))
        }
        try writer.insertClientKey(id: clientID, wrappedKey: wrapped)
        pending[clientID] = key
        return key
    }

    func insertNewRecord(
        _ content: RecordContent, metadata: RevisionMetadata, writer: any VaultStoreWriter,
        pending: inout [[UInt8]: ClientKey]
    ) throws -> RecordRevision {
        let clientID = keys.clientID(for: content.header.client.rawValue)
        let key = try clientKeyForWriting(clientID, writer: writer, pending: &pending)
        var recordID = RecordID.generate()
        while try writer.recordExists(recordID) { recordID = RecordID.generate() }
        try writer.insertRevision(RecordService.seal(content, metadata: metadata, recordID: recordID, revision: 1,
                                                     clientID: clientID, key: key.key, vaultID: header.vaultID))
        return RecordRevision(recordID: recordID, revision: 1, metadata: metadata, content: content)
    }

    // MARK: Keys

    /// A client's data key, from the cache or unwrapped from `wrapped` (read from the store when not given).
    func clientKey(_ clientID: [UInt8], wrapped: [UInt8]? = nil) throws -> ClientKey {
        if let key = clientKeys[clientID] { return key }
        guard let wrapped = try wrapped ?? store.wrappedClientKey(id: clientID) else {
            if let erased = try erasure(of: clientID) {
                throw CasebookError(.notFound, "this record's client was erased on \(erased.erasedAt); it can no longer be read")
            }
            throw CasebookError(.integrity, "a client's data key is missing",
                                hint: "the vault database was altered outside Casebook; restore it from a backup")
        }
        let key = try unwrapClientKey(wrapped, clientID: clientID)
        clientKeys[clientID] = key
        return key
    }

    func unwrapClientKey(_ wrapped: [UInt8], clientID: [UInt8]) throws -> ClientKey {
        var raw = SecureBytes(count: SymmetricKey.byteCount)
        do {
            let length = try raw.withUnsafeMutableBytes { out throws(CryptoError) in
                try XChaCha20Poly1305.open(wrapped, using: keys.clientKeyWrapping,
                                           authenticating: AssociatedData.make("client-key", [header.vaultID, clientID]), into: out)
            }
            guard length == SymmetricKey.byteCount else { throw CryptoError.authenticationFailed }
            return ClientKey(try SymmetricKey(raw))
        } catch {
            throw CasebookError.integrity("a client's data key does not decrypt")
        }
    }

    /// The latest revisions of many records (normalised ids), read in one transaction.
    func latestRecords(ids: [String]) throws -> [RecordRevision] {
        try zip(ids, store.revisions(recordIDs: ids)).map { id, found in
            try openRevision(checked(id, found).last!)
        }
    }

    /// A record's revision rows, which must be exactly 1…latest: a gap, or rows beyond the
    /// record's latest-revision pointer, means the database was edited.
    func checkedRevisions(_ id: String) throws -> [RevisionRow] {
        try checked(id, store.revisions(recordID: id))
    }

    private func checked(_ id: String, _ found: RecordRevisions) throws -> [RevisionRow] {
        let (rows, latest) = (found.rows, found.latest)
        guard !rows.isEmpty else {
            throw CasebookError(.notFound, "no record \(id) in this vault", remedy: .listRecords(client: nil))
        }
        guard rows.count == latest, rows.enumerated().allSatisfy({ $0.offset + 1 == $0.element.revision }) else {
            throw CasebookError.integrity("record \(id)'s revisions do not match its revision count")
        }
        return rows
    }

    func openRevision(_ row: RevisionRow) throws -> RecordRevision {
        let key = try clientKey(row.clientID)
        func ad(_ purpose: String) -> [UInt8] {
            RecordService.revisionAD(purpose, vaultID: header.vaultID, recordID: row.recordID, revision: row.revision, clientID: row.clientID)
        }
        // The meta is read by the same decoder as listings; the body is the section fields.
        guard let meta = try? XChaCha20Poly1305.open(row.sealedMeta, using: key.key, authenticating: ad("revision-meta")),
              let body = try? XChaCha20Poly1305.open(row.sealedBody, using: key.key, authenticating: ad("revision-body")),
              let (metadata, header) = meta.withUnsafeBytes({ SummaryDecoder.decode($0) }),
              let sections = try? RecordService.sections(FieldListEncoding.decode(body)),
              let content = try? RecordContent(header: header, sections: sections)
                .validated(withheld: Set(metadata.provenance?.withheld ?? []))
        else {
            throw CasebookError.integrity("record \(row.recordID) revision \(row.revision) does not decrypt (it was altered, or moved from another row)")
        }
        return RecordRevision(recordID: row.recordID, revision: row.revision, metadata: metadata, content: content)
    }
}
