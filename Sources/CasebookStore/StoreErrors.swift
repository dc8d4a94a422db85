import CasebookCore
import CasebookFormat
import GRDB

/// Turns SQLite failures into the errors users see, without leaking SQL.
enum StoreErrors {
    static func map(_ error: any Error) -> CasebookError {
        if let error = error as? CasebookError { return error }
        // A wire format refused inside a transaction keeps its text and exit status.
        if let error = error as? WireFormatError { return CasebookError(error) }
        guard let error = error as? DatabaseError else {
            return CasebookError(.internalError, "unexpected storage failure")
        }
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FORMAT:
            return CasebookError(.integrity, "the vault database is damaged or is not a Casebook vault",
                                 hint: "restore the vault folder from a backup; nothing was changed")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return CasebookError(.environment, "the vault is busy (another casebook command is using it)",
                                 hint: "wait for the other command to finish and try again")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return CasebookError(.environment, "the vault database cannot be opened for this operation",
                                 hint: "check the vault folder's owner and permissions")
        case .SQLITE_FULL, .SQLITE_IOERR:
            return CasebookError(.environment, "the vault database could not be written (disk full or I/O error); nothing was changed")
        case .SQLITE_CONSTRAINT:
            return CasebookError(.integrity, "the vault refused a write that would break its rules (append-only history, unique ids)")
        default:
            return CasebookError(.internalError, "storage failure (SQLite code \(error.resultCode.rawValue))")
        }
    }

    static func mapping<T>(_ body: () throws -> T) throws(CasebookError) -> T {
        do {
            return try body()
        } catch {
            throw map(error)
        }
    }
}
