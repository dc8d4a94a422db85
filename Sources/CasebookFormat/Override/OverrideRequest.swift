public import Foundation

/// A lawful-basis override (docs/consent.md §4, docs/formats.md §8): a request by one
/// practitioner to disclose a client's sections that consent does not cover, with the
/// legal basis for it. It is never a consent and never changes a consent decision; it
/// counts only once a supervisor has countersigned it (two people, two keys) and until it
/// expires. This is the signed JSON; `OverrideNote` is the file around it.
public struct OverrideRequest: Codable, Equatable, Sendable {
    public static let formatName = "casebook-override/v1"
    /// "A short expiry": an override lasts at most 30 days from its request.
    public static let maximumValidity: TimeInterval = 30 * 86_400
    public static let maximumCitationLength = 200
    public static let maximumJustificationLength = 2000
    public static let maximumReasonLength = 500

    /// Whether the client's consent was asked for before resorting to an override.
    public enum ConsentSought: String, CaseIterable, Codable, Sendable {
        /// Asked, and refused or not given.
        case yes
        /// Not asked.
        case no
        /// Not asked because asking would put someone at risk or defeat the purpose.
        case unsafe
    }

    /// Whether the client has been told about the disclosure.
    public enum ClientInformed: String, CaseIterable, Codable, Sendable {
        case yes
        /// Will be told once that is safe.
        case deferred
        case no
    }

    /// Who asked: their card fingerprint, and the name and role of their vault's profile.
    public struct Requester: Codable, Equatable, Sendable {
        public var fingerprint: IdentityFingerprint
        public var name: String
        public var role: String

        public init(fingerprint: IdentityFingerprint, name: String, role: String) {
            self.fingerprint = fingerprint
            self.name = name
            self.role = role
        }

        enum CodingKeys: String, CodingKey { case fingerprint, name, role }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fingerprint = try OverrideRequest.decodeFingerprint(container, .fingerprint)
            name = try container.decode(String.self, forKey: .name)
            role = try container.decode(String.self, forKey: .role)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fingerprint.description, forKey: .fingerprint)
            try container.encode(name, forKey: .name)
            try container.encode(role, forKey: .role)
        }
    }

    /// Whom the records may go to, and the contact's name in the requester's vault
    /// (for people reading it; only `target` is compared).
    public struct Recipient: Codable, Equatable, Sendable {
        public var target: OverrideRecipient
        /// A contact's name; absent for an age recipient.
        public var name: String?

        public init(target: OverrideRecipient, name: String?) {
            self.target = target
            self.name = name
        }

        enum CodingKeys: String, CodingKey { case kind, fingerprint, age, name }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let kind = try container.decode(String.self, forKey: .kind)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            switch kind {
            case "contact":
                target = .contact(try OverrideRequest.decodeFingerprint(container, .fingerprint))
            case "age":
                target = .age(try container.decode(String.self, forKey: .age))
            default:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown recipient kind")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch target {
            case .contact(let fingerprint):
                try container.encode("contact", forKey: .kind)
                try container.encode(fingerprint.description, forKey: .fingerprint)
            case .age(let recipient):
                try container.encode("age", forKey: .kind)
                try container.encode(recipient, forKey: .age)
            }
            try container.encodeIfPresent(name, forKey: .name)
        }
    }

    /// 32 lower-case hex digits: 128 random bits.
    public var id: String
    /// When it was requested and when it stops counting (whole seconds; usable while now < expires).
    public var created: Date
    public var expires: Date
    public var requester: Requester
    public var client: ClientReference
    public var recipient: Recipient
    public var purpose: ConsentPurpose
    /// The section keys it covers: sorted, unique, non-empty.
    public var fields: [String]
    /// The special-category labels it covers (sorted, unique; possibly empty): a record
    /// carrying `health` or `religious-belief` leaves under it only when it names that label.
    public var specialCategories: [String]
    /// The legal provision relied on, e.g. a statute and section.
    public var citation: String
    /// Why the disclosure is necessary and proportionate.
    public var justification: String
    public var consentSought: ConsentSought
    /// Why consent was not sought, or why it is overridden.
    public var reason: String
    public var clientInformed: ClientInformed

    public init(id: String, created: Date, expires: Date, requester: Requester, client: ClientReference, recipient: Recipient,
                purpose: ConsentPurpose, fields: [String], specialCategories: [String], citation: String, justification: String,
                consentSought: ConsentSought, reason: String, clientInformed: ClientInformed) {
        self.id = id
        self.created = created
        self.expires = expires
        self.requester = requester
        self.client = client
        self.recipient = recipient
        self.purpose = purpose
        self.fields = fields
        self.specialCategories = specialCategories
        self.citation = citation
        self.justification = justification
        self.consentSought = consentSought
        self.reason = reason
        self.clientInformed = clientInformed
    }

    enum CodingKeys: String, CodingKey {
        case id, created, expires, requester, client, recipient, purpose, fields, citation, justification, reason
        case specialCategories = "special-categories"
        case consentSought = "consent-sought"
        case clientInformed = "client-informed"
    }

    // Times are coded here, not by an encoder's date strategy, so every encoder writes
    // the canonical RFC 3339 form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        created = try Self.decodeTime(container, .created)
        expires = try Self.decodeTime(container, .expires)
        requester = try container.decode(Requester.self, forKey: .requester)
        client = try container.decode(ClientReference.self, forKey: .client)
        recipient = try container.decode(Recipient.self, forKey: .recipient)
        purpose = try container.decode(ConsentPurpose.self, forKey: .purpose)
        fields = try container.decode([String].self, forKey: .fields)
        specialCategories = try container.decode([String].self, forKey: .specialCategories)
        citation = try container.decode(String.self, forKey: .citation)
        justification = try container.decode(String.self, forKey: .justification)
        consentSought = try container.decode(ConsentSought.self, forKey: .consentSought)
        reason = try container.decode(String.self, forKey: .reason)
        clientInformed = try container.decode(ClientInformed.self, forKey: .clientInformed)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(UTCTimestamp.string(created), forKey: .created)
        try container.encode(UTCTimestamp.string(expires), forKey: .expires)
        try container.encode(requester, forKey: .requester)
        try container.encode(client, forKey: .client)
        try container.encode(recipient, forKey: .recipient)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(fields, forKey: .fields)
        try container.encode(specialCategories, forKey: .specialCategories)
        try container.encode(citation, forKey: .citation)
        try container.encode(justification, forKey: .justification)
        try container.encode(consentSought, forKey: .consentSought)
        try container.encode(reason, forKey: .reason)
        try container.encode(clientInformed, forKey: .clientInformed)
    }

    private static func decodeTime(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = UTCTimestamp.date(text), UTCTimestamp.string(date) == text else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an RFC 3339 UTC time")
        }
        return date
    }

    fileprivate static func decodeFingerprint<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> IdentityFingerprint {
        do {
            return try IdentityFingerprint(parsing: container.decode(String.self, forKey: key))
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a card fingerprint")
        }
    }

    /// The canonical JSON: keys sorted, no insignificant whitespace, `/` not escaped.
    public func canonicalJSON() -> [UInt8] {
        return CanonicalJSON.encode(self)
    }
}
