import Foundation
import CasebookFormat

/// `handover.json`, version 2 (v1 packages had no audit proof): what a handover carries, signed by its sender (docs/formats.md).
///
/// Written as canonical JSON: UTF-8, keys sorted, no insignificant whitespace, `/` not
/// escaped (what `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes`).
/// Read strictly: the bytes must decode into exactly these fields and re-encode to the
/// same bytes, so unknown or repeated keys, other spellings of a value and extra
/// whitespace are all refused.
public struct HandoverManifest: Codable, Equatable, Sendable {
    public static let formatName = "casebook-handover/v2"

    public struct Party: Codable, Equatable, Sendable {
        /// The card fingerprint (`XXXX-XXXX-…`).
        public var fingerprint: String
        public var name: String
    }

    public struct Sender: Codable, Equatable, Sendable {
        /// The sender's whole identity card (its text).
        public var card: String
        public var fingerprint: String
    }

    /// One record as sent: its header and the sections kept, and the sections withheld.
    public struct Record: Codable, Equatable, Sendable {
        /// The record's id and revision in the sender's vault.
        public var id: String
        public var revision: Int
        /// Who wrote that revision, and when (its `rev.author` and `rev.recorded-at`).
        public var author: String
        public var recordedAt: String
        public var kind: String
        public var client: String
        public var start: String
        public var duration: Int?
        public var modality: String
        public var attendance: String
        public var labels: [String]
        public var sharingSummary: String
        /// Section key → text, only the sections sent.
        public var sections: [String: String]
        /// Section keys the sender had text for but did not send, in the kind's field order.
        public var withheld: [String]

        enum CodingKeys: String, CodingKey {
            case id, revision, author, kind, client, start, duration, modality, attendance, labels, sections, withheld
            case recordedAt = "recorded-at"
            case sharingSummary = "sharing-summary"
        }
    }

    public var format: String
    /// 32 lower-case hex characters (128 random bits).
    public var id: String
    /// RFC 3339 UTC, whole seconds.
    public var created: String
    public var sender: Sender
    /// The intended recipients, sorted by fingerprint.
    public var recipients: [Party]
    /// Why, as one of the consent purposes (`supervision`, `risk-management`, `court`,
    /// `subject-access`, `research`): what the client's consent was checked against.
    public var purpose: String
    /// The sender's own words about why (optional, one line).
    public var reason: String?
    /// The section keys the sender chose to send (`--fields`); absent when all were sent.
    public var fields: [String]?
    public var records: [Record]

    /// The canonical bytes.
    public func encoded() -> [UInt8] {
        return CanonicalJSON.encode(self)
    }

    /// Parses canonical bytes (see the type's documentation).
    public static func decode(_ bytes: [UInt8]) throws(CasebookError) -> HandoverManifest {
        let manifest: HandoverManifest
        do {
            manifest = try JSONDecoder().decode(HandoverManifest.self, from: Data(bytes))
        } catch {
            throw CasebookError(.invalidInput, "handover.json is not a Casebook handover manifest")
        }
        guard manifest.format == formatName else {
            throw CasebookError(.invalidInput, "handover.json has format '\(manifest.format)', not \(formatName)",
                                hint: "it was made by another program or a newer Casebook")
        }
        guard manifest.encoded() == bytes else {
            throw CasebookError(.invalidInput, "handover.json is not in canonical form (unknown keys, spacing or escapes)")
        }
        return manifest
    }
}
