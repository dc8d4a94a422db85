import Foundation
import Testing
import CasebookTestSupport

extension CLIFixture {
    /// Runs a command that policy refuses and that records its refusal (README, "Exit
    /// statuses"): it fails with `status` and one `casebook: error:` line (plus a hint), and
    /// the only change to the vault is one audit event of `action` appended to the log — every
    /// other row of every table, and every other file of the vault folder, as it was.
    /// (`expectFailure` is for the failures that record nothing.)
    @discardableResult
    func expectRecordedRefusal(_ status: Int32, _ arguments: [String], environment: [String: String?] = [:], message: String,
                               recording action: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CasebookRunner.Result {
        let database = vault.appendingPathComponent("vault.db").path
        var filesBefore = snapshot()
        filesBefore[database] = nil
        let (rowsBefore, eventsBefore) = try databaseRows()
        let result = try runner.run(arguments, environment: environment)
        #expect(result.status == status, "\(arguments): status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("casebook: error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count <= 2 && (lines.count == 1 || lines[1].hasPrefix("hint: ")), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "expected '\(message)' in: \(result.stderr)", sourceLocation: sourceLocation)
        var filesAfter = snapshot()
        filesAfter[database] = nil
        #expect(filesAfter == filesBefore, "a file of the vault folder changed after \(arguments)", sourceLocation: sourceLocation)
        let (rowsAfter, eventsAfter) = try databaseRows()
        #expect(rowsAfter == rowsBefore, "a table other than audit_events changed after \(arguments)", sourceLocation: sourceLocation)
        #expect(eventsAfter.count == eventsBefore.count + 1 && Array(eventsAfter.prefix(eventsBefore.count)) == eventsBefore,
                "the refusal did not append exactly one audit event", sourceLocation: sourceLocation)
        let log = try run("audit", "log").stdout.split(separator: "\n")
        #expect(log.count == eventsAfter.count && log.last?.contains(action) == true, "the last event is not \(action): \(log.last ?? "")",
                sourceLocation: sourceLocation)
        return result
    }

    /// The database as SQL statements (sqlite3 `.dump`): the audit log's rows, and everything else.
    private func databaseRows() throws -> (other: [Substring], events: [Substring]) {
        let lines = try SQLiteShell.run(vault, ".dump").split(separator: "\n")
        let isEvent = { (line: Substring) in line.hasPrefix("INSERT INTO audit_events ") }
        return (lines.filter { !isEvent($0) }, lines.filter(isEvent))
    }
}
