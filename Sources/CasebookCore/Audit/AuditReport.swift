import Foundation
public import CasebookFormat

/// A compliance report over one verified (or failed) audit log (docs/guide-compliance.md):
/// one row per disclosure and per refusal in the period, and the verification result. It
/// never holds note text — only what the events hold: times, the actor, recipients'
/// fingerprints, client pseudonyms, kinds and sections, purpose, basis and package hashes.
/// Rendered as CSV, JSON or one self-contained HTML file; every value comes from a file
/// someone else made and is escaped for its format.
public struct AuditReport: Sendable {
    public static let formatName = "casebook-audit-report/v1"

    /// The actions a report lists: every disclosure and every refusal of one.
    public static let actions: Set<AuditAction> = [.handoverSealed, .handoverRefused, .exportSealed, .exportPlaintext, .exportRefused]
    private static let actionBytes: [[UInt8]] = actions.map { Array($0.rawValue.utf8) }

    /// Whether the action in `line[action]` is one a report lists (without decoding the line).
    public static func isReported(_ line: UnsafeRawBufferPointer, _ action: Range<Int>) -> Bool {
        let bytes = UnsafeRawBufferPointer(rebasing: line[action])
        return actionBytes.contains { $0.count == bytes.count && $0.elementsEqual(bytes) }
    }

    /// One disclosure or refusal.
    public struct Row: Equatable, Sendable, Encodable {
        public let sequence: Int
        public let time: String
        public let action: String
        /// `disclosed`, `partial` (sections or records withheld), `refused` or `plaintext`.
        public let outcome: String
        public let actor: String
        public let recipients: [String]
        public let clients: [String]
        public let kinds: [String]
        /// The sections the disclosure was limited to; nil when every section was asked for.
        public let fields: [String]?
        public let withheld: [String]
        public let excluded: [String]
        public let purpose: String?
        public let basis: [String]
        /// The package's hash (lower-case hex SHA-256), when something left.
        public let digest: String?
        public let detail: String?
        /// Why the log's own consent history does not support this disclosure (`DisclosureReview`); empty when it does.
        public let flagged: [String]

        /// The row's cells in `csvColumns` order, lists joined with "; " (`fields` is `all`
        /// when every section was asked for); `recipients` as they are to be shown.
        func cells(recipients shown: [String]? = nil) -> [String] {
            [String(sequence), time, action, outcome, actor, (shown ?? recipients).joined(separator: "; "),
             clients.joined(separator: "; "), kinds.joined(separator: "; "), fields?.joined(separator: "; ") ?? "all",
             withheld.joined(separator: "; "), excluded.joined(separator: "; "), purpose ?? "", basis.joined(separator: "; "),
             digest ?? "", detail ?? "", flagged.joined(separator: "; ")]
        }

        init(_ event: AuditEvent, flags: [DisclosureReview.Flag] = []) {
            flagged = flags.filter { $0.sequence == event.sequence }.map(\.reason)
            sequence = event.sequence
            time = event.time
            action = event.action.rawValue
            actor = event.actor
            recipients = event.recipients ?? []
            clients = event.clients ?? event.client.map { [$0] } ?? []
            kinds = event.kinds ?? []
            fields = event.fields
            withheld = event.withheld ?? []
            excluded = event.excluded ?? []
            purpose = event.purpose
            basis = event.basis ?? []
            digest = event.digest
            detail = event.shownDetail
            switch event.action {
            case .handoverRefused, .exportRefused: outcome = "refused"
            case .exportPlaintext: outcome = "plaintext"
            default: outcome = withheld.isEmpty && excluded.isEmpty ? "disclosed" : "partial"
            }
        }
    }

    /// The verification result, as the report states it at its top.
    public struct Verification: Equatable, Sendable, Encodable {
        /// `verified`, `FLAGGED` (verified, but disclosures went against the log's consent
        /// history; the rows say which) or `FAILED`.
        public let result: String
        public let message: String
        public let origin: String
        public let owner: String
        public let fingerprint: String
        public let events: UInt64
        public let root: String
        /// When the bundle was exported; nil for a vault's own log.
        public let exported: String?
        /// The sizes of the trusted checkpoints the log is consistent with.
        public let trusted: [UInt64]
        public let firstBadIndex: UInt64?

        enum CodingKeys: String, CodingKey {
            case result, message, origin, owner, fingerprint, events, root, exported, trusted
            case firstBadIndex = "first-bad-index"
        }
    }

    public let verification: Verification
    /// The period, inclusive days (UTC), `YYYY-MM-DD`; nil for open-ended.
    public let from: String?
    public let until: String?
    public let rows: [Row]

    /// The report of `verified`'s disclosure and refusal events whose day (UTC) lies in
    /// `from`…`until` (both inclusive, either may be nil). Refuses a date that is not a real
    /// `YYYY-MM-DD`, or a period that ends before it starts.
    public init(_ verified: AuditVerification, from: String?, until: String?) throws(CasebookError) {
        try Self.checkPeriod(from: from, until: until)
        self.from = from
        self.until = until
        rows = verified.events.filter { event in
            let day = String(event.time.prefix(10))
            return (from.map { day >= $0 } ?? true) && (until.map { day <= $0 } ?? true)
        }.map { Row($0, flags: verified.flags) }
        verification = Verification(
            result: !verified.isVerified ? "FAILED" : verified.flags.isEmpty ? "verified" : "FLAGGED", message: verified.summary, origin: verified.origin,
            owner: verified.ownerName, fingerprint: verified.ownerFingerprint.description, events: verified.eventCount,
            root: verified.rootHash.base64, exported: verified.exported, trusted: verified.trusted.map(\.checkpoint.size),
            firstBadIndex: verified.failure?.firstBadIndex)
    }

    /// Refuses a date that is not a real `YYYY-MM-DD` (exit 2), or a period that ends before it starts.
    public static func checkPeriod(from: String?, until: String?) throws(CasebookError) {
        for (flag, date) in [(CallArgument.from, from), (CallArgument.until, until)] {
            if let date, !isDate(date) {
                throw CasebookError(.invalidArgument, "'\(Vault.displayed(date))' is not a valid date", hint: "use YYYY-MM-DD, e.g. 2026-11-24", argument: flag)
            }
        }
        if let from, let until, until < from {
            throw CasebookError(.invalidArgument, "the period ends (\(until)) before it starts (\(from))")
        }
    }

    /// Stable JSON: sorted keys, two-space indentation, one final newline.
    public func json() -> [UInt8] {
        struct Document: Encodable {
            let format: String
            let from: String?
            let until: String?
            let verification: Verification
            let rows: [Row]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try! encoder.encode(Document(format: Self.formatName, from: from, until: until, verification: verification, rows: rows))
        return Array(data) + [0x0A]
    }

    /// `YYYY-MM-DD`, a real day.
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ [4, 7].contains($0.offset) || ($0.element >= 0x30 && $0.element <= 0x39) })
        else { return false }
        return Timestamp.parse(text + "T00:00:00Z") != nil
            && Timestamp.parse(text + "T00:00:00Z").map(Timestamp.string) == text + "T00:00:00Z"
    }
}
