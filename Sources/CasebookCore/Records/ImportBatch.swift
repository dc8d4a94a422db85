public import Foundation
import CasebookCrypto

/// A JSON Lines import file, parsed and validated before the vault is touched:
/// one record per line, `\n` line ends, no blank lines; the first bad line
/// rejects the whole file. Lines are parsed on every core in contiguous chunks;
/// when several chunks fail, the error of the lowest line number is reported, as a
/// sequential parse would.
public struct ImportBatch: Sendable {
    public let records: [RecordContent]
    /// SHA-256 of the file, recorded in the import's audit event.
    public let digest: [UInt8]

    public init(jsonLines bytes: [UInt8], defaultTimeZone: TimeZone = .current) throws {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw CasebookError(.invalidInput, "the import file holds no records") }
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, lines.count / 1000 + 1))
        let chunkSize = (lines.count + chunkCount - 1) / chunkCount
        let results = ChunkResults(count: chunkCount)
        let allLines = lines
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(allLines.count, (chunk + 1) * chunkSize)
            var parsed: [RecordContent] = []
            parsed.reserveCapacity(range.count)
            for index in range {
                let lineNumber = index + 1
                let line = allLines[index]
                guard !line.isEmpty else {
                    results.set(chunk, .failure(CasebookError(.invalidInput, "line \(lineNumber): empty line (JSON Lines has one record per line); nothing was imported")))
                    return
                }
                do {
                    // parseLine returns validated content.
                    parsed.append(try RecordJSON.parseLine(line, lineNumber: lineNumber, defaultTimeZone: defaultTimeZone))
                } catch let error as RecordInputError {
                    results.set(chunk, .failure(CasebookError(.invalidInput, "\(error.description); nothing was imported", hint: error.hint)))
                    return
                } catch {
                    results.set(chunk, .failure(CasebookError(.invalidInput, "line \(lineNumber): not a valid record; nothing was imported")))
                    return
                }
            }
            results.set(chunk, .success(parsed))
        }
        var records: [RecordContent] = []
        records.reserveCapacity(lines.count)
        for result in results.all() {
            // Chunks are in line order, so the first failure is the lowest line number.
            records += try result.get()
        }
        self.records = records
        digest = SHA256.hash(bytes)
    }
}

/// Per-chunk results written by concurrent workers.
private final class ChunkResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[RecordContent], CasebookError>]

    init(count: Int) {
        results = Array(repeating: .success([]), count: count)
    }

    func set(_ index: Int, _ result: Result<[RecordContent], CasebookError>) {
        lock.withLock { results[index] = result }
    }

    func all() -> [Result<[RecordContent], CasebookError>] {
        lock.withLock { results }
    }
}
