public import Foundation
public import CasebookFormat

/// Who would receive a disclosure, as far as it is known: a Casebook contact has a card
/// fingerprint; an organisation and a role are tokens as in ``ConsentRecipient``.
public struct DisclosureRecipient: Equatable, Sendable, CustomStringConvertible {
    /// How this vault knows the recipient (for messages only; never matched).
    public var name: String?
    public var fingerprint: IdentityFingerprint?
    public var organisation: String?
    public var role: String?

    public init(name: String? = nil, fingerprint: IdentityFingerprint? = nil, organisation: String? = nil, role: String? = nil) {
        self.name = name
        self.fingerprint = fingerprint
        self.organisation = organisation
        self.role = role
    }

    public var description: String {
        var parts: [String] = []
        if let name { parts.append(name) }
        if let fingerprint { parts.append("(\(fingerprint))") }
        if let organisation { parts.append("org:\(organisation)") }
        if let role { parts.append("role:\(role)") }
        return parts.isEmpty ? "an unidentified recipient" : parts.joined(separator: " ")
    }
}

/// One disclosure to evaluate: which client's records, to whom, why, how and when.
public struct DisclosureRequest: Equatable, Sendable {
    /// A record as the evaluator sees it: no text, only what provisions select on.
    public struct Record: Equatable, Sendable {
        public var id: String
        public var kind: RecordKind
        /// The record's labels; the kind's default labels are added by the evaluator.
        public var labels: [String]
        public var start: SessionStart
        /// Keys of the sections the record has text for.
        public var sections: [String]

        public init(id: String, kind: RecordKind, labels: [String], start: SessionStart, sections: [String]) {
            self.id = id
            self.kind = kind
            self.labels = labels
            self.start = start
            self.sections = sections
        }

        /// The evaluator's view of a stored record.
        public init(id: String, content: RecordContent) {
            self.init(
                id: id, kind: content.header.kind, labels: content.header.labels, start: content.header.start,
                sections: content.header.kind.fields.map(\.key).filter { content.sections[$0] != nil })
        }
    }

    public var client: ClientReference
    public var recipient: DisclosureRecipient
    public var purpose: ConsentPurpose
    public var action: DisclosureAction
    /// When the disclosure would happen (the caller's clock; tests fix it).
    public var time: Date
    public var records: [Record]

    public init(client: ClientReference, recipient: DisclosureRecipient, purpose: ConsentPurpose,
                action: DisclosureAction, time: Date, records: [Record]) {
        self.client = client
        self.recipient = recipient
        self.purpose = purpose
        self.action = action
        self.time = time
        self.records = records
    }
}
