import CasebookFormat
import Foundation

/// Decides what of a disclosure request the client's consents cover (docs/consent.md).
///
/// 1. Default deny: what no provision permits stays.
/// 2. Only consents that count: for each consent id, the highest version recorded by the
///    request time; it counts when `validFrom <= time < validUntil` and it was not withdrawn
///    at or before `time` (withdrawal is not retroactive).
/// 3. A provision matches a record when the request's purpose is one of its purposes, the
///    recipient is one of its recipients (a deny without recipients matches everyone), the
///    action is one of its actions (none named: both), the record's kind is one of its kinds
///    (none named: all), the record carries one of its labels (none named: any record), and the
///    session started in its data period (`dataFrom <= start < dataUntil`, each bound optional).
///    It matches a section when it also names that section (or names no section). It matches
///    the record as a whole (its header) when it is a permit, or a deny that names no section:
///    a deny naming sections withholds only those.
/// 4. Special categories: a permit matches a record labelled `religious-belief` or `health`
///    only when it names every such label of the record.
/// 5. The most specific matching provision wins (``specificity(of:for:)``, compared
///    lexicographically); among equally specific ones, any deny wins over a permit.
/// 6. The record leaves only when its header is permitted; then each section leaves when
///    permitted, and is listed as withheld with its reason otherwise.
public enum ConsentEvaluator {
    /// Evaluates `request` against `consents` (any clients, any versions; the client's are
    /// picked out). Throws `.invalidInput` when the request or a consent of the client is not
    /// valid, or when a consent's versions contradict each other — never a decision built on
    /// data that does not make sense.
    public static func evaluate(_ request: DisclosureRequest, consents: [Consent]) throws(CasebookError) -> DisclosureDecision {
        try validate(request)
        let (active, inactive) = try consentsInForce(consents, client: request.client, at: request.time)

        var decisions: [RecordDecision] = []
        var relied: Set<ProvisionReference> = []
        for record in request.records {
            let decision = decide(record, request: request, active: active)
            relied.formUnion(decision.basis)
            decisions.append(decision)
        }
        let byVersion = Dictionary(active.map { ("\($0.id) \($0.version)", $0) }, uniquingKeysWith: { first, _ in first })
        let reliedOn = Set(relied.map { reference in
            ConsentReliance(consentID: reference.consentID, version: reference.version,
                            hash: byVersion["\(reference.consentID) \(reference.version)"]!.canonicalHash)
        }).sorted()

        let outcome: DisclosureDecision.Outcome
        if !decisions.contains(where: \.disclosed) {
            outcome = .deny
        } else if decisions.allSatisfy({ $0.disclosed && $0.withheldFields.isEmpty }) {
            outcome = .permit
        } else {
            outcome = .partial
        }
        return DisclosureDecision(outcome: outcome, records: decisions, reliedOn: reliedOn, inactive: inactive)
    }

    /// How specific `provision` is for `request`, compared lexicographically (greater is more
    /// specific). Dimensions in order, each scored as (named? 1 : 0, then minus the number of
    /// entries, so a narrower list is more specific):
    ///
    /// 1. recipient: 2 when it matched through a contact's fingerprint, 1 through an
    ///    organisation or role, 0 when it names no recipient; then minus the number of recipients;
    /// 2. fields; 3. kinds; 4. labels; 5. purposes (always named, so only the count differs);
    /// 6. data period: the number of bounds given (0, 1 or 2);
    /// 7. actions.
    public static func specificity(of provision: ConsentProvision, for recipient: DisclosureRecipient) -> [Int] {
        var score: [Int] = []
        func set(_ count: Int) {
            score += count == 0 ? [0, 0] : [1, -count]
        }
        let rank = provision.recipients.map { candidate -> Int in
            guard matches(candidate, recipient) else { return 0 }
            if case .contact = candidate { return 2 }
            return 1
        }.max() ?? 0
        score += provision.recipients.isEmpty ? [0, 0] : [rank, -provision.recipients.count]
        set(provision.fields.count)
        set(provision.kinds.count)
        set(provision.labels.count)
        set(provision.purposes.count)
        score.append((provision.dataFrom == nil ? 0 : 1) + (provision.dataUntil == nil ? 0 : 1))
        set(provision.actions.count)
        return score
    }

    // MARK: Consents in force

    private static func consentsInForce(
        _ consents: [Consent], client: ClientReference, at time: Date
    ) throws(CasebookError) -> (active: [Consent], inactive: [InactiveConsent]) {
        var byID: [String: [Consent]] = [:]
        for consent in consents { byID[consent.id, default: []].append(consent) }
        var active: [Consent] = []
        var inactive: [InactiveConsent] = []
        for id in byID.keys.sorted() {
            let versions = byID[id]!.sorted { $0.version < $1.version }
            guard versions.contains(where: { $0.client == client }) else { continue }
            guard versions.allSatisfy({ $0.client == client }) else {
                throw CasebookError(.invalidInput, "consent \(id) has versions for different clients")
            }
            for (index, consent) in versions.enumerated() {
                try consent.validated()
                guard index > 0 else { continue }
                let previous = versions[index - 1]
                guard previous.version != consent.version else {
                    throw CasebookError(.invalidInput, "\(consent.label) is given twice")
                }
                guard previous.recordedAt <= consent.recordedAt else {
                    throw CasebookError(.invalidInput, "\(consent.label) was recorded before \(previous.label)")
                }
                if let withdrawal = previous.withdrawal, consent.withdrawal != withdrawal {
                    throw CasebookError(.invalidInput, "\(consent.label) does not keep the withdrawal of \(previous.label)",
                                        hint: "a withdrawal is final; a new agreement is a new consent")
                }
            }
            guard let consent = versions.last(where: { $0.recordedAt <= time }) else { continue }
            if let withdrawal = consent.withdrawal, withdrawal.time <= time {
                inactive.append(InactiveConsent(consentID: id, version: consent.version, status: .withdrawn(at: withdrawal.time)))
            } else if time < consent.validFrom {
                inactive.append(InactiveConsent(consentID: id, version: consent.version, status: .notYetValid(from: consent.validFrom)))
            } else if time >= consent.validUntil {
                inactive.append(InactiveConsent(consentID: id, version: consent.version, status: .expired(at: consent.validUntil)))
            } else {
                active.append(consent)
            }
        }
        return (active, inactive)
    }

    // MARK: Request

    private static func validate(_ request: DisclosureRequest) throws(CasebookError) {
        guard !request.records.isEmpty else {
            throw CasebookError(.invalidInput, "a disclosure request needs at least one record")
        }
        for (name, token) in [("organisation", request.recipient.organisation), ("role", request.recipient.role)] {
            if let token, !ConsentProvision.isToken(token) {
                throw CasebookError(.invalidInput, "the recipient's \(name) '\(token.prefix(70))' is not a valid token",
                                    hint: "lower-case letters and digits, words joined by single '-', at most \(ConsentRecipient.maximumTokenLength) characters")
            }
        }
        var ids = Set<String>()
        for record in request.records {
            guard !record.id.isEmpty, ids.insert(record.id).inserted else {
                throw CasebookError(.invalidInput, "record '\(record.id.prefix(40))' is empty or given twice in the request")
            }
            var seen = Set<String>()
            for key in record.sections {
                guard record.kind.field(forKey: key) != nil else {
                    throw CasebookError(.invalidInput, "record \(record.id): '\(key.prefix(70))' is not a section of a \(record.kind.rawValue) record")
                }
                guard seen.insert(key).inserted else {
                    throw CasebookError(.invalidInput, "record \(record.id): section '\(key)' is given twice")
                }
            }
            for label in record.labels {
                do throws(RecordInputError) {
                    try RecordHeader.validateLabel(label)
                } catch {
                    throw CasebookError(.invalidInput, "record \(record.id): \(error.message)", hint: error.hint)
                }
            }
        }
    }

    // MARK: Matching

    private struct Candidate {
        var provision: ConsentProvision
        var reference: ProvisionReference
        var specificity: [Int]
    }

    private enum Verdict {
        case permit(ProvisionReference)
        case withheld(WithholdingReason)
    }

    private static func matches(_ candidate: ConsentRecipient, _ recipient: DisclosureRecipient) -> Bool {
        switch candidate {
        case .contact(_, let fingerprint): recipient.fingerprint == fingerprint
        case .organisation(let token): recipient.organisation == token
        case .role(let token): recipient.role == token
        }
    }

    /// Whether `provision` matches `record` in every dimension but fields.
    private static func matches(
        _ provision: ConsentProvision, record: DisclosureRequest.Record, labels: Set<String>, request: DisclosureRequest
    ) -> Bool {
        guard provision.purposes.contains(request.purpose) else { return false }
        guard provision.recipients.isEmpty || provision.recipients.contains(where: { matches($0, request.recipient) }) else { return false }
        guard provision.actions.isEmpty || provision.actions.contains(request.action) else { return false }
        guard provision.kinds.isEmpty || provision.kinds.contains(record.kind) else { return false }
        guard provision.labels.isEmpty || !provision.labels.isDisjoint(with: labels) else { return false }
        if let from = provision.dataFrom, record.start.date < from { return false }
        if let until = provision.dataUntil, record.start.date >= until { return false }
        return true
    }

    private static func decide(_ record: DisclosureRequest.Record, request: DisclosureRequest, active: [Consent]) -> RecordDecision {
        let labels = Set(RecordHeader.normalizedLabels(record.labels, for: record.kind))
        let special = labels.intersection(RecordHeader.specialCategoryLabels)
        var candidates: [Candidate] = []
        for consent in active {
            for (offset, provision) in consent.provisions.enumerated()
            where matches(provision, record: record, labels: labels, request: request) {
                candidates.append(Candidate(
                    provision: provision,
                    reference: ProvisionReference(consentID: consent.id, version: consent.version,
                                                  provision: offset + 1, effect: provision.effect),
                    specificity: specificity(of: provision, for: request.recipient)))
            }
        }

        func verdict(_ pool: [Candidate]) -> Verdict {
            let eligible = pool.filter { $0.provision.effect == .deny || special.isSubset(of: $0.provision.labels) }
            guard let top = eligible.map(\.specificity).max(by: { $0.lexicographicallyPrecedes($1) }) else {
                let excluded = pool.filter { $0.provision.effect == .permit }
                guard !excluded.isEmpty else { return .withheld(.noProvision) }
                let missing = excluded.reduce(into: Set<String>()) { $0.formUnion(special.subtracting($1.provision.labels)) }
                return .withheld(.specialCategoryNotNamed(labels: missing.sorted(), permits: excluded.map(\.reference).sorted()))
            }
            let winners = eligible.filter { $0.specificity == top }.map(\.reference).sorted()
            if let deny = winners.first(where: { $0.effect == .deny }) { return .withheld(.deniedBy(deny)) }
            return .permit(winners[0])
        }

        let present = record.kind.fields.map(\.key).filter(record.sections.contains)
        switch verdict(candidates.filter { $0.provision.effect == .permit || $0.provision.fields.isEmpty }) {
        case .withheld(let reason):
            var basis: [ProvisionReference] = []
            if case .deniedBy(let reference) = reason { basis = [reference] }
            return RecordDecision(
                recordID: record.id, disclosed: false, allowedFields: [],
                recordWithheld: Withholding(subject: .record(record.kind), reason: reason, purpose: request.purpose),
                withheldFields: present.map { Withholding(subject: .section($0), reason: .recordWithheld, purpose: request.purpose) },
                basis: basis)
        case .permit(let headerBasis):
            var basis: Set<ProvisionReference> = [headerBasis]
            var allowed: [String] = []
            var withheld: [Withholding] = []
            for key in present {
                switch verdict(candidates.filter { $0.provision.fields.isEmpty || $0.provision.fields.contains(key) }) {
                case .permit(let reference):
                    allowed.append(key)
                    basis.insert(reference)
                case .withheld(let reason):
                    if case .deniedBy(let reference) = reason { basis.insert(reference) }
                    withheld.append(Withholding(subject: .section(key), reason: reason, purpose: request.purpose))
                }
            }
            return RecordDecision(recordID: record.id, disclosed: true, allowedFields: allowed, recordWithheld: nil,
                                  withheldFields: withheld, basis: basis.sorted())
        }
    }
}
