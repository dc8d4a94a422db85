import CasebookFormat
import Foundation
import CasebookCrypto

/// A vault's records, reached as `vault.records`: every revision is sealed with the
/// client's data key (XChaCha20-Poly1305) in two parts — `meta` (revision metadata and
/// header, enough for listings) and `body` (the kind-specific sections) — each bound by
/// associated data to the vault, record, revision and client, so a row copied elsewhere
/// fails to open. The helpers other services share (client keys, reading revisions) are
/// on `VaultService` (`VaultService+Records.swift`).
public struct RecordService: VaultService {
    let context: VaultContext

    /// Largest plaintext accepted for one record document.
    public static let maximumRecordBytes = 1 << 20

    // MARK: Writing

    /// Stores a new record (revision 1) and audits it.
    @discardableResult
    public func create(_ content: RecordContent) throws -> RecordRevision {
        let content = try content.validated()
        var pending: [[UInt8]: ClientKey] = [:]
        let revision = try store.write { writer in
            let revision = try insertNewRecord(content, origin: .created, writer: writer, pending: &pending)
            try append(.recordCreated(.init(id: revision.recordID, revision: 1, kind: content.header.kind,
                                               client: content.header.client)), in: writer)
            return revision
        }
        clientKeys.merge(pending) { current, _ in current }
        return revision
    }

    /// Stores a parsed import file in one transaction (migration): all records land or none.
    /// `progress` is told how many records are stored so far, every 1,000.
    public func `import`(_ batch: ImportBatch, progress: ((Int, Int) -> Void)? = nil) throws -> [String] {
        let validated = batch.records
        let digest = batch.digest
        var pending: [[UInt8]: ClientKey] = [:]
        let metadata = newMetadata(origin: .imported, reason: nil)
        let ids = try store.write { writer in
            // Ids are drawn first and the records inserted in id order: random ids would
            // otherwise scatter every insert across the id-keyed B-trees.
            var ids = Set<String>()
            ids.reserveCapacity(validated.count)
            while ids.count < validated.count { ids.insert(RecordID.generate()) }
            var order = ids.sorted()
            // An id already in the vault (a 2⁻⁵⁰ chance each) is replaced by a fresh one.
            for index in order.indices {
                guard try writer.recordExists(order[index]) else { continue }
                var fresh = RecordID.generate()
                while try ids.contains(fresh) || writer.recordExists(fresh) { fresh = RecordID.generate() }
                ids.insert(fresh)
                order[index] = fresh
            }
            // Client keys are found or made one client at a time (that may write rows);
            // then the records are sealed on every core, a chunk at a time, and inserted in order.
            var clients: [[UInt8]] = []
            clients.reserveCapacity(validated.count)
            var keysByClient: [[UInt8]: ClientKey] = [:]
            for content in validated {
                let clientID = keys.clientID(for: content.header.client.rawValue)
                if keysByClient[clientID] == nil {
                    keysByClient[clientID] = try clientKeyForWriting(clientID, writer: writer, pending: &pending)
                }
                clients.append(clientID)
            }
            let chunkSize = 4096
            let (recordIDs, recordClients, vaultID) = (order, clients, header.vaultID)
            let recordKeys = clients.map { keysByClient[$0]! }
            var stored = 0
            for chunkStart in stride(from: 0, to: validated.count, by: chunkSize) {
                let range = chunkStart..<min(validated.count, chunkStart + chunkSize)
                let rows = SealedChunk(count: range.count)
                let workers = min(ProcessInfo.processInfo.activeProcessorCount, 8)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for offset in stride(from: worker, to: range.count, by: workers) {
                        let index = range.lowerBound + offset
                        rows.set(offset, Self.seal(validated[index], metadata: metadata, recordID: recordIDs[index], revision: 1,
                                                   clientID: recordClients[index], key: recordKeys[index].key, vaultID: vaultID))
                    }
                }
                for row in rows.all() {
                    try writer.insertRevision(row)
                    stored += 1
                    if stored % 1000 == 0 { progress?(stored, validated.count) }
                }
            }
            let kinds = Set(validated.map(\.header.kind.rawValue)).sorted()
            try append(.recordsImported(records: order, kinds: kinds, count: order.count, digest: Hex.encode(digest)), in: writer)
            return order
        }
        clientKeys.merge(pending) { current, _ in current }
        return ids
    }

    /// Adds a revision to an existing record. The client and kind cannot change.
    @discardableResult
    public func amend(id: String, content: RecordContent, reason: String) throws -> RecordRevision {
        let id = try RecordID.normalized(id)
        let content = try content.validated()
        let current = try revision(id: id, revision: nil)
        try checkAmendment(of: current, to: content, reason: reason)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let clientID = keys.clientID(for: content.header.client.rawValue)
        let key = try clientKey(clientID)
        let metadata = newMetadata(origin: .amended, reason: reason)
        let revisionNumber = current.revision + 1
        try store.write { writer in
            try writer.insertRevision(seal(content, metadata: metadata, recordID: id, revision: revisionNumber,
                                           clientID: clientID, key: key.key))
            try append(.recordAmended(.init(id: id, revision: revisionNumber, kind: content.header.kind,
                                               client: content.header.client)), in: writer)
        }
        return RecordRevision(recordID: id, revision: revisionNumber, metadata: metadata, content: content)
    }

    /// The rules an amendment must follow: a reason, the same client and kind, and a change.
    public func checkAmendment(of current: RecordRevision, to content: RecordContent, reason: String) throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CasebookError(.invalidInput, "an amendment needs a reason", remedy: .giveReason(example: "what changed and why"))
        }
        guard current.metadata.origin != .received else {
            throw CasebookError(.invalidInput, "record \(current.recordID) was received in a handover and stays as its sender wrote it",
                                remedy: .writeOwnNote)
        }
        guard current.content.header.client == content.header.client else {
            throw CasebookError(.invalidInput, "an amendment cannot move a record to another client (\(current.content.header.client) → \(content.header.client))",
                                hint: "create a new record for the other client")
        }
        guard current.content.header.kind == content.header.kind else {
            throw CasebookError(.invalidInput, "an amendment cannot change the record's kind (\(current.content.header.kind.rawValue))")
        }
        guard current.content != content else {
            throw CasebookError(.invalidInput, "the amendment changes nothing; no revision was added")
        }
    }

    private func insertNewRecord(
        _ content: RecordContent, origin: RevisionMetadata.Origin, writer: any VaultStoreWriter,
        pending: inout [[UInt8]: ClientKey]
    ) throws -> RecordRevision {
        try insertNewRecord(content, metadata: newMetadata(origin: origin, reason: nil), writer: writer, pending: &pending)
    }

    private func newMetadata(origin: RevisionMetadata.Origin, reason: String?) -> RevisionMetadata {
        RevisionMetadata(author: context.profile.name, authorKeyID: actorID, recordedAt: Timestamp.string(clock.now()),
                         origin: origin, reason: reason)
    }

    private func seal(
        _ content: RecordContent, metadata: RevisionMetadata, recordID: String, revision: Int, clientID: [UInt8],
        key: borrowing SymmetricKey
    ) -> RevisionRow {
        Self.seal(content, metadata: metadata, recordID: recordID, revision: revision, clientID: clientID, key: key,
                  vaultID: header.vaultID)
    }

    /// A revision's four ciphertexts (meta, body, listing summary, search filter); safe
    /// to call from any thread.
    static func seal(
        _ content: RecordContent, metadata: RevisionMetadata, recordID: String, revision: Int, clientID: [UInt8],
        key: borrowing SymmetricKey, vaultID: [UInt8]
    ) -> RevisionRow {
        func ad(_ purpose: String) -> [UInt8] {
            revisionAD(purpose, vaultID: vaultID, recordID: recordID, revision: revision, clientID: clientID)
        }
        var meta = metadata.fields
        var body: [(key: String, value: String)] = []
        for field in content.storageFields {
            if field.key.hasPrefix(RecordContent.sectionKeyPrefix) { body.append(field) } else { meta.append(field) }
        }
        let filter = TrigramFilter.make(values: content.storageFields.map(\.value))
        return RevisionRow(
            recordID: recordID, revision: revision, clientID: clientID,
            sealedMeta: XChaCha20Poly1305.seal(FieldListEncoding.encode(meta), using: key, authenticating: ad("revision-meta")),
            sealedBody: XChaCha20Poly1305.seal(FieldListEncoding.encode(body), using: key, authenticating: ad("revision-body")),
            sealedSummary: XChaCha20Poly1305.seal(RecordListing.encode(content.header), using: key, authenticating: ad("record-summary")),
            sealedFilter: XChaCha20Poly1305.seal(filter, using: key, authenticating: ad("record-filter")))
    }

    /// The associated data of a revision's, summary's or filter's ciphertext (scans build
    /// the same bytes in place with `AssociatedData.RowBuilder`).
    static func revisionAD(_ purpose: String, vaultID: [UInt8], recordID: String, revision: Int, clientID: [UInt8]) -> [UInt8] {
        AssociatedData.make(purpose, [vaultID, Array(recordID.utf8), UInt32(revision).bigEndianBytes, clientID])
    }

    /// The body's `s.`-prefixed fields as a section dictionary; nil for any other key or a repeat.
    static func sections(_ fields: [(key: String, value: String)]) -> [String: String]? {
        var sections: [String: String] = [:]
        for field in fields {
            guard field.key.hasPrefix(RecordContent.sectionKeyPrefix) else { return nil }
            let key = String(field.key.dropFirst(RecordContent.sectionKeyPrefix.count))
            guard sections.updateValue(field.value, forKey: key) == nil else { return nil }
        }
        return sections
    }

    // MARK: Reading

    /// One revision of a record (the latest when `revision` is nil).
    public func revision(id: String, revision: Int?) throws -> RecordRevision {
        let id = try RecordID.normalized(id)
        let rows = try checkedRevisions(id)
        let wanted = revision ?? rows.count
        guard wanted >= 1, wanted <= rows.count else {
            throw CasebookError(.notFound, "record \(id) has no revision \(wanted) (it has \(rows.count))")
        }
        return try openRevision(rows[wanted - 1])
    }

    /// The latest revisions of many records (normalised ids), read in one transaction.
    public func latest(ids: [String]) throws -> [RecordRevision] {
        try latestRecords(ids: ids)
    }

    /// Every revision of a record, oldest first.
    public func history(id: String) throws -> [RecordRevision] {
        try checkedRevisions(try RecordID.normalized(id)).map(openRevision)
    }
}

/// Rows sealed by concurrent workers, each into its own slot.
private final class SealedChunk: @unchecked Sendable {
    private var rows: [RevisionRow?]
    private let lock = NSLock()

    init(count: Int) { rows = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ row: RevisionRow) { lock.withLock { rows[index] = row } }

    func all() -> [RevisionRow] { lock.withLock { rows.map { $0! } } }
}

final class SecureBytesBox {
    @exclusivity(unchecked) var bytes: SecureBytes
    init(count: Int) { bytes = SecureBytes(count: count) }

    func open(_ sealed: [UInt8], key: borrowing SymmetricKey, ad: [UInt8]) -> Int? {
        var length: Int?
        bytes.withUnsafeMutableBytes { out in
            do {
                length = try XChaCha20Poly1305.open(sealed, using: key, authenticating: ad, into: out)
            } catch {
                length = nil
            }
        }
        return length
    }
}
