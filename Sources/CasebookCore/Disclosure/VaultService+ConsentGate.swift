import Foundation
import CasebookFormat

/// What the consent gate lets a disclosure carry (docs/consent.md): for every record, the
/// sections every recipient may receive, the records no recipient… may receive at all, and
/// the consents relied on.
struct ConsentGateResult {
    /// Record id → the section keys allowed to every recipient.
    var allowed: [String: Set<String>] = [:]
    /// Record id → why the whole record is withheld.
    var excluded: [String: String] = [:]
    /// Why sections are withheld, for the message and the audit event.
    var withheldReasons: [String] = []
    /// `ID vN sha256:HASH` of every consent relied on, sorted.
    var basis: [String] = []
    /// `ID vN sha256:HASH` of every consent of the clients evaluated (latest versions,
    /// active or not), sorted: the audit event lists them, so a reader of the log can tell
    /// that one was missing from the tables (docs/formats.md §9.2).
    var considered: [String] = []
    /// Reasons for a deny, when the gate refuses the whole disclosure: what was withheld,
    /// and (apart, because they are usually why) the withdrawn or expired consents.
    var denied: [String] = []
    var inactive: [String] = []
    /// Each request evaluated and its decision, for callers that combine it with another
    /// basis (an override, `ConsentEvaluator.combine`).
    var evaluations: [(request: DisclosureRequest, decision: DisclosureDecision)] = []

    var isPartial: Bool { !excluded.isEmpty || !withheldReasons.isEmpty }

    /// Why each withheld record or section was withheld, records first.
    var withheldLines: [String] { excluded.map { "\($0.key): \($0.value)" }.sorted() + withheldReasons }

    /// What stops the disclosure, if anything: a deny (or every record withheld), or a
    /// partial result the sender did not accept. `lines` say why, inactive consents first.
    func refusal(of revisions: [RecordRevision], acceptPartial: Bool) -> (denied: Bool, lines: [String])? {
        let nothingLeft = revisions.allSatisfy { excluded[$0.recordID] != nil }
        let isDenied = !denied.isEmpty || !inactive.isEmpty
        if isDenied || nothingLeft {
            return (true, inactive + denied + (isDenied ? [] : withheldLines))
        }
        return isPartial && !acceptPartial ? (false, withheldLines) : nil
    }

    /// Refuses the disclosure if the gate does not let it through (see `refusal`): first
    /// `audit` records the refused event with its detail (`denied` or `partial, not
    /// accepted`), then the refusal is thrown, worded for `what` ("this export") and whose
    /// consent it is (`consent`: "the client's consent"), with `denyRemedy` for a deny.
    func enforce(on revisions: [RecordRevision], acceptPartial: Bool, what: String, consent: String, denyRemedy: Remedy,
                 audit: (_ detail: String) throws -> Void) throws {
        guard let refusal = refusal(of: revisions, acceptPartial: acceptPartial) else { return }
        try audit(refusal.denied ? "denied" : "partial, not accepted")
        let listed = Self.summary(refusal.lines)
        if !refusal.denied {
            throw CasebookError(.refused, "\(consent) covers \(what) only in part: \(listed)",
                                remedy: .acceptPartialOrGrantConsent)
        }
        throw CasebookError(.refused, "no consent covers \(what): \(listed)", remedy: denyRemedy)
    }

    /// The first three lines, for a one-line error message.
    static func summary(_ lines: [String]) -> String {
        lines.prefix(3).joined(separator: "; ") + (lines.count > 3 ? "; …" : "")
    }
}

/// The gate every disclosing service (handovers, exports) passes its records through.
extension VaultService {
    /// Evaluates the client's recorded consent for each record, for every recipient (a
    /// section leaves only if every recipient may receive it). Default deny. Only the
    /// sections in `wanted` (all when nil) are asked for: what the sender leaves out
    /// themselves is not the consent's to refuse.
    func consentGate(_ revisions: [RecordRevision], wanted: Set<String>?, recipients: [DisclosureRecipient], purpose: ConsentPurpose,
                     action: DisclosureAction) throws -> ConsentGateResult {
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        var result = ConsentGateResult()
        var basis = Set<ConsentReliance>()
        var considered = Set<String>()
        let byClient = Dictionary(grouping: revisions, by: \.content.header.client)
        for (client, group) in byClient.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let consents = try self.consents(client: client)
            considered.formUnion(consents.map { "\($0.id) v\($0.version) sha256:\($0.canonicalHash)" })
            for recipient in recipients {
                let request = DisclosureRequest(
                    client: client,
                    recipient: recipient,
                    purpose: purpose, action: action, time: now,
                    records: group.map { revision in
                        var asked = revision.content
                        if let wanted { asked.sections = asked.sections.filter { wanted.contains($0.key) } }
                        return DisclosureRequest.Record(id: revision.recordID, content: asked)
                    })
                let decision = try ConsentEvaluator.evaluate(request, consents: consents)
                result.evaluations.append((request, decision))
                basis.formUnion(decision.reliedOn)
                if decision.outcome == .deny {
                    let who = "\(client) to \(recipient.name ?? recipient.description)"
                    // `reasons` ends with the inactive consents; they are listed first.
                    result.denied += decision.reasons.dropLast(decision.inactive.count).map { "\(who): \($0)" }
                    result.inactive += decision.inactive.map { "\(who): \($0)" }
                    continue
                }
                for record in decision.records {
                    if !record.disclosed {
                        result.excluded[record.recordID] = record.recordWithheld?.description ?? "not covered by consent"
                        continue
                    }
                    let allowed = Set(record.allowedFields)
                    result.allowed[record.recordID] = result.allowed[record.recordID].map { $0.intersection(allowed) } ?? allowed
                    result.withheldReasons += record.withheldFields.map { "\(record.recordID) to \(recipient.name ?? recipient.description): \($0)" }
                }
            }
        }
        result.basis = basis.sorted().map { "\($0.consentID) v\($0.version) sha256:\($0.hash)" }
        result.considered = considered.sorted()
        return result
    }
}
