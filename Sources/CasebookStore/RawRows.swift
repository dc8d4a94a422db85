import CasebookCore
import GRDB
import GRDBSQLite

/// Reads the listing query's rows straight from a prepared SQLite statement:
/// columns are lent as buffers that live until the next step, and a column of
/// the wrong type is an integrity failure.
struct RawRows {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    /// Visits every row; returns how many.
    func forEach(includeBody: Bool, _ visit: (RevisionRowView) throws -> Void) throws -> Int {
        var clientID: [UInt8] = []
        var wrapped: [UInt8]?
        var count = 0
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { return count }
            count += 1
            guard status == SQLITE_ROW else { throw StoreErrors.map(DatabaseError(resultCode: ResultCode(rawValue: status))) }
            guard sqlite3_column_type(handle, 0) == SQLITE_TEXT, sqlite3_column_type(handle, 1) == SQLITE_INTEGER else {
                throw Row.malformed
            }
            let recordID = String(cString: sqlite3_column_text(handle, 0))
            let revision = Int(sqlite3_column_int64(handle, 1))
            let client = try blob(2)
            if !client.elementsEqual(clientID) {
                clientID = Array(client)
                wrapped = sqlite3_column_type(handle, 5) == SQLITE_NULL ? nil : Array(try blob(5))
            }
            guard sqlite3_column_type(handle, 3) == SQLITE_BLOB else { throw CasebookError.integrityOfRow(recordID) }
            let meta = try blob(3)
            var bodyBytes: UnsafeRawBufferPointer?
            if includeBody {
                guard sqlite3_column_type(handle, 4) == SQLITE_BLOB else { throw CasebookError.integrityOfRow(recordID) }
                bodyBytes = try blob(4)
            }
            try visit(RevisionRowView(recordID: recordID, revision: revision, clientID: clientID, wrappedClientKey: wrapped,
                                      sealedMeta: meta, sealedBody: bodyBytes))
        }
    }

    func forEachSummary(_ visit: (RecordSummaryRowView) throws -> Void) throws {
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw StoreErrors.map(DatabaseError(resultCode: ResultCode(rawValue: status))) }
            guard sqlite3_column_type(handle, 0) == SQLITE_TEXT, sqlite3_column_type(handle, 1) == SQLITE_INTEGER else {
                throw Row.malformed
            }
            let wrapped = sqlite3_column_type(handle, 4) == SQLITE_NULL ? nil : try blob(4)
            try visit(RecordSummaryRowView(recordID: String(cString: sqlite3_column_text(handle, 0)),
                                           revision: Int(sqlite3_column_int64(handle, 1)), clientID: try blob(2),
                                           wrappedClientKey: wrapped, sealedSummary: try blob(3)))
        }
    }

    /// A BLOB column's bytes, valid until the next step.
    private func blob(_ column: Int32) throws -> UnsafeRawBufferPointer {
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB else { throw Row.malformed }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count)
    }
}
