import Foundation
import Testing

/// The `sqlite3` shell on a vault's database: the attacker's tool in tamper tests, and a
/// reader of the rows a command changed.
enum SQLiteShell {
    /// Runs `sql` on `<vault>/vault.db` and returns what sqlite3 printed; the shell must succeed.
    @discardableResult
    static func run(_ vault: URL, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [vault.appendingPathComponent("vault.db").path, sql]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3: \(String(decoding: problem, as: UTF8.self))", sourceLocation: sourceLocation)
        return String(decoding: data, as: UTF8.self)
    }
}
