import Foundation

/// The canonical JSON of one consent version (docs/consent.md §Canonical form), as plain
/// values: times RFC 3339 UTC with whole seconds, every set a sorted array (recipients by
/// `contact:FINGERPRINT` / `org:NAME` / `role:ROLE`), provisions in their order. Its SHA-256
/// is the hash an audit event records for the consent a decision relied on, so these bytes
/// never change; the domain (`Consent`) maps to and from it and validates the values.
public struct ConsentJSON: Codable, Equatable, Sendable {
    public static let formatName = "casebook-consent/v1"

    public struct Withdrawal: Codable, Equatable, Sendable {
        public var time: String
        public var reason: String

        public init(time: String, reason: String) {
            self.time = time
            self.reason = reason
        }
    }

    public struct Recipient: Codable, Equatable, Sendable {
        /// `contact`, `org` or `role`.
        public var type: String
        /// The fingerprint, organisation or role.
        public var value: String
        /// A contact's name.
        public var name: String?

        public init(type: String, value: String, name: String? = nil) {
            self.type = type
            self.value = value
            self.name = name
        }
    }

    public struct Provision: Codable, Equatable, Sendable {
        public var effect: String
        public var purposes: [String]
        public var recipients: [Recipient]
        public var kinds: [String]
        public var fields: [String]
        public var labels: [String]
        public var actions: [String]
        public var dataFrom: String?
        public var dataUntil: String?

        public init(effect: String, purposes: [String], recipients: [Recipient], kinds: [String], fields: [String],
                    labels: [String], actions: [String], dataFrom: String?, dataUntil: String?) {
            self.effect = effect
            self.purposes = purposes
            self.recipients = recipients
            self.kinds = kinds
            self.fields = fields
            self.labels = labels
            self.actions = actions
            self.dataFrom = dataFrom
            self.dataUntil = dataUntil
        }

        enum CodingKeys: String, CodingKey {
            case effect, purposes, recipients, kinds, fields, labels, actions
            case dataFrom = "data-from"
            case dataUntil = "data-until"
        }
    }

    public var format: String
    public var id: String
    public var version: Int
    public var client: String
    public var recordedBy: String
    public var recordedAt: String
    public var method: String
    public var evidenceSHA256: String?
    public var validFrom: String
    public var validUntil: String
    public var withdrawal: Withdrawal?
    public var provisions: [Provision]

    enum CodingKeys: String, CodingKey {
        case format, id, version, client, method, withdrawal, provisions
        case recordedBy = "recorded-by"
        case recordedAt = "recorded-at"
        case evidenceSHA256 = "evidence-sha256"
        case validFrom = "valid-from"
        case validUntil = "valid-until"
    }

    public init(id: String, version: Int, client: String, recordedBy: String, recordedAt: String, method: String,
                evidenceSHA256: String?, validFrom: String, validUntil: String, withdrawal: Withdrawal?, provisions: [Provision]) {
        self.format = Self.formatName
        self.id = id
        self.version = version
        self.client = client
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.method = method
        self.evidenceSHA256 = evidenceSHA256
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.withdrawal = withdrawal
        self.provisions = provisions
    }

    /// The canonical bytes: keys sorted, no insignificant whitespace, `/` not escaped,
    /// absent optional values omitted. The domain puts every set in sorted order first.
    public func canonicalBytes() -> [UInt8] {
        CanonicalJSON.encode(self)
    }

    /// Reads canonical bytes strictly: exactly these fields, this format, and bytes that
    /// re-encode to themselves. The values are plain text: the domain checks what they mean.
    public static func decode(_ bytes: [UInt8]) throws(WireFormatError) -> ConsentJSON {
        let decoded: ConsentJSON
        do {
            decoded = try JSONDecoder().decode(ConsentJSON.self, from: Data(bytes))
        } catch {
            throw WireFormatError(.invalid, "not a Casebook consent record (the JSON does not have the consent fields)")
        }
        guard decoded.format == formatName else {
            throw WireFormatError(.unsupportedVersion, "the consent record has format '\(decoded.format.prefix(40))', not \(formatName)",
                                  hint: "it was made by a newer Casebook")
        }
        guard decoded.canonicalBytes() == bytes else { throw notCanonical }
        return decoded
    }

    /// Bytes that decode but are not the one canonical form.
    public static let notCanonical = WireFormatError(
        .invalid, "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
}
