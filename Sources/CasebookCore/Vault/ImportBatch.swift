public import Foundation
import CasebookCrypto

/// A JSON Lines import file, parsed and validated before the vault is touched:
/// one record per line, `\n` line ends, no blank lines; the first bad line
/// rejects the whole file.
public struct ImportBatch: Sendable {
    public let records: [RecordContent]
    /// SHA-256 of the file, recorded in the import's audit event.
    public let digest: [UInt8]

    public init(jsonLines bytes: [UInt8], defaultTimeZone: TimeZone = .current) throws {
        var records: [RecordContent] = []
        var lineNumber = 0
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            lineNumber += 1
            guard !line.isEmpty else {
                throw CasebookError(.invalidInput, "line \(lineNumber): empty line (JSON Lines has one record per line); nothing was imported")
            }
            do {
                records.append(try RecordJSON.parseLine(line, lineNumber: lineNumber, defaultTimeZone: defaultTimeZone).validated())
            } catch {
                throw CasebookError(.invalidInput, "\(error.description); nothing was imported", hint: error.hint)
            }
        }
        guard !records.isEmpty else { throw CasebookError(.invalidInput, "the import file holds no records") }
        self.records = records
        digest = SHA256.hash(bytes)
    }
}
