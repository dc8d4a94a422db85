import Testing
import Foundation
@testable import CasebookCore
import CasebookCrypto

/// `note import` reads its file a block at a time: lines that cross blocks, a last line
/// without its line end and errors in any block must come out as a whole-file parse would.
@Suite struct ImportBatchTests {
    private func line(_ number: Int, extra: String = "") -> String {
        #"{"kind":"mentor-log","client":"C-\#(String(format: "%04d", number % 10_000))","start":"2026-10-01T09:00:00Z","duration":\#(number % 600),"modality":"phone","attendance":"attended","labels":[],"sharing-summary":"","sections":{"contact-type":"Phone","planned":"planned","initiated-by":"mentor","topics":"line \#(number)\#(extra)"}}"#
    }

    @Test func linesAcrossBlocksParseAsOneFile() throws {
        let lines = (1...40).map { line($0, extra: " " + String(repeating: "x", count: $0 * 7)) }
        for ending in ["\n", ""] {
            let file = Array((lines.joined(separator: "\n") + ending).utf8)
            let whole = try ImportBatch(jsonLines: file)
            #expect(whole.records.count == 40)
            #expect(whole.records.map { $0.sections["topics"]?.split(separator: " ")[1] } == (1...40).map { "\($0)" })
            #expect(whole.digest == SHA256.hash(file))
            for block in [1, 2, 7, 64, 333, 4096] {
                let batch = try ImportBatch(jsonLines: file, defaultTimeZone: .current, blockBytes: block)
                #expect(batch.records == whole.records, "block \(block)")
                #expect(batch.digest == whole.digest, "block \(block)")
            }
        }
    }

    @Test func theFirstBadLineIsNamedWhicheverBlockItIsIn() throws {
        var lines = (1...30).map { line($0) }
        lines[16] = line(17, extra: #"","bogus":"x"#)
        lines[24] = ""
        let file = Array((lines.joined(separator: "\n") + "\n").utf8)
        for block in [1, 50, 500, 1 << 20] {
            let error = try #require(throws: CasebookError.self) {
                try ImportBatch(jsonLines: file, defaultTimeZone: .current, blockBytes: block)
            }
            #expect(error.code == .invalidInput)
            #expect(error.message.hasPrefix("line 17:"), "block \(block): \(error.message)")
        }
        lines[16] = line(17)
        let empty = try #require(throws: CasebookError.self) {
            try ImportBatch(jsonLines: Array((lines.joined(separator: "\n") + "\n").utf8), defaultTimeZone: .current, blockBytes: 100)
        }
        #expect(empty.message == "line 25: empty line (JSON Lines has one record per line); nothing was imported")
        for nothing in ["", "\n"] {
            #expect(throws: CasebookError.self) { try ImportBatch(jsonLines: Array(nothing.utf8), defaultTimeZone: .current, blockBytes: 3) }
        }
    }

    @Test func aLineLongerThanTheLimitIsRefusedBeforeItIsWhole() throws {
        // 17 MiB without a line end: refused once the carried part passes 16 MiB.
        let long = [UInt8](repeating: UInt8(ascii: "{"), count: ImportBatch.maximumLineBytes + (1 << 20))
        let file = Array((line(1) + "\n").utf8) + long
        let error = try #require(throws: CasebookError.self) { try ImportBatch(jsonLines: file) }
        #expect(error.message == "line 2: longer than 16 MiB; nothing was imported")
    }
}
