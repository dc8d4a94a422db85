import Foundation
import CasebookCore
import GRDB
import GRDBSQLite

/// Reads the scan queries' rows straight from a prepared SQLite statement: columns
/// are lent as buffers that live until the next step, nothing is copied per row, and
/// a column of the wrong type is an integrity failure.
struct RawRows {
    let handle: OpaquePointer
    let clientKeys: ClientKeyTable

    init(_ handle: OpaquePointer, clientKeys: ClientKeyTable) {
        self.handle = handle
        self.clientKeys = clientKeys
    }

    /// Visits every row of `(id, latest_revision, client_id, sealed_meta, sealed_body,
    /// revision row's record_id, revision row's revision, sealed_summary)`. The revision row must be the one
    /// the record names: a missing or different row is an integrity failure.
    func forEach(includeBody: Bool, _ visit: (RevisionRowView) throws -> Void) throws {
        while try step() {
            let recordID = try text(0)
            let revision = try revisionNumber(1)
            let client = try blob(2)
            guard sqlite3_column_type(handle, 5) == SQLITE_TEXT, sqlite3_column_type(handle, 6) == SQLITE_INTEGER,
                  sqlite3_column_int64(handle, 6) == Int64(revision), sameText(0, 5) else {
                throw CasebookError(.integrity, "record integrity check failed: record \(recordID) has no readable latest revision",
                                    hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
            }
            guard sqlite3_column_type(handle, 3) == SQLITE_BLOB else { throw CasebookError.integrityOfRow(recordID) }
            let meta = try blob(3)
            var body: UnsafeRawBufferPointer?
            if includeBody {
                guard sqlite3_column_type(handle, 4) == SQLITE_BLOB else { throw CasebookError.integrityOfRow(recordID) }
                body = try blob(4)
            }
            let summary = try blob(7)
            try clientKeys.lookUp(client) { key in
                try visit(RevisionRowView(recordID: recordID, revision: revision, clientID: client, clientKey: key,
                                          sealedMeta: meta, sealedBody: body, sealedSummary: summary))
            }
        }
    }

    /// Visits every row of `(id, latest_revision, client_id, sealed_summary)`.
    func forEachSummary(_ visit: (RecordSummaryRowView) throws -> Void) throws {
        while try step() {
            let recordID = try text(0)
            let revision = try revisionNumber(1)
            let client = try blob(2)
            let summary = try blob(3)
            try clientKeys.lookUp(client) { key in
                try visit(RecordSummaryRowView(recordID: recordID, revision: revision, clientID: client, clientKey: key,
                                               sealedSummary: summary))
            }
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

    /// A BLOB column's bytes, valid until the next step.
    private func blob(_ column: Int32) throws -> UnsafeRawBufferPointer {
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB else { throw Row.malformed }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count)
    }
}
