import Foundation
import CasebookCore
import GRDB
import GRDBSQLite

/// Reads the scan queries' rows straight from a prepared SQLite statement, one row at a
/// time: each row's blobs are copied once into the value row handed to the visitor (client
/// ids and keys are shared from the key table), and a column of the wrong type is an
/// integrity failure.
struct RawRows {
    let handle: OpaquePointer
    let clientKeys: ClientKeyTable

    init(_ handle: OpaquePointer, clientKeys: ClientKeyTable) {
        self.handle = handle
        self.clientKeys = clientKeys
    }

    /// Visits every row of `(id, latest_revision, client_id, sealed_meta, sealed_body,
    /// revision row's record_id, revision row's revision, sealed_summary, records.seq)`,
    /// or only of the records whose `seq` is in `only`. The revision row must be the one the
    /// record names: a missing or different row is an integrity failure.
    func forEach(includeBody: Bool, only: Set<Int64>? = nil, _ visit: (LatestRevisionRow) throws -> Void) throws {
        while try step() {
            if let only {
                guard sqlite3_column_type(handle, 8) == SQLITE_INTEGER else { throw Row.malformed }
                if !only.contains(sqlite3_column_int64(handle, 8)) { continue }
            }
            let recordID = try text(0)
            let revision = try revisionNumber(1)
            let client = try blob(2)
            guard sqlite3_column_type(handle, 5) == SQLITE_TEXT, sqlite3_column_type(handle, 6) == SQLITE_INTEGER,
                  sqlite3_column_int64(handle, 6) == Int64(revision), sameText(0, 5) else {
                throw CasebookError(.integrity, "record integrity check failed: record \(recordID) has no readable latest revision",
                                    hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
            }
            guard sqlite3_column_type(handle, 3) == SQLITE_BLOB else { throw CasebookError.integrityOfRow(recordID) }
            let meta = Array(try blob(3))
            var body: [UInt8]?
            if includeBody {
                guard sqlite3_column_type(handle, 4) == SQLITE_BLOB else { throw CasebookError.integrityOfRow(recordID) }
                body = Array(try blob(4))
            }
            let summary = Array(try blob(7))
            let (id, key) = clientKeys.lookUp(client)
            try visit(LatestRevisionRow(recordID: recordID, revision: revision, clientID: id, clientKey: key,
                                        sealedMeta: meta, sealedBody: body, sealedSummary: summary))
        }
    }

    /// Visits every row of `(id, latest_revision, client_id, sealed_filter, seq)`; returns
    /// the `seq` of the records `candidate` accepts, and how many records there were.
    func candidates(_ candidate: (RecordFilterRow) throws -> Bool) throws -> (wanted: [Int64], total: Int) {
        var wanted: [Int64] = []
        var total = 0
        var filter = ScratchBytes()
        while try step() {
            total += 1
            let recordID = try text(0)
            let revision = try revisionNumber(1)
            let client = try blob(2)
            let hasFilter = sqlite3_column_type(handle, 3) != SQLITE_NULL
            if hasFilter { filter.replace(with: try blob(3)) }
            guard sqlite3_column_type(handle, 4) == SQLITE_INTEGER else { throw Row.malformed }
            let seq = sqlite3_column_int64(handle, 4)
            let (id, key) = clientKeys.lookUp(client)
            if try candidate(RecordFilterRow(recordID: recordID, revision: revision, clientID: id, clientKey: key,
                                             sealedFilter: hasFilter ? filter.bytes : nil)) { wanted.append(seq) }
        }
        return (wanted, total)
    }

    /// Resets a one-parameter statement and binds `value` to it.
    func rebind(_ value: Int64) throws {
        sqlite3_reset(handle)
        let status = sqlite3_bind_int64(handle, 1, value)
        guard status == SQLITE_OK else { throw StoreErrors.map(DatabaseError(resultCode: ResultCode(rawValue: status))) }
    }

    /// Visits every row of `(id, latest_revision, client_id, sealed_summary)`.
    func forEachSummary(_ visit: (RecordSummaryRow) throws -> Void) throws {
        var summary = ScratchBytes()
        while try step() {
            let recordID = try text(0)
            let revision = try revisionNumber(1)
            let client = try blob(2)
            summary.replace(with: try blob(3))
            let (id, key) = clientKeys.lookUp(client)
            try visit(RecordSummaryRow(recordID: recordID, revision: revision, clientID: id, clientKey: key,
                                       sealedSummary: summary.bytes))
        }
    }

    /// Steps once: true for a row, false at the end.
    private func step() throws -> Bool {
        let status = sqlite3_step(handle)
        if status == SQLITE_DONE { return false }
        guard status == SQLITE_ROW else { throw StoreErrors.map(DatabaseError(resultCode: ResultCode(rawValue: status))) }
        return true
    }

    private func text(_ column: Int32) throws -> String {
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT else { throw Row.malformed }
        return String(cString: sqlite3_column_text(handle, column))
    }

    /// Whether two TEXT columns hold the same bytes.
    private func sameText(_ a: Int32, _ b: Int32) -> Bool {
        let count = sqlite3_column_bytes(handle, a)
        guard count == sqlite3_column_bytes(handle, b) else { return false }
        return memcmp(sqlite3_column_text(handle, a), sqlite3_column_text(handle, b), Int(count)) == 0
    }

    /// A revision number: an integer in 1...2³²−1, as associated data encodes it in 32 bits.
    private func revisionNumber(_ column: Int32) throws -> Int {
        guard sqlite3_column_type(handle, column) == SQLITE_INTEGER else { throw Row.malformed }
        let value = sqlite3_column_int64(handle, column)
        guard value >= 1, value <= Int64(UInt32.max) else { throw Row.malformed }
        return Int(value)
    }

    /// A BLOB column's bytes, valid until the next step (copied before the row leaves here).
    private func blob(_ column: Int32) throws -> UnsafeRawBufferPointer {
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB else { throw Row.malformed }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count)
    }
}

/// One array reused for a column's bytes row after row: a row handed to a visitor shares it,
/// and once the visitor has let the row go the array is uniquely held again, so the next row
/// is copied into the same storage instead of a new allocation (100,000 rows of a scan). A
/// visitor that keeps a row keeps its own copy (copy on write).
private struct ScratchBytes {
    private(set) var bytes: [UInt8] = []

    mutating func replace(with source: UnsafeRawBufferPointer) {
        if bytes.count != source.count { bytes = [UInt8](repeating: 0, count: source.count) }
        bytes.withUnsafeMutableBytes { $0.copyMemory(from: source) }
    }
}
