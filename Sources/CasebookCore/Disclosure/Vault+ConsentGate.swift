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
    /// Reasons for a deny, when the gate refuses the whole disclosure.
    var denied: [String] = []

    var isPartial: Bool { !excluded.isEmpty || !withheldReasons.isEmpty }
}

extension Vault {
    /// Evaluates the client's recorded consent for each record, for every recipient (a
    /// section leaves only if every recipient may receive it). Default deny. Only the
    /// sections in `wanted` (all when nil) are asked for: what the sender leaves out
    /// themselves is not the consent's to refuse.
    func consentGate(_ revisions: [RecordRevision], wanted: Set<String>?, recipients: [DisclosureRecipient], purpose: ConsentPurpose,
                     action: DisclosureAction) throws -> ConsentGateResult {
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        var result = ConsentGateResult()
        var basis = Set<ConsentReliance>()
        let byClient = Dictionary(grouping: revisions, by: \.content.header.client)
        for (client, group) in byClient.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let consents = try self.consents(client: client)
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
                basis.formUnion(decision.reliedOn)
                if decision.outcome == .deny {
                    result.denied += decision.reasons.map { "\(client) to \(recipient.name ?? recipient.description): \($0)" }
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
        return result
    }
}
