import Foundation
import CasebookCrypto
import CasebookFormat

/// Listing records, shared: selections, exports and erasure count and pick records by
/// their listings under this name.
extension VaultService {
    /// What `note list` shows of every record matching `filter`, by session start (then
    /// id): one pass over the records' sealed listing summaries.
    func listings(_ filter: RecordFilter = RecordFilter()) throws -> [RecordListing] {
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
}

/// Listing and searching records: one pass over the store's rows, decrypting into reused
/// secure buffers.
extension RecordService {
    /// What `note list` shows of every record matching `filter`, by session start (then id).
    public func listings(_ filter: RecordFilter = RecordFilter()) throws -> [RecordListing] {
        try (self as any VaultService).listings(filter)
    }

    /// The latest revision of every record matching `filter`, by session start (then id).
    public func list(_ filter: RecordFilter = RecordFilter()) throws -> [RecordSummary] {
        try scan(filter, text: nil, match: summary(filter))
    }

    /// Records whose latest revision contains `text` (case-insensitive) in any field.
    public func search(_ text: String, filter: RecordFilter = RecordFilter()) throws -> [RecordSummary] {
        try scan(filter, text: text, match: summary(filter))
    }

    /// What `note list` shows of the records `search` finds: each match is read
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
    private func summary(_ filter: RecordFilter) -> (LatestRevisionRow, ClientKey, UnsafeRawBufferPointer) throws -> RecordSummary? {
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
        match: (LatestRevisionRow, ClientKey, UnsafeRawBufferPointer) throws -> Result?
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
        let candidate: ((RecordFilterRow) throws -> Bool)? = probe.map { probe in
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

    mutating func open(_ sealed: [UInt8], recordID: String, revision: Int, clientID: [UInt8],
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

    init(_ vault: some VaultService) throws {
        erased = try vault.erasedClientIDs()
    }

    /// The key for a row, or nil when the row's client was erased (skip the row).
    mutating func key(_ scanned: ScannedClientKey?, clientID: [UInt8], in vault: some VaultService) throws -> ClientKey? {
        guard let scanned else {
            if erased.contains(clientID) { return nil }
            throw CasebookError(.integrity, "a client's data key is missing",
                                hint: "the vault database was altered outside Casebook; restore it from a backup")
        }
        let slot = scanned.slot
        if slot < bySlot.count, let key = bySlot[slot] { return key }
        let key = try vault.clientKey(clientID, wrapped: scanned.wrapped)
        if slot >= bySlot.count { bySlot += Array(repeating: nil, count: slot + 1 - bySlot.count) }
        bySlot[slot] = key
        return key
    }
}

/// Growable secure buffers reused across a scan.
final class ScratchBuffer {
    // Used by one scan on one thread; unchecked so each row skips a runtime access check.
    @exclusivity(unchecked) private var slots: [SecureBytesBox] = [SecureBytesBox(count: 4096), SecureBytesBox(count: 16384),
                                                                   SecureBytesBox(count: 512)]

    /// Decrypts into slot `slot`, growing it if needed; nil on authentication failure.
    func open(_ sealed: [UInt8], key: borrowing SymmetricKey, slot: Int, ad: [UInt8]) -> Int? {
        let needed = max(0, sealed.count - XChaCha20Poly1305.nonceByteCount - XChaCha20Poly1305.tagByteCount)
        if slots[slot].bytes.count < needed { slots[slot] = SecureBytesBox(count: needed * 2) }
        return slots[slot].open(sealed, key: key, ad: ad)
    }

    func withBytes<R>(slot: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try slots[slot].bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}
