import CasebookCore
import Foundation

/// Listings: a fixed-width table for people, JSON for scripts.
enum RecordTable {
    static func print(_ records: [RecordSummary], json: Bool) {
        if json {
            try? JSONOutput.print(records.map(RecordSummaryJSON.init))
            return
        }
        guard !records.isEmpty else {
            FileHandle.standardError.write(Data("No records match.\n".utf8))
            return
        }
        // One buffered write: listings can be 100,000 lines long.
        var output = "ID          START             KIND                CLIENT          REV  ATTENDANCE\n"
        output.reserveCapacity(records.count * 90)
        for record in records {
            let header = record.header
            var start = Array(header.start.canonical.utf8.prefix(16))
            if start.count > 10 { start[10] = UInt8(ascii: " ") }
            output += pad(record.recordID, 12)
            output += pad(String(decoding: start, as: UTF8.self), 18)
            output += pad(header.kind.rawValue, 20)
            output += pad(header.client.rawValue, 16)
            output += pad(String(record.revision), 5)
            output += header.attendance.rawValue
            output += "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
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

    init(_ record: RecordRevision) {
        revision = record.revision
        author = record.metadata.author
        authorKeyID = record.metadata.authorKeyID
        recordedAt = record.metadata.recordedAt
        origin = record.metadata.origin.rawValue
        reason = record.metadata.reason
    }

    enum CodingKeys: String, CodingKey {
        case revision, author, origin, reason
        case authorKeyID = "author-key-id"
        case recordedAt = "recorded-at"
    }
}

/// A whole record revision: its revision facts and the record in the import shape.
struct RecordJSONOutput: Encodable {
    let id: String
    let revisionInfo: RevisionJSONOutput
    let record: RecordJSON.Object

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
