import Foundation
import CasebookCrypto
import CasebookFormat

/// Records: every revision is sealed with the client's data key (XChaCha20-Poly1305)
/// in two parts — `meta` (revision metadata and header, enough for listings) and
/// `body` (the kind-specific sections) — each bound by associated data to the
/// vault, record, revision and client, so a row copied elsewhere fails to open.
extension Vault {
    /// Largest plaintext accepted for one record document.
    public static let maximumRecordBytes = 1 << 20

    // MARK: Writing

    /// Stores a new record (revision 1) and audits it.
    @discardableResult
    public func createRecord(_ content: RecordContent) throws -> RecordRevision {
        let content = try content.validated()
        var pending: [[UInt8]: ClientKey] = [:]
        let revision = try store.write { writer in
            let revision = try insertNewRecord(content, origin: .created, writer: writer, pending: &pending)
            try appendAudit(writer, action: .recordCreated, records: [revision.recordID], revision: 1,
                            kinds: [content.header.kind.rawValue], client: content.header.client.rawValue)
            return revision
        }
        clientKeys.merge(pending) { current, _ in current }
        return revision
    }

    /// Stores a parsed import file in one transaction (migration): all records land or none.
    /// `progress` is told how many records are stored so far, every 1,000.
    public func importRecords(_ batch: ImportBatch, progress: ((Int, Int) -> Void)? = nil) throws -> [String] {
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
            try appendAudit(writer, action: .recordsImported, kinds: kinds, count: order.count, digest: Hex.encode(digest))
            return order
        }
        clientKeys.merge(pending) { current, _ in current }
        return ids
    }

    /// Adds a revision to an existing record. The client and kind cannot change.
    @discardableResult
    public func amendRecord(id: String, content: RecordContent, reason: String) throws -> RecordRevision {
        let id = try RecordID.normalized(id)
        let content = try content.validated()
        let current = try record(id: id, revision: nil)
        try checkAmendment(of: current, to: content, reason: reason)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let clientID = keys.clientID(for: content.header.client.rawValue)
        let key = try clientKey(clientID)
        let metadata = newMetadata(origin: .amended, reason: reason)
        let revisionNumber = current.revision + 1
        try store.write { writer in
            try writer.insertRevision(seal(content, metadata: metadata, recordID: id, revision: revisionNumber,
                                           clientID: clientID, key: key.key))
            try appendAudit(writer, action: .recordAmended, records: [id], revision: revisionNumber,
                            kinds: [content.header.kind.rawValue], client: content.header.client.rawValue)
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

    private func insertNewRecord(
        _ content: RecordContent, origin: RevisionMetadata.Origin, writer: any VaultStoreWriter,
        pending: inout [[UInt8]: ClientKey]
    ) throws -> RecordRevision {
        try insertNewRecord(content, metadata: newMetadata(origin: origin, reason: nil), writer: writer, pending: &pending)
    }

    func insertNewRecord(
        _ content: RecordContent, metadata: RevisionMetadata, writer: any VaultStoreWriter,
        pending: inout [[UInt8]: ClientKey]
    ) throws -> RecordRevision {
        let clientID = keys.clientID(for: content.header.client.rawValue)
        let key = try clientKeyForWriting(clientID, writer: writer, pending: &pending)
        var recordID = RecordID.generate()
        while try writer.recordExists(recordID) { recordID = RecordID.generate() }
        try writer.insertRevision(seal(content, metadata: metadata, recordID: recordID, revision: 1, clientID: clientID, key: key.key))
        return RecordRevision(recordID: recordID, revision: 1, metadata: metadata, content: content)
    }

    private func newMetadata(origin: RevisionMetadata.Origin, reason: String?) -> RevisionMetadata {
        RevisionMetadata(author: profile.name, authorKeyID: actorID, recordedAt: Timestamp.string(clock.now()),
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
    private static func seal(
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

    private func unwrapClientKey(_ wrapped: [UInt8], clientID: [UInt8]) throws -> ClientKey {
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

    // MARK: Reading

    /// One revision of a record (the latest when `revision` is nil).
    public func record(id: String, revision: Int?) throws -> RecordRevision {
        let id = try RecordID.normalized(id)
        let rows = try checkedRevisions(id)
        let wanted = revision ?? rows.count
        guard wanted >= 1, wanted <= rows.count else {
            throw CasebookError(.notFound, "record \(id) has no revision \(wanted) (it has \(rows.count))")
        }
        return try open(rows[wanted - 1])
    }

    /// Every revision of a record, oldest first.
    public func history(id: String) throws -> [RecordRevision] {
        try checkedRevisions(try RecordID.normalized(id)).map(open)
    }

    /// The latest revisions of many records (normalised ids), read in one transaction.
    public func latestRecords(ids: [String]) throws -> [RecordRevision] {
        try zip(ids, store.revisions(recordIDs: ids)).map { id, found in
            try open(checked(id, found).last!)
        }
    }

    /// A record's revision rows, which must be exactly 1…latest: a gap, or rows beyond the
    /// record's latest-revision pointer, means the database was edited.
    private func checkedRevisions(_ id: String) throws -> [RevisionRow] {
        try checked(id, store.revisions(recordID: id))
    }

    private func checked(_ id: String, _ found: (rows: [RevisionRow], latest: Int)) throws -> [RevisionRow] {
        let (rows, latest) = found
        guard !rows.isEmpty else {
            throw CasebookError(.notFound, "no record \(id) in this vault", remedy: .listRecords(client: nil))
        }
        guard rows.count == latest, rows.enumerated().allSatisfy({ $0.offset + 1 == $0.element.revision }) else {
            throw CasebookError.integrity("record \(id)'s revisions do not match its revision count")
        }
        return rows
    }

    private func open(_ row: RevisionRow) throws -> RecordRevision {
        let key = try clientKey(row.clientID)
        func ad(_ purpose: String) -> [UInt8] {
            Self.revisionAD(purpose, vaultID: header.vaultID, recordID: row.recordID, revision: row.revision, clientID: row.clientID)
        }
        // The meta is read by the same decoder as listings; the body is the section fields.
        guard let meta = try? XChaCha20Poly1305.open(row.sealedMeta, using: key.key, authenticating: ad("revision-meta")),
              let body = try? XChaCha20Poly1305.open(row.sealedBody, using: key.key, authenticating: ad("revision-body")),
              let (metadata, header) = meta.withUnsafeBytes({ SummaryDecoder.decode($0) }),
              let sections = try? Self.sections(FieldListEncoding.decode(body)),
              let content = try? RecordContent(header: header, sections: sections)
                .validated(withheld: Set(metadata.provenance?.withheld ?? []))
        else {
            throw CasebookError.integrity("record \(row.recordID) revision \(row.revision) does not decrypt (it was altered, or moved from another row)")
        }
        return RecordRevision(recordID: row.recordID, revision: row.revision, metadata: metadata, content: content)
    }

    /// What `note list` shows of every record matching `filter`, by session start (then
    /// id): one pass over the records' sealed listing summaries.
    public func listings(_ filter: RecordFilter = RecordFilter()) throws -> [RecordListing] {
        let clientID = filter.client.map { keys.clientID(for: $0.rawValue) }
        var summaries = SummaryOpener(vaultID: header.vaultID)
        var scanKeys = try ScanKeys(self)
        var results: [RecordListing] = []
        try store.forEachRecordSummary(clientID: clientID) { row in
            guard let key = try scanKeys.key(row.clientKey, clientID: row.clientID, in: self) else { return }
            let listing = try summaries.open(row.sealedSummary, recordID: row.recordID, revision: row.revision,
                                             clientID: row.clientID, key: key)
            if filter.matches(kind: listing.kind, client: listing.client, start: listing.start) { results.append(listing) }
        }
        results.sort { ($0.start.date, $0.recordID) < ($1.start.date, $1.recordID) }
        return results
    }

    /// The body's `s.`-prefixed fields as a section dictionary; nil for any other key or a repeat.
    private static func sections(_ fields: [(key: String, value: String)]) -> [String: String]? {
        var sections: [String: String] = [:]
        for field in fields {
            guard field.key.hasPrefix(RecordContent.sectionKeyPrefix) else { return nil }
            let key = String(field.key.dropFirst(RecordContent.sectionKeyPrefix.count))
            guard sections.updateValue(field.value, forKey: key) == nil else { return nil }
        }
        return sections
    }

    /// The latest revision of every record matching `filter`, by session start (then id).
    public func listRecords(_ filter: RecordFilter = RecordFilter()) throws -> [RecordSummary] {
        try scan(filter, text: nil, match: summary(filter))
    }

    /// Records whose latest revision contains `text` (case-insensitive) in any field.
    public func searchRecords(_ text: String, filter: RecordFilter = RecordFilter()) throws -> [RecordSummary] {
        try scan(filter, text: text, match: summary(filter))
    }

    /// What `note list` shows of the records `searchRecords` finds: each match is read
    /// from its small sealed listing summary instead of its decoded header, so a search
    /// that matches most of a large vault costs about as much as `note list`.
    public func searchListings(_ text: String, filter: RecordFilter = RecordFilter()) throws -> [RecordListing] {
        var summaries = SummaryOpener(vaultID: header.vaultID)
        return try scan(filter, text: text) { row, key, _ in
            let listing = try summaries.open(row.sealedSummary, recordID: row.recordID, revision: row.revision,
                                             clientID: row.clientID, key: key)
            return filter.matches(kind: listing.kind, client: listing.client, start: listing.start) ? listing : nil
        }
    }

    /// A match as a summary decoded from the revision's meta.
    private func summary(_ filter: RecordFilter) -> (RevisionRowView, ClientKey, UnsafeRawBufferPointer) throws -> RecordSummary? {
        { row, _, metaBytes in
            guard let (metadata, header) = SummaryDecoder.decode(metaBytes) else {
                throw CasebookError.integrity("record \(row.recordID) revision \(row.revision) does not decrypt (it was altered, or moved from another row)")
            }
            guard filter.matches(kind: header.kind, client: header.client, start: header.start) else { return nil }
            return RecordSummary(recordID: row.recordID, revision: row.revision, metadata: metadata, header: header)
        }
    }

    /// One pass over the latest revisions: decrypts into reused secure buffers, so
    /// plaintext of non-matching records never leaves locked memory. `match` turns a
    /// record that contains `text` (every record when `text` is nil) into a result, or
    /// nil when the filter excludes it; results come back by session start, then id.
    private func scan<Result: SessionOrdered>(
        _ filter: RecordFilter, text: String?,
        match: (RevisionRowView, ClientKey, UnsafeRawBufferPointer) throws -> Result?
    ) throws -> [Result] {
        let clientID = filter.client.map { keys.clientID(for: $0.rawValue) }
        let scratch = ScratchBuffer()
        let needle = text.map(FieldListEncoding.CaseInsensitiveNeedle.init)
        var metaAD = AssociatedData.RowBuilder(AssociatedData.Prefix("revision-meta", [header.vaultID]))
        var bodyAD = AssociatedData.RowBuilder(AssociatedData.Prefix("revision-body", [header.vaultID]))
        let bookkeeping = Array("rev.".utf8)
        var scanKeys = try ScanKeys(self)
        var results: [Result] = []
        // A record whose search filter rules the text out is not read at all.
        let probe = text.flatMap(TrigramFilter.Probe.init)
        var filterAD = AssociatedData.RowBuilder(AssociatedData.Prefix("record-filter", [header.vaultID]))
        let candidate: ((RecordFilterRowView) throws -> Bool)? = probe.map { probe in
            { row in
                guard let key = try scanKeys.key(row.clientKey, clientID: row.clientID, in: self) else { return false }
                guard let sealed = row.sealedFilter else { return true }
                filterAD.update(recordID: row.recordID, revision: row.revision, clientID: row.clientID)
                guard let length = scratch.open(sealed, key: key.key, slot: 2, ad: filterAD.bytes),
                      length == TrigramFilter.byteCount else {
                    throw CasebookError.integrity("record \(row.recordID)'s search filter does not decrypt (it was altered, or moved from another record)")
                }
                return scratch.withBytes(slot: 2, count: length, probe.mayMatch)
            }
        }
        try store.forEachLatestRevision(clientID: clientID, includeBody: text != nil, candidate: candidate) { row in
            guard let key = try scanKeys.key(row.clientKey, clientID: row.clientID, in: self) else { return }
            func failure() -> CasebookError {
                CasebookError.integrity("record \(row.recordID) revision \(row.revision) does not decrypt (it was altered, or moved from another row)")
            }
            metaAD.update(recordID: row.recordID, revision: row.revision, clientID: row.clientID)
            guard let metaLength = scratch.open(row.sealedMeta, key: key.key, slot: 0, ad: metaAD.bytes) else { throw failure() }
            let result: Result? = try scratch.withBytes(slot: 0, count: metaLength) { metaBytes in
                // Search the decrypted bytes first; decode only a match.
                if let needle {
                    let inMeta = (try? needle.isContained(authenticated: metaBytes, skippingKeysWithPrefix: bookkeeping)) ?? false
                    if !inMeta {
                        bodyAD.update(recordID: row.recordID, revision: row.revision, clientID: row.clientID)
                        guard let sealedBody = row.sealedBody,
                              let bodyLength = scratch.open(sealedBody, key: key.key, slot: 1, ad: bodyAD.bytes)
                        else { throw failure() }
                        let inBody = try scratch.withBytes(slot: 1, count: bodyLength) { bodyBytes in
                            guard let found = try? needle.isContained(authenticated: bodyBytes, skippingKeysWithPrefix: []) else { throw failure() }
                            return found
                        }
                        if !inBody { return nil }
                    }
                }
                return try match(row, key, metaBytes)
            }
            if let result { results.append(result) }
        }
        results.sort { ($0.sessionDate, $0.recordID) < ($1.sessionDate, $1.recordID) }
        return results
    }
}

/// Opens records' sealed listing summaries (§9.5 of docs/vault-format.md) into one reused
/// secure buffer.
struct SummaryOpener {
    private let scratch = ScratchBuffer()
    private var ad: AssociatedData.RowBuilder

    init(vaultID: [UInt8]) {
        ad = AssociatedData.RowBuilder(AssociatedData.Prefix("record-summary", [vaultID]))
    }

    mutating func open(_ sealed: UnsafeRawBufferPointer, recordID: String, revision: Int, clientID: UnsafeRawBufferPointer,
                       key: ClientKey) throws -> RecordListing {
        ad.update(recordID: recordID, revision: revision, clientID: clientID)
        guard let length = scratch.open(sealed, key: key.key, slot: 0, ad: ad.bytes),
              let listing = scratch.withBytes(slot: 0, count: length, {
                  RecordListing.decode($0, recordID: recordID, revision: revision)
              })
        else {
            throw CasebookError.integrity("record \(recordID)'s summary does not decrypt (it was altered, or its revision count was changed)")
        }
        return listing
    }
}

/// Results that scans return in session order.
protocol SessionOrdered {
    var sessionDate: Date { get }
    var recordID: String { get }
}

extension RecordSummary: SessionOrdered {
    var sessionDate: Date { header.start.date }
}

extension RecordListing: SessionOrdered {
    var sessionDate: Date { start.date }
}

/// The client keys one scan has unwrapped, by the store's slot: rows of one client
/// reuse the key without hashing its id.
struct ScanKeys {
    private var bySlot: [ClientKey?] = []
    /// Erased clients (checked before the scan: a scan cannot call back into the store):
    /// their records are skipped, not errors.
    private let erased: Set<[UInt8]>

    init(_ vault: Vault) throws {
        erased = try vault.erasedClientIDs()
    }

    /// The key for a row, or nil when the row's client was erased (skip the row).
    mutating func key(_ scanned: ScannedClientKey?, clientID: UnsafeRawBufferPointer, in vault: Vault) throws -> ClientKey? {
        guard let (slot, wrapped) = scanned else {
            if erased.contains(Array(clientID)) { return nil }
            throw CasebookError(.integrity, "a client's data key is missing",
                                hint: "the vault database was altered outside Casebook; restore it from a backup")
        }
        if slot < bySlot.count, let key = bySlot[slot] { return key }
        let key = try vault.clientKey(Array(clientID), wrapped: Array(wrapped))
        if slot >= bySlot.count { bySlot += Array(repeating: nil, count: slot + 1 - bySlot.count) }
        bySlot[slot] = key
        return key
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

/// Growable secure buffers reused across a scan.
final class ScratchBuffer {
    // Used by one scan on one thread; unchecked so each row skips a runtime access check.
    @exclusivity(unchecked) private var slots: [SecureBytesBox] = [SecureBytesBox(count: 4096), SecureBytesBox(count: 16384),
                                                                   SecureBytesBox(count: 512)]

    /// Decrypts into slot `slot`, growing it if needed; nil on authentication failure.
    func open(_ sealed: UnsafeRawBufferPointer, key: borrowing SymmetricKey, slot: Int, ad: [UInt8]) -> Int? {
        let needed = max(0, sealed.count - XChaCha20Poly1305.nonceByteCount - XChaCha20Poly1305.tagByteCount)
        if slots[slot].bytes.count < needed { slots[slot] = SecureBytesBox(count: needed * 2) }
        return slots[slot].open(sealed, key: key, ad: ad)
    }

    func withBytes<R>(slot: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try slots[slot].bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

final class SecureBytesBox {
    @exclusivity(unchecked) var bytes: SecureBytes
    init(count: Int) { bytes = SecureBytes(count: count) }

    func open(_ sealed: UnsafeRawBufferPointer, key: borrowing SymmetricKey, ad: [UInt8]) -> Int? {
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
