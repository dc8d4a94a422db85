/// The value rules `handover.json` and `export.json` share (docs/formats.md §4.1, §7.2),
/// checked when either is decoded: a manifest is signed by its sender, but a signature
/// says only who wrote it, not that its text is safe to show or its values canonical.
/// Every refusal is `.invalid` and names the manifest and the field; a value is echoed
/// only escaped and short.
struct ManifestRules {
    /// `handover.json` or `export.json`, as messages name the file.
    let file: String

    func bad(_ message: String) -> WireFormatError {
        WireFormatError(.invalid, "\(file) is not valid: \(message)", hint: "it was made by another program, or altered before it was signed")
    }

    func checkID(_ id: String) throws(WireFormatError) {
        guard Hex.isLowercase(id, count: 32) else { throw bad("its id is not 32 lower-case hex digits") }
    }

    /// A time: RFC 3339 UTC, whole seconds, a real date (`UTCTimestamp`).
    func checkTime(_ text: String, _ what: String) throws(WireFormatError) {
        if let problem = UTCTimestamp.problem(in: text) { throw bad("\(what) '\(shown(text))' \(problem)") }
    }

    /// The sender: a card that parses and verifies (its name keeps the name rule) and the
    /// fingerprint of that card, in its displayed form.
    func checkSender(_ sender: HandoverManifest.Sender) throws(WireFormatError) {
        let fingerprint = try checkFingerprint(sender.fingerprint, "the sender's fingerprint")
        let card: IdentityCard
        do {
            card = try IdentityCard.parse(sender.card)
        } catch {
            throw bad("the sender's card is not a valid identity card (\(error))")
        }
        guard card.fingerprint == fingerprint else { throw bad("the sender's fingerprint is not that of the sender's card") }
    }

    /// A card fingerprint exactly as displayed (upper case, grouped by 4): one fingerprint, one spelling.
    @discardableResult
    func checkFingerprint(_ text: String, _ what: String) throws(WireFormatError) -> IdentityFingerprint {
        do {
            return try IdentityFingerprint(displayed: text)
        } catch {
            throw bad("\(what) '\(shown(text))' is not a card fingerprint in its displayed form: \(error.message)")
        }
    }

    func checkName(_ name: String, _ what: String) throws(WireFormatError) {
        if let problem = TextRule.nameProblem(name) { throw bad("\(what) \(problem)") }
    }

    func checkPurpose(_ purpose: String) throws(WireFormatError) {
        guard ConsentPurpose(rawValue: purpose) != nil else {
            throw bad("the purpose '\(shown(purpose))' is not one Casebook knows")
        }
    }

    /// The sender's own words: absent, or the one-line rule with `HandoverManifest.maximumReasonLength`.
    func checkReason(_ reason: String?) throws(WireFormatError) {
        guard let reason else { return }
        if let problem = TextRule.lineProblem(reason, limit: HandoverManifest.maximumReasonLength) { throw bad("the reason \(problem)") }
    }

    /// The section keys the sender chose: absent, or at least one, each a section-key token
    /// (`a`–`z`, `0`–`9`, `-`, at most 64). Which kinds have them is the reader's domain.
    func checkFields(_ fields: [String]?) throws(WireFormatError) {
        guard let fields else { return }
        guard !fields.isEmpty else { throw bad("fields is present but names no section") }
        for field in fields where !Self.isToken(field) {
            throw bad("the field '\(shown(field))' is not a section key")
        }
    }

    /// At least one record, no record id twice, and each record's author and time keep
    /// their rules. (Whether each record is a valid record of its kind is the reader's
    /// domain: Format does not know the kinds.)
    func checkRecords(_ records: [HandoverManifest.Record]) throws(WireFormatError) {
        guard !records.isEmpty else { throw bad("it holds no records") }
        var seen = Set<String>()
        for (index, record) in records.enumerated() {
            let what = "record \(index + 1) (\(shown(record.id)))"
            guard seen.insert(record.id).inserted else { throw bad("\(what) has the id of an earlier record") }
            try checkName(record.author, "the author of \(what)")
            try checkTime(record.recordedAt, "the recorded-at time of \(what)")
        }
    }

    /// `text` escaped and cut short, to quote in a message.
    func shown(_ text: String) -> String { DisplayText.escaped(text, limit: 40) }

    static func isToken(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-")
        }
    }
}
