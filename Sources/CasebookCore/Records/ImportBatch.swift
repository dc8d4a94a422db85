public import Foundation
import CasebookFormat
import CasebookCrypto

/// A JSON Lines import file, parsed and validated before the vault is touched:
/// one record per line (at most 16 MiB), `\n` line ends, no blank lines; the first bad line
/// rejects the whole file. The file is read once, a block at a time, and never held whole:
/// each block's lines are parsed on every core in contiguous chunks (when several chunks
/// fail, the error of the lowest line number is reported, as a sequential parse would), and
/// the digest is taken as the blocks pass.
public struct ImportBatch: Sendable {
    public let records: [RecordContent]
    /// SHA-256 of the file, recorded in the import's audit event.
    public let digest: [UInt8]

    /// Largest import file read (about 190,000 records of 1.4 KiB); docs/limits.md gives the memory it takes.
    public static let maximumFileBytes = 256 << 20
    /// Longest line accepted (a record's text is far smaller): what a line can cost before it is parsed.
    public static let maximumLineBytes = 16 << 20
    /// How much of the file is read and parsed at a time.
    static let blockBytes = 8 << 20

    static func lineTooLong(_ lineNumber: Int) -> CasebookError {
        CasebookError(.invalidInput, "line \(lineNumber): longer than \(maximumLineBytes >> 20) MiB; nothing was imported")
    }

    /// Reads `file`, refusing one larger than `maximumFileBytes` before reading it (its size
    /// from `fstat`) or, for a pipe, as soon as more than that has arrived.
    public init(_ file: InputFile, defaultTimeZone: TimeZone = .current) throws {
        let refusal = CasebookError(.invalidInput, "\(file.path) is larger than \(Self.maximumFileBytes >> 20) MiB; nothing was imported",
                                    hint: "split it into several import files")
        try file.checkSize(atMost: Self.maximumFileBytes, else: refusal)
        var source = file.source
        try self.init(reading: &source, limit: Self.maximumFileBytes, refusal: refusal, defaultTimeZone: defaultTimeZone)
    }

    /// The same for a file already in memory.
    public init(jsonLines bytes: [UInt8], defaultTimeZone: TimeZone = .current) throws {
        try self.init(jsonLines: bytes, defaultTimeZone: defaultTimeZone, blockBytes: Self.blockBytes)
    }

    /// Read in blocks of `blockBytes` (for tests of lines that cross blocks).
    init(jsonLines bytes: [UInt8], defaultTimeZone: TimeZone, blockBytes: Int) throws {
        var source = ArraySource(bytes)
        try self.init(reading: &source, limit: Int.max, refusal: CasebookError(.internalError, "unreachable"),
                      defaultTimeZone: defaultTimeZone, blockBytes: blockBytes)
    }

    private init(reading source: inout some ByteSource, limit: Int, refusal: CasebookError, defaultTimeZone: TimeZone,
                 blockBytes: Int = Self.blockBytes) throws {
        var records: [RecordContent] = []
        var hasher = SHA256.Hasher()
        var total = 0
        var lineNumber = 1
        // One block at a time, after the unfinished line carried from the one before.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.maximumLineBytes + blockBytes, alignment: 16)
        defer { buffer.deallocate() }
        var carried = 0
        var atEnd = false
        while !atEnd {
            var filled = carried
            do {
                while filled < carried + blockBytes && !atEnd {
                    let got = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(carried + blockBytes)]))
                    filled += got
                    atEnd = got == 0
                }
            } catch {
                throw CasebookError(.notFound, "cannot read the import file: \(error)")
            }
            total += filled - carried
            guard total <= limit else { throw refusal }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[carried..<filled]))
            // Whole lines only, unless the file ended (what was carried holds no line end).
            let lines = Self.lines(in: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), searchingFrom: carried, atEnd: atEnd)
            records += try Self.parse(lines, in: UnsafeRawBufferPointer(buffer), firstLineNumber: lineNumber, defaultTimeZone: defaultTimeZone)
            lineNumber += lines.count
            let end = atEnd ? filled : (lines.last.map { $0.upperBound + 1 } ?? 0)
            carried = filled - end
            guard carried <= Self.maximumLineBytes else { throw Self.lineTooLong(lineNumber) }
            if carried > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + end, byteCount: carried) }
        }
        guard !records.isEmpty else { throw CasebookError(.invalidInput, "the import file holds no records") }
        self.records = records
        digest = hasher.finalize()
    }

    /// The ranges of the complete lines in `text` (without their line ends); at the end of
    /// the file, what follows the last line end is a line too, unless it is empty. No line
    /// end lies before `start`.
    private static func lines(in text: UnsafeRawBufferPointer, searchingFrom start: Int, atEnd: Bool) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        guard let base = text.baseAddress else { return lines }
        var lineStart = 0
        var position = start
        while position < text.count, let found = memchr(base + position, 10, text.count - position) {
            let newline = base.distance(to: UnsafeRawPointer(found))
            lines.append(lineStart..<newline)
            lineStart = newline + 1
            position = lineStart
        }
        if atEnd && lineStart < text.count { lines.append(lineStart..<text.count) }
        return lines
    }

    /// Parses `lines` of `text` (numbered from `firstLineNumber`) on every core, in contiguous chunks.
    private static func parse(_ lines: [Range<Int>], in text: UnsafeRawBufferPointer, firstLineNumber: Int,
                              defaultTimeZone: TimeZone) throws -> [RecordContent] {
        guard !lines.isEmpty else { return [] }
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, lines.count / 1000 + 1))
        let chunkSize = (lines.count + chunkCount - 1) / chunkCount
        let results = ChunkResults(count: chunkCount)
        nonisolated(unsafe) let text = text
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(lines.count, (chunk + 1) * chunkSize)
            var parsed: [RecordContent] = []
            parsed.reserveCapacity(range.count)
            for index in range {
                let lineNumber = firstLineNumber + index
                let line = lines[index]
                guard line.count <= maximumLineBytes else {
                    results.set(chunk, .failure(lineTooLong(lineNumber)))
                    return
                }
                guard !line.isEmpty else {
                    results.set(chunk, .failure(CasebookError(.invalidInput, "line \(lineNumber): empty line (JSON Lines has one record per line); nothing was imported")))
                    return
                }
                do {
                    // parseLine returns validated content.
                    parsed.append(try RecordJSON.parseLine(UnsafeRawBufferPointer(rebasing: text[line]), lineNumber: lineNumber,
                                                           defaultTimeZone: defaultTimeZone))
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
        return records
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
