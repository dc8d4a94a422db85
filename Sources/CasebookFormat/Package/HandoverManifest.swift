import Foundation

/// `handover.json`, version 2 (v1 packages had no audit proof): what a handover carries, signed by its sender (docs/formats.md).
///
/// Written as canonical JSON: UTF-8, keys sorted, no insignificant whitespace, `/` not
/// escaped (what `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes`).
/// Read strictly: the bytes must decode into exactly these fields and re-encode to the
/// same bytes, so unknown or repeated keys, other spellings of a value and extra
/// whitespace are all refused. Once its signature verified, a reader checks that every value
/// keeps its rule (`validate()`): checked after the signature, so that a manifest altered by
/// anyone but its sender is refused as altered, not as badly made.
public struct HandoverManifest: Codable, Equatable, Sendable {
    public static let formatName = "casebook-handover/v2"
    /// The longest `reason` (characters) a handover or an export carries.
    public static let maximumReasonLength = 200

    public struct Party: Codable, Equatable, Sendable {
        /// The card fingerprint (`XXXX-XXXX-…`).
        public var fingerprint: String
        public var name: String

        public init(fingerprint: String, name: String) {
            self.fingerprint = fingerprint
            self.name = name
        }
    }

    public struct Sender: Codable, Equatable, Sendable {
        /// The sender's whole identity card (its text).
        public var card: String
        public var fingerprint: String

        public init(card: String, fingerprint: String) {
            self.card = card
            self.fingerprint = fingerprint
        }
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

        public init(id: String, revision: Int, author: String, recordedAt: String, kind: String, client: String, start: String,
                    duration: Int?, modality: String, attendance: String, labels: [String], sharingSummary: String,
                    sections: [String: String], withheld: [String]) {
            self.id = id
            self.revision = revision
            self.author = author
            self.recordedAt = recordedAt
            self.kind = kind
            self.client = client
            self.start = start
            self.duration = duration
            self.modality = modality
            self.attendance = attendance
            self.labels = labels
            self.sharingSummary = sharingSummary
            self.sections = sections
            self.withheld = withheld
        }

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

    public init(format: String, id: String, created: String, sender: Sender, recipients: [Party], purpose: String,
                reason: String?, fields: [String]?, records: [Record]) {
        self.format = format
        self.id = id
        self.created = created
        self.sender = sender
        self.recipients = recipients
        self.purpose = purpose
        self.reason = reason
        self.fields = fields
        self.records = records
    }

    /// The canonical bytes.
    public func encoded() -> [UInt8] {
        return CanonicalJSON.encode(self)
    }

    /// Parses canonical bytes (see the type's documentation); `validate()` checks the values.
    public static func decode(_ bytes: [UInt8]) throws(WireFormatError) -> HandoverManifest {
        guard let manifest = try? JSONDecoder().decode(HandoverManifest.self, from: Data(bytes)) else {
            throw WireFormatError(.invalid, "handover.json is not a Casebook handover manifest")
        }
        guard manifest.format == formatName else {
            throw WireFormatError(.unsupportedVersion, "handover.json has format '\(manifest.format)', not \(formatName)",
                                  hint: "it was made by another program or a newer Casebook")
        }
        guard manifest.encoded() == bytes else {
            throw WireFormatError(.invalid, "handover.json is not in canonical form (unknown keys, spacing or escapes)")
        }
        return manifest
    }

    /// Throws unless every value keeps its rule (docs/formats.md §4.1): the id, a real UTC
    /// `created`, the sender's card and fingerprint, at least one recipient, sorted by a
    /// fingerprint in displayed form, each named by the name rule, a known purpose, a reason
    /// by the one-line rule, section-key fields, and at least one record, no id twice, each
    /// with an author by the name rule and a real UTC time.
    public func validate() throws(WireFormatError) {
        let rules = ManifestRules(file: "handover.json")
        try rules.checkID(id)
        try rules.checkTime(created, "created")
        try rules.checkSender(sender)
        guard !recipients.isEmpty else { throw rules.bad("it names no recipient") }
        for (index, recipient) in recipients.enumerated() {
            let what = "recipient \(index + 1)"
            try rules.checkFingerprint(recipient.fingerprint, "the fingerprint of \(what)")
            try rules.checkName(recipient.name, "the name of \(what)")
            if index > 0, !(recipients[index - 1].fingerprint < recipient.fingerprint) {
                throw rules.bad("the recipients are not sorted by fingerprint without repeats")
            }
        }
        try rules.checkPurpose(purpose)
        try rules.checkReason(reason)
        try rules.checkFields(fields)
        try rules.checkRecords(records)
    }
}
