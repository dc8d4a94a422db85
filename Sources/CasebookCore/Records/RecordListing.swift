public import CasebookFormat
import Foundation

/// What `note list` shows of a record's latest revision, kept sealed beside the record
/// so that listing 100,000 records decrypts a few dozen bytes each and parses no text.
///
/// Plaintext, version 1 (all integers big-endian):
///
///     u8  version (1)
///     u8  kind        0 hii-session, 1 ddp-session, 2 mentor-log, 3 theological-advice
///     u8  modality    0 in-person, 1 video, 2 phone
///     u8  attendance  0 attended, 1 did-not-attend, 2 cancelled
///     i64 start, seconds since 1970-01-01T00:00:00Z
///     i32 start's UTC offset in seconds
///     u16 duration in minutes, 0xFFFF when not recorded
///     u8  n, then n bytes: the client reference (ASCII)
///
/// Sealed with the client's data key and AD("record-summary", vault id, record id,
/// u32 revision, client id): it cannot be moved to another record, revision or client.
public struct RecordListing: Sendable, Equatable {
    public let recordID: String
    public let revision: Int
    public let kind: RecordKind
    public let client: ClientReference
    public let start: SessionStart
    public let durationMinutes: Int?
    public let modality: Modality
    public let attendance: Attendance

    static let version: UInt8 = 1
    private static let kinds: [RecordKind] = [.hiiSession, .ddpSession, .mentorLog, .theologicalAdvice]
    private static let modalities: [Modality] = [.inPerson, .video, .phone]
    private static let attendances: [Attendance] = [.attended, .didNotAttend, .cancelled]

    static func encode(_ header: RecordHeader) -> [UInt8] {
        var out: [UInt8] = [version,
                            UInt8(kinds.firstIndex(of: header.kind)!),
                            UInt8(modalities.firstIndex(of: header.modality)!),
                            UInt8(attendances.firstIndex(of: header.attendance)!)]
        out += Int64(header.start.date.timeIntervalSince1970).bigEndianBytes
        out += Int32(header.start.utcOffsetSeconds).bigEndianBytes
        out += UInt16(header.durationMinutes ?? 0xFFFF).bigEndianBytes
        let client = Array(header.client.rawValue.utf8)
        out.append(UInt8(client.count))
        out += client
        return out
    }

    /// Decodes exactly what `encode` writes; nil for anything else.
    static func decode(_ bytes: UnsafeRawBufferPointer, recordID: String, revision: Int) -> RecordListing? {
        guard bytes.count >= 19, bytes[0] == version,
              Int(bytes[1]) < kinds.count, Int(bytes[2]) < modalities.count, Int(bytes[3]) < attendances.count
        else { return nil }
        func integer(_ offset: Int, _ width: Int) -> Int64 {
            var value: Int64 = 0
            for index in offset..<(offset + width) { value = value << 8 | Int64(bytes[index]) }
            return value
        }
        let epoch = integer(4, 8)
        let offset = Int32(truncatingIfNeeded: integer(12, 4))
        let duration = Int(integer(16, 2))
        let length = Int(bytes[18])
        guard bytes.count == 19 + length, duration == 0xFFFF || duration <= RecordHeader.maximumDurationMinutes,
              let client = try? ClientReference(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[19...]), as: UTF8.self))
        else { return nil }
        return RecordListing(recordID: recordID, revision: revision, kind: kinds[Int(bytes[1])], client: client,
                             start: SessionStart(epochSeconds: Int(epoch), offset: Int(offset)),
                             durationMinutes: duration == 0xFFFF ? nil : duration,
                             modality: modalities[Int(bytes[2])], attendance: attendances[Int(bytes[3])])
    }
}
