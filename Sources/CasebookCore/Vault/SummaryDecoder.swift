import CasebookFormat
import Foundation

/// Decodes a revision's meta (revision metadata and record header) in one pass over
/// the decrypted bytes: the hot path of `note list` and `note search`, where
/// 100,000 records must decode in a fraction of a second. Accepts exactly what
/// `RevisionMetadata.fields` + `RecordContent.storageFields` write; anything else is nil.
enum SummaryDecoder {
    /// The meta keys in the order the writer emits them (optional ones included).
    private static let keys: [[UInt8]] = [
        RevisionMetadata.keys.author, RevisionMetadata.keys.authorKey, RevisionMetadata.keys.recordedAt,
        RevisionMetadata.keys.origin, RevisionMetadata.keys.reason, RevisionMetadata.keys.sender,
        RevisionMetadata.keys.handover, RevisionMetadata.keys.source, RevisionMetadata.keys.withheld,
        "kind", "client", "start", "duration", "modality", "attendance", "labels", "sharing-summary",
    ].map { Array($0.utf8) }

    static func decode(_ meta: UnsafeRawBufferPointer) -> (RevisionMetadata, RecordHeader)? {
        var values = [String?](repeating: nil, count: keys.count)
        var repeated = false, unknown = false
        var next = 0
        do {
            try FieldListEncoding.forEachField(in: meta) { key, value in
                // Fields usually arrive in writing order: try the expected key first.
                var index = -1
                var probe = next
                while probe < keys.count {
                    if equal(key, keys[probe]) { index = probe; break }
                    probe += 1
                }
                if index < 0 { index = keys.firstIndex { equal(key, $0) } ?? -1 }
                guard index >= 0 else { unknown = true; return }
                if values[index] != nil { repeated = true }
                values[index] = String(decoding: value, as: UTF8.self)
                next = index + 1
            }
        } catch {
            return nil
        }
        let author = values[0], authorKey = values[1], recordedAt = values[2], origin = values[3], reason = values[4]
        let sender = values[5], handover = values[6], source = values[7], withheld = values[8]
        let kind = values[9], client = values[10], start = values[11], duration = values[12], modality = values[13]
        let attendance = values[14], labels = values[15], summary = values[16]
        guard !repeated, !unknown,
              let author, let authorKey, let recordedAt, let origin = origin.flatMap(RevisionMetadata.Origin.init(rawValue:)),
              let kind = kind.flatMap(RecordKind.init(rawValue:)), let client = try? ClientReference(client ?? ""),
              let start = try? SessionStart(canonical: start ?? ""),
              let modality = modality.flatMap(Modality.init(rawValue:)),
              let attendance = attendance.flatMap(Attendance.init(rawValue:))
        else { return nil }
        var minutes: Int?
        if let duration {
            guard let value = Int(duration), value >= 0, value <= RecordHeader.maximumDurationMinutes else { return nil }
            minutes = value
        }
        let labelText = labels ?? ""
        let header = RecordHeader(
            kind: kind, client: client, start: start, durationMinutes: minutes, modality: modality, attendance: attendance,
            labels: labelText.isEmpty ? [] : labelText.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
            sharingSummary: summary ?? "")
        // Provenance: all of it for a received revision, none of it otherwise.
        var provenance: RevisionMetadata.Provenance?
        if origin == .received {
            guard let sender, let handover, let source else { return nil }
            let withheldKeys = (withheld ?? "").split(separator: ",").map(String.init)
            guard withheld != "", withheldKeys.allSatisfy({ kind.field(forKey: $0) != nil }) else { return nil }
            provenance = RevisionMetadata.Provenance(sender: sender, handoverID: handover, source: source, withheld: withheldKeys)
        } else if sender != nil || handover != nil || source != nil || withheld != nil {
            return nil
        }
        let metadata = RevisionMetadata(author: author, authorKeyID: authorKey, recordedAt: recordedAt, origin: origin, reason: reason,
                                        provenance: provenance)
        return (metadata, header)
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ key: [UInt8]) -> Bool {
        guard bytes.count == key.count else { return false }
        return key.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, key.count) == 0 }
    }
}
