import Foundation

/// `export.json`, version 1: what an export carries, signed by its sender (docs/formats.md §7).
/// Canonical JSON exactly as `handover.json` (keys sorted, no insignificant whitespace,
/// `/` not escaped), parsed just as strictly; once its signature verified, `validate()`
/// checks every value, as for `handover.json`.
public struct ExportManifest: Codable, Equatable, Sendable {
    public static let formatName = "casebook-export/v1"

    /// Who the export is for, as the sender described them (and the consent was checked against).
    public struct Recipient: Codable, Equatable, Sendable {
        /// `contact` (a Casebook contact), `age` (an age X25519 recipient), `passphrase`.
        public var kind: String
        /// The contact's name in the sender's vault.
        public var name: String?
        /// The contact's card fingerprint.
        public var fingerprint: String?
        /// The `age1…` recipient it was sealed to.
        public var age: String?
        /// Organisation and role tokens given for the consent check (`org:`/`role:` provisions).
        public var organisation: String?
        public var role: String?

        public init(kind: String, name: String?, fingerprint: String?, age: String?, organisation: String?, role: String?) {
            self.kind = kind
            self.name = name
            self.fingerprint = fingerprint
            self.age = age
            self.organisation = organisation
            self.role = role
        }
    }

    public var format: String
    /// 32 lower-case hex characters (128 random bits).
    public var id: String
    /// RFC 3339 UTC, whole seconds.
    public var created: String
    public var sender: HandoverManifest.Sender
    public var recipient: Recipient
    /// `sealed` (an age file) or `plaintext` (printed by `--plaintext`).
    public var delivery: String
    /// The consent purpose checked.
    public var purpose: String
    /// The sender's own words (optional, one line).
    public var reason: String?
    /// The client whose records these are.
    public var client: String
    /// What allowed it: consent versions `ID vN sha256:HASH`, or one override
    /// `override ID approved by FINGERPRINT: CITATION`.
    public var basis: [String]
    /// The section keys the sender chose (`--fields`); absent when all were asked for.
    public var fields: [String]?
    public var records: [HandoverManifest.Record]

    public init(format: String, id: String, created: String, sender: HandoverManifest.Sender, recipient: Recipient, delivery: String,
                purpose: String, reason: String?, client: String, basis: [String], fields: [String]?, records: [HandoverManifest.Record]) {
        self.format = format
        self.id = id
        self.created = created
        self.sender = sender
        self.recipient = recipient
        self.delivery = delivery
        self.purpose = purpose
        self.reason = reason
        self.client = client
        self.basis = basis
        self.fields = fields
        self.records = records
    }

    /// The canonical bytes.
    public func encoded() -> [UInt8] {
        return CanonicalJSON.encode(self)
    }

    /// Parses canonical bytes (see the type's documentation); `validate()` checks the values.
    public static func decode(_ bytes: [UInt8]) throws(WireFormatError) -> ExportManifest {
        guard let manifest = try? JSONDecoder().decode(ExportManifest.self, from: Data(bytes)) else {
            throw WireFormatError(.invalid, "export.json is not a Casebook export manifest")
        }
        guard manifest.format == formatName else {
            throw WireFormatError(.unsupportedVersion, "export.json has format '\(manifest.format.prefix(40))', not \(formatName)")
        }
        guard manifest.encoded() == bytes else {
            throw WireFormatError(.invalid, "export.json is not in canonical form (unknown keys, spacing or escapes)")
        }
        return manifest
    }

    /// The longest organisation, role (characters) and `basis` line an export carries.
    static let maximumTokenLength = 100
    static let maximumBasisLength = 500

    /// Throws unless every value keeps its rule (docs/formats.md §7.2): those `handover.json`
    /// shares (id, `created`, sender, purpose, reason, fields, records), a recipient of a
    /// known kind with exactly that kind's keys (a contact's name by the name rule and its
    /// fingerprint as displayed; a canonical `age1…` recipient), a known delivery, a valid
    /// client reference, and basis lines by the one-line rule.
    public func validate() throws(WireFormatError) {
        let rules = ManifestRules(file: "export.json")
        try rules.checkID(id)
        try rules.checkTime(created, "created")
        try rules.checkSender(sender)
        switch (recipient.kind, recipient.name, recipient.fingerprint, recipient.age) {
        case ("contact", let name?, let fingerprint?, nil):
            try rules.checkName(name, "the recipient's name")
            try rules.checkFingerprint(fingerprint, "the recipient's fingerprint")
        case ("age", nil, nil, let age?):
            do { _ = try OverrideRecipient(ageRecipient: age) } catch { throw rules.bad("the recipient \(error.message)") }
        case ("passphrase", nil, nil, nil):
            break
        default:
            throw rules.bad("the recipient is not a contact (name, fingerprint), an age recipient (age) or a passphrase")
        }
        for (what, token) in [("organisation", recipient.organisation), ("role", recipient.role)] {
            if let token, let problem = TextRule.lineProblem(token, limit: Self.maximumTokenLength) {
                throw rules.bad("the recipient's \(what) \(problem)")
            }
        }
        guard delivery == "sealed" || delivery == "plaintext" else { throw rules.bad("the delivery '\(rules.shown(delivery))' is not sealed or plaintext") }
        try rules.checkPurpose(purpose)
        try rules.checkReason(reason)
        // Not echoed: what stands where a reference should may be a name.
        guard ClientReference.isValid(client) else { throw rules.bad("the client is not a valid client reference") }
        for line in basis {
            if let problem = TextRule.lineProblem(line, limit: Self.maximumBasisLength) { throw rules.bad("a basis line \(problem)") }
        }
        try rules.checkFields(fields)
        try rules.checkRecords(records)
    }
}
