/// What an approved lawful-basis override releases, as the pure evaluation sees it: the
/// sections it names and the special categories it names (docs/consent.md §4.3). It is an
/// input beside the consent decision, never a provision: an override is not consent.
public struct OverrideCoverage: Equatable, Sendable {
    public var fields: Set<String>
    public var specialCategories: Set<String>

    public init(fields: Set<String>, specialCategories: Set<String> = []) {
        self.fields = fields
        self.specialCategories = specialCategories
    }

    /// The special categories (`health`, `religious-belief`) among `labels` that the override
    /// does not name: a record carrying any of them is not released under it.
    public func unnamedSpecialCategories(_ labels: some Sequence<String>) -> [String] {
        Set(labels).intersection(RecordHeader.specialCategoryLabels).subtracting(specialCategories).sorted()
    }
}

/// Consent and an override combined, record by record (``ConsentEvaluator/combine(_:records:override:)``).
public struct CombinedDecision: Equatable, Sendable {
    /// Record id → the sections that leave (possibly none: a record whose header only the
    /// override releases still leaves, with the sections either basis covers).
    public var allowed: [String: Set<String>] = [:]
    /// Record id → why neither basis releases the record.
    public var excluded: [String: String] = [:]
    /// `<id>: section '<key>' is covered by neither consent nor the override`, in record order.
    public var withheldReasons: [String] = []
    /// Whether the override released anything consent did not: only then is it a basis.
    public var usedOverride = false

    public init() {}

    /// Whole records first (sorted), then sections: what the sender sees and the refusal lists.
    public var withheldLines: [String] { excluded.map { "\($0.key): \($0.value)" }.sorted() + withheldReasons }

    /// Whether the export must be refused: nothing leaves (`none`), or something is withheld
    /// and the sender did not accept a partial result.
    public func refusal(acceptPartial: Bool) -> (none: Bool, lines: [String])? {
        let lines = withheldLines
        let none = allowed.isEmpty && !excluded.isEmpty
        return none || (!lines.isEmpty && !acceptPartial) ? (none, lines) : nil
    }
}

extension ConsentEvaluator {
    /// Combines a consent decision with an approved override (docs/consent.md §4.3). Pure.
    ///
    /// - a section leaves if consent covers it, or if the override names it and names every
    ///   special category of its record;
    /// - a record consent does not disclose leaves only under the override, and only when the
    ///   override names all its special categories; otherwise it is withheld whole;
    /// - every other section asked for is withheld (which makes the result partial).
    ///
    /// `records` are the records of the request `decision` answers (their `sections` are
    /// what was asked for); the client, recipient and purpose were checked against the
    /// override before (``ApprovedOverride/check(client:recipient:purpose:fields:specialCategories:)``).
    public static func combine(_ decision: DisclosureDecision, records: [DisclosureRequest.Record],
                               override: OverrideCoverage) -> CombinedDecision {
        let byID = Dictionary(decision.records.map { ($0.recordID, $0) }, uniquingKeysWith: { first, _ in first })
        var combined = CombinedDecision()
        for record in records {
            let consent = byID[record.id]
            // Consent covers the record itself only when it discloses it (a deny discloses nothing).
            let consentCoversRecord = consent?.disclosed ?? false
            let byConsent = consentCoversRecord ? Set(consent?.allowedFields ?? []) : []
            let unnamed = override.unnamedSpecialCategories(RecordHeader.normalizedLabels(record.labels, for: record.kind))
            let byOverride = unnamed.isEmpty ? override.fields : []
            if !consentCoversRecord && !unnamed.isEmpty {
                combined.excluded[record.id] = "neither consent nor the override covers it (the override does not name \(unnamed.joined(separator: ", ")))"
                continue
            }
            var sections = Set<String>()
            for key in record.sections {
                if byConsent.contains(key) {
                    sections.insert(key)
                } else if byOverride.contains(key) {
                    sections.insert(key)
                    combined.usedOverride = true
                } else {
                    combined.withheldReasons.append("\(record.id): section '\(key)' is covered by neither consent nor the override")
                }
            }
            if !consentCoversRecord { combined.usedOverride = true }
            combined.allowed[record.id] = sections
        }
        return combined
    }
}
