import CasebookFormat
import CasebookCore
import Foundation

/// Listings: a fixed-width table for people, JSON for scripts.
enum RecordTable {
    static func printJSON(_ records: [RecordSummary]) {
        try? JSONOutput.print(records.map(RecordSummaryJSON.init))
    }

    static func print(_ records: [RecordListing]) {
        guard !records.isEmpty else {
            FileHandle.standardError.write(Data("No records match.\n".utf8))
            return
        }
        // One buffered write of bytes: listings can be 100,000 lines long.
        var output: [UInt8] = Array("ID          START             KIND                CLIENT          REV  ATTENDANCE\n".utf8)
        output.reserveCapacity(records.count * 96)
        func column(_ text: String, _ width: Int) {
            var count = 0
            for byte in text.utf8 {
                output.append(byte)
                if byte & 0xC0 != 0x80 { count += 1 }
            }
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(1, width - count)))
        }
        var start: [UInt8] = []
        start.reserveCapacity(25)
        for record in records {
            column(record.recordID, 12)
            start.removeAll(keepingCapacity: true)
            record.start.appendCanonical(to: &start)
            for (index, byte) in start.prefix(16).enumerated() { output.append(index == 10 ? UInt8(ascii: " ") : byte) }
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 18 - min(16, start.count)))
            column(record.kind.rawValue, 20)
            column(record.client.rawValue, 16)
            var revision = record.revision, digits = 0
            var reversed: [UInt8] = []
            repeat { reversed.append(UInt8(ascii: "0") + UInt8(revision % 10)); revision /= 10; digits += 1 } while revision > 0
            output.append(contentsOf: reversed.reversed())
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(1, 5 - digits)))
            output.append(contentsOf: record.attendance.rawValue.utf8)
            output.append(10)
        }
        FileHandle.standardOutput.write(Data(output))
    }
}

struct RecordSummaryJSON: Encodable {
    let id: String
    let revision: Int
    let author: String
    let recordedAt: String
    let kind: String
    let client: String
    let start: String
    let duration: Int?
    let modality: String
    let attendance: String
    let labels: [String]
    let sharingSummary: String

    init(_ summary: RecordSummary) {
        id = summary.recordID
        revision = summary.revision
        author = summary.metadata.author
        recordedAt = summary.metadata.recordedAt
        let header = summary.header
        kind = header.kind.rawValue
        client = header.client.rawValue
        start = header.start.canonical
        duration = header.durationMinutes
        modality = header.modality.rawValue
        attendance = header.attendance.rawValue
        labels = header.labels
        sharingSummary = header.sharingSummary
    }

    enum CodingKeys: String, CodingKey {
        case id, revision, author, kind, client, start, duration, modality, attendance, labels
        case recordedAt = "recorded-at"
        case sharingSummary = "sharing-summary"
    }
}

struct RevisionJSONOutput: Encodable {
    let revision: Int
    let author: String
    let authorKeyID: String
    let recordedAt: String
    let origin: String
    let reason: String?
    let receivedFrom: String?
    let handover: String?
    let source: String?
    let withheld: [String]?

    init(_ record: RecordRevision) {
        revision = record.revision
        author = record.metadata.author
        authorKeyID = record.metadata.authorKeyID
        recordedAt = record.metadata.recordedAt
        origin = record.metadata.origin.rawValue
        reason = record.metadata.reason
        receivedFrom = record.metadata.provenance?.sender
        handover = record.metadata.provenance?.handoverID
        source = record.metadata.provenance?.source
        withheld = record.metadata.provenance.map(\.withheld)
    }

    enum CodingKeys: String, CodingKey {
        case revision, author, origin, reason, handover, source, withheld
        case receivedFrom = "received-from"
        case authorKeyID = "author-key-id"
        case recordedAt = "recorded-at"
    }
}

/// A whole record revision: its revision facts and the record in the import shape.
struct RecordJSONOutput: Encodable {
    let id: String
    let revisionInfo: RevisionJSONOutput
    let record: RecordJSONObject

    init(_ record: RecordRevision) {
        id = record.recordID
        revisionInfo = RevisionJSONOutput(record)
        self.record = RecordJSON.object(for: record.content)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(revisionInfo, forKey: .revision)
        try container.encode(record, forKey: .record)
    }

    enum Key: String, CodingKey { case id, revision, record }
}
