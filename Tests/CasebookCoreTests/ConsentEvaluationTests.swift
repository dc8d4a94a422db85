import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

// Deterministic fixtures: fixed instants, fixed fingerprints, no Date().

private func at(_ text: String) -> Date { Timestamp.parse(text)! }
private let client = try! ClientReference("C-0042")
private let fpSupervisor = try! IdentityFingerprint(parsing: "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
private let fpOther = try! IdentityFingerprint(parsing: "1111-2222-3333-4444-5555-6666-7777-8888")
private let supervisor = ConsentRecipient.contact(name: "Dr Supervisor", fingerprint: fpSupervisor)
private let probation = ConsentRecipient.organisation("probation-london")
private let offenderManager = ConsentRecipient.role("offender-manager")

/// The recipient of most requests: a contact who works for probation as an offender manager.
private let recipient = DisclosureRecipient(
    name: "Dr Supervisor", fingerprint: fpSupervisor, organisation: "probation-london", role: "offender-manager")

private func start(_ text: String) -> SessionStart { try! SessionStart(canonical: text) }

/// An HII note from November 2026 with four sections (in field order: session-number, focus,
/// risk-immediate-concern, plan).
private let hii = DisclosureRequest.Record(
    id: "R1", kind: .hiiSession, labels: [], start: start("2026-11-03T10:00:00Z"),
    sections: ["plan", "focus", "session-number", "risk-immediate-concern"])
private let hiiFamily = DisclosureRequest.Record(
    id: "R2", kind: .hiiSession, labels: ["family"], start: start("2026-11-10T10:00:00Z"), sections: ["session-number", "focus"])
private let hiiHealth = DisclosureRequest.Record(
    id: "R3", kind: .hiiSession, labels: ["health"], start: start("2026-11-10T10:00:00Z"), sections: ["focus"])
/// Theological advice: labelled religious-belief by its kind, although the request does not say so.
private let theology = DisclosureRequest.Record(
    id: "R4", kind: .theologicalAdvice, labels: [], start: start("2026-11-12T10:00:00Z"), sections: ["tradition", "theme"])
private let theologyHealth = DisclosureRequest.Record(
    id: "R5", kind: .theologicalAdvice, labels: ["health", "religious-belief"], start: start("2026-11-12T10:00:00Z"), sections: ["tradition"])
private let mentor = DisclosureRequest.Record(
    id: "R6", kind: .mentorLog, labels: [], start: start("2026-02-01T10:00:00Z"), sections: ["contact-type", "topics"])

private let requestTime = at("2026-12-01T12:00:00Z")

private func request(
    _ records: [DisclosureRequest.Record] = [hii], purpose: ConsentPurpose = .supervision,
    action: DisclosureAction = .handover, to: DisclosureRecipient = recipient, time: Date = requestTime
) -> DisclosureRequest {
    DisclosureRequest(client: client, recipient: to, purpose: purpose, action: action, time: time, records: records)
}

private func permit(
    _ purposes: Set<ConsentPurpose> = [.supervision], to recipients: Set<ConsentRecipient> = [supervisor],
    kinds: Set<RecordKind> = [], fields: Set<String> = [], labels: Set<String> = [], actions: Set<DisclosureAction> = [],
    from: Date? = nil, until: Date? = nil
) -> ConsentProvision {
    ConsentProvision(effect: .permit, purposes: purposes, recipients: recipients, kinds: kinds, fields: fields,
                     labels: labels, actions: actions, dataFrom: from, dataUntil: until)
}

private func deny(
    _ purposes: Set<ConsentPurpose> = [.supervision], to recipients: Set<ConsentRecipient> = [],
    kinds: Set<RecordKind> = [], fields: Set<String> = [], labels: Set<String> = [], actions: Set<DisclosureAction> = [],
    from: Date? = nil, until: Date? = nil
) -> ConsentProvision {
    ConsentProvision(effect: .deny, purposes: purposes, recipients: recipients, kinds: kinds, fields: fields,
                     labels: labels, actions: actions, dataFrom: from, dataUntil: until)
}

private func consent(
    _ provisions: [ConsentProvision], id: String = "C0NSENT001", version: Int = 1,
    recordedAt: Date = at("2026-01-01T09:00:00Z"), from: Date = at("2026-01-01T00:00:00Z"),
    until: Date = at("2027-01-01T00:00:00Z"), withdrawal: ConsentWithdrawal? = nil
) -> Consent {
    Consent(id: id, version: version, client: client, recordedBy: "Dr Psychologist", recordedAt: recordedAt,
            method: .written, evidenceSHA256: String(repeating: "ab", count: 32), validFrom: from, validUntil: until,
            withdrawal: withdrawal, provisions: provisions)
}

/// A decision as lines: `outcome`, then per record `R1 sent: a,b` and `R1 withheld: reason`,
/// then the inactive consents.
private func render(_ decision: DisclosureDecision) -> [String] {
    var lines = [decision.outcome.rawValue]
    for record in decision.records {
        if record.disclosed {
            lines.append("\(record.recordID) sent: " + record.allowedFields.joined(separator: ","))
            lines += record.withheldFields.map { "\(record.recordID) withheld: \($0)" }
        } else {
            lines.append("\(record.recordID) withheld: \(record.recordWithheld!)")
        }
    }
    lines += decision.inactive.map(\.description)
    return lines
}

struct EvaluationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var consents: [Consent]
    var request: DisclosureRequest
    var expected: [String]
    var testDescription: String { name }
}

private let allHII = "R1 sent: session-number,focus,risk-immediate-concern,plan"
private let v1p1 = "consent C0NSENT001 v1 provision 1"
private let v1p2 = "consent C0NSENT001 v1 provision 2"

private let cases: [EvaluationCase] = [
    // Default deny.
    .init(name: "default deny: no consent", consents: [], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "default deny: a matching permit", consents: [consent([permit()])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "default deny: a consent of another client does not count",
          consents: [Consent(id: "C0NSENT009", version: 1, client: try! ClientReference("C-0043"), recordedBy: "X",
                             recordedAt: at("2026-01-01T09:00:00Z"), method: .verbal, validFrom: at("2026-01-01T00:00:00Z"),
                             validUntil: at("2027-01-01T00:00:00Z"), provisions: [permit()])],
          request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),

    // Validity window.
    .init(name: "window: not yet valid", consents: [consent([permit()], from: at("2026-12-01T12:00:01Z"))], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision",
                     "consent C0NSENT001 v1 is not valid yet (valid from 2026-12-01T12:00:01Z)"]),
    .init(name: "window: valid from the request instant", consents: [consent([permit()], from: requestTime)], request: request(),
          expected: ["permit", allHII]),
    .init(name: "window: expired at the request instant", consents: [consent([permit()], until: requestTime)], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision",
                     "consent C0NSENT001 v1 expired at 2026-12-01T12:00:00Z"]),
    .init(name: "window: one second before expiry",
          consents: [consent([permit()], until: at("2026-12-01T12:00:01Z"))], request: request(),
          expected: ["permit", allHII]),
    .init(name: "window: recorded after the request does not count",
          consents: [consent([permit()], recordedAt: at("2026-12-01T12:00:01Z"))], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),

    // Withdrawal: not retroactive.
    .init(name: "withdrawal: request before the withdrawal",
          consents: [consent([permit()], withdrawal: .init(time: at("2026-12-01T12:00:01Z"), reason: "client asked"))],
          request: request(), expected: ["permit", allHII]),
    .init(name: "withdrawal: request at the withdrawal",
          consents: [consent([permit()], withdrawal: .init(time: requestTime, reason: "client asked"))],
          request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision",
                     "consent C0NSENT001 v1 was withdrawn at 2026-12-01T12:00:00Z"]),
    .init(name: "withdrawal: as a new version, request before it uses v1",
          consents: [consent([permit()]),
                     consent([permit()], version: 2, recordedAt: at("2026-12-02T00:00:00Z"),
                             withdrawal: .init(time: at("2026-12-02T00:00:00Z"), reason: "client asked"))],
          request: request(), expected: ["permit", allHII]),
    .init(name: "withdrawal: as a new version, request after it",
          consents: [consent([permit()]),
                     consent([permit()], version: 2, recordedAt: at("2026-11-30T00:00:00Z"),
                             withdrawal: .init(time: at("2026-11-30T00:00:00Z"), reason: "client asked"))],
          request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision",
                     "consent C0NSENT001 v2 was withdrawn at 2026-11-30T00:00:00Z"]),
    .init(name: "versions: a later version recorded before the request replaces the earlier",
          consents: [consent([permit()]),
                     consent([permit(fields: ["focus"])], version: 2, recordedAt: at("2026-06-01T00:00:00Z"))],
          request: request(),
          expected: ["partial", "R1 sent: focus",
                     "R1 withheld: no provision permits section 'session-number' for supervision",
                     "R1 withheld: no provision permits section 'risk-immediate-concern' for supervision",
                     "R1 withheld: no provision permits section 'plan' for supervision"]),

    // Purpose.
    .init(name: "purpose: not named", consents: [consent([permit([.supervision])])], request: request(purpose: .riskManagement),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for risk-management"]),
    .init(name: "purpose: one of several", consents: [consent([permit([.court, .riskManagement])])],
          request: request(purpose: .riskManagement), expected: ["permit", allHII]),

    // Recipients.
    .init(name: "recipient: contact by fingerprint",
          consents: [consent([permit(to: [.contact(name: "Someone else's name", fingerprint: fpSupervisor)])])],
          request: request(to: DisclosureRecipient(fingerprint: fpSupervisor)), expected: ["permit", allHII]),
    .init(name: "recipient: same name, other fingerprint",
          consents: [consent([permit()])],
          request: request(to: DisclosureRecipient(name: "Dr Supervisor", fingerprint: fpOther)),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "recipient: org matches", consents: [consent([permit(to: [probation])])],
          request: request(to: DisclosureRecipient(organisation: "probation-london")), expected: ["permit", allHII]),
    .init(name: "recipient: other org", consents: [consent([permit(to: [probation])])],
          request: request(to: DisclosureRecipient(organisation: "police-met")),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "recipient: role matches", consents: [consent([permit(to: [offenderManager])])],
          request: request(to: DisclosureRecipient(role: "offender-manager")), expected: ["permit", allHII]),
    .init(name: "recipient: role is not an org", consents: [consent([permit(to: [.role("probation-london")])])],
          request: request(to: DisclosureRecipient(organisation: "probation-london")),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "recipient: a deny without recipients covers everyone",
          consents: [consent([permit(to: [probation]), deny(to: [], fields: [], labels: [])])],
          request: request(to: DisclosureRecipient(organisation: "probation-london")),
          expected: ["permit", allHII]),

    // Actions.
    .init(name: "action: handover only, export asked", consents: [consent([permit(actions: [.handover])])],
          request: request(action: .export),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "action: handover only, handover asked", consents: [consent([permit(actions: [.handover])])],
          request: request(action: .handover), expected: ["permit", allHII]),
    .init(name: "action: none named covers export", consents: [consent([permit()])],
          request: request(action: .export), expected: ["permit", allHII]),

    // Data period (on the session start; from inclusive, until exclusive).
    .init(name: "data period: session before data-from",
          consents: [consent([permit(from: at("2026-11-03T10:00:01Z"))])], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "data period: session at data-from",
          consents: [consent([permit(from: at("2026-11-03T10:00:00Z"))])], request: request(), expected: ["permit", allHII]),
    .init(name: "data period: session at data-until",
          consents: [consent([permit(until: at("2026-11-03T10:00:00Z"))])], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "data period: session before data-until",
          consents: [consent([permit(until: at("2026-11-03T10:00:01Z"))])], request: request(), expected: ["permit", allHII]),

    // Kinds and labels as plain matching.
    .init(name: "kinds: other kind", consents: [consent([permit(kinds: [.mentorLog])])], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "kinds: named kind", consents: [consent([permit(kinds: [.hiiSession, .mentorLog])])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "labels: record without the label", consents: [consent([permit(labels: ["family"])])], request: request(),
          expected: ["deny", "R1 withheld: no provision permits the hii-session record for supervision"]),
    .init(name: "labels: record with one of the labels",
          consents: [consent([permit(labels: ["employment", "family"])])], request: request([hiiFamily]),
          expected: ["permit", "R2 sent: session-number,focus"]),

    // Most specific wins, in each dimension, both ways.
    .init(name: "specific: contact permit beats org deny",
          consents: [consent([deny(to: [probation]), permit(to: [supervisor])])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "specific: contact deny beats org permit",
          consents: [consent([permit(to: [probation]), deny(to: [supervisor])])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "specific: org permit beats a deny to everyone",
          consents: [consent([deny(), permit(to: [probation])])], request: request(), expected: ["permit", allHII]),
    .init(name: "specific: a deny naming a field withholds only that field",
          consents: [consent([permit(), deny(to: [supervisor], fields: ["plan"])])], request: request(),
          expected: ["partial", "R1 sent: session-number,focus,risk-immediate-concern",
                     "R1 withheld: section 'plan' denied by \(v1p2)"]),
    .init(name: "specific: a permit naming a field beats a whole-record deny",
          consents: [consent([deny(to: [supervisor]), permit(fields: ["focus"])])], request: request(),
          expected: ["partial", "R1 sent: focus",
                     "R1 withheld: section 'session-number' denied by \(v1p1)",
                     "R1 withheld: section 'risk-immediate-concern' denied by \(v1p1)",
                     "R1 withheld: section 'plan' denied by \(v1p1)"]),
    .init(name: "specific: fewer fields are more specific (permit)",
          consents: [consent([deny(to: [supervisor], fields: ["focus", "plan"]), permit(fields: ["focus"])])],
          request: request([DisclosureRequest.Record(id: "R1", kind: .hiiSession, labels: [],
                                                     start: start("2026-11-03T10:00:00Z"), sections: ["focus", "plan"])]),
          expected: ["partial", "R1 sent: focus", "R1 withheld: section 'plan' denied by \(v1p1)"]),
    .init(name: "specific: fewer fields are more specific (deny)",
          consents: [consent([permit(fields: ["focus", "plan"]), deny(to: [supervisor], fields: ["plan"])])],
          request: request([DisclosureRequest.Record(id: "R1", kind: .hiiSession, labels: [],
                                                     start: start("2026-11-03T10:00:00Z"), sections: ["focus", "plan"])]),
          expected: ["partial", "R1 sent: focus", "R1 withheld: section 'plan' denied by \(v1p2)"]),
    .init(name: "specific: kind permit beats kindless deny",
          consents: [consent([deny(to: [supervisor]), permit(kinds: [.hiiSession])])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "specific: kind deny beats kindless permit",
          consents: [consent([permit(), deny(to: [supervisor], kinds: [.hiiSession])])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "specific: label permit beats labelless deny",
          consents: [consent([deny(to: [supervisor]), permit(labels: ["family"])])], request: request([hiiFamily]),
          expected: ["permit", "R2 sent: session-number,focus"]),
    .init(name: "specific: label deny beats labelless permit",
          consents: [consent([permit(), deny(to: [supervisor], labels: ["family"])])], request: request([hii, hiiFamily]),
          expected: ["partial", allHII, "R2 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "specific: single-purpose permit beats two-purpose deny",
          consents: [consent([deny([.supervision, .research], to: [supervisor]), permit([.supervision])])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "specific: single-purpose deny beats two-purpose permit",
          consents: [consent([permit([.supervision, .research]), deny([.supervision], to: [supervisor])])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "specific: dated permit beats undated deny",
          consents: [consent([deny(to: [supervisor]), permit(from: at("2026-11-01T00:00:00Z"))])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "specific: dated deny beats undated permit",
          consents: [consent([permit(), deny(to: [supervisor], until: at("2026-12-01T00:00:00Z"))])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "specific: action permit beats actionless deny",
          consents: [consent([deny(to: [supervisor]), permit(actions: [.handover])])], request: request(),
          expected: ["permit", allHII]),
    .init(name: "specific: action deny beats actionless permit",
          consents: [consent([permit(), deny(to: [supervisor], actions: [.handover])])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "specific: recipient outranks fields",
          consents: [consent([permit(to: [probation], fields: ["focus"]), deny(to: [supervisor])])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),

    // Ties: deny beats permit; permits together permit.
    .init(name: "tie: equal permit and deny in one consent",
          consents: [consent([permit(), deny(to: [supervisor])])], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by \(v1p2)"]),
    .init(name: "tie: equal permit and deny in two consents",
          consents: [consent([permit()]), consent([deny(to: [supervisor])], id: "C0NSENT002")], request: request(),
          expected: ["deny", "R1 withheld: the hii-session record denied by consent C0NSENT002 v1 provision 1"]),
    .init(name: "tie: two equal permits",
          consents: [consent([permit()]), consent([permit()], id: "C0NSENT002")], request: request(),
          expected: ["permit", allHII]),

    // Special categories.
    .init(name: "special: religious-belief (by kind) not named",
          consents: [consent([permit()])], request: request([theology]),
          expected: ["deny", "R4 withheld: the theological-advice record: special category religious-belief not named by \(v1p1)"]),
    .init(name: "special: religious-belief named",
          consents: [consent([permit(labels: ["religious-belief"])])], request: request([theology]),
          expected: ["permit", "R4 sent: tradition,theme"]),
    .init(name: "special: health not named (another label is)",
          consents: [consent([permit(labels: ["family", "employment"]), permit(kinds: [.hiiSession])])],
          request: request([hiiHealth]),
          expected: ["deny", "R3 withheld: the hii-session record: special category health not named by \(v1p2)"]),
    .init(name: "special: health named",
          consents: [consent([permit(labels: ["health"])])], request: request([hiiHealth]),
          expected: ["permit", "R3 sent: focus"]),
    .init(name: "special: both labels, only one named",
          consents: [consent([permit(labels: ["religious-belief"])])], request: request([theologyHealth]),
          expected: ["deny", "R5 withheld: the theological-advice record: special category health not named by \(v1p1)"]),
    .init(name: "special: both labels named",
          consents: [consent([permit(labels: ["health", "religious-belief"])])], request: request([theologyHealth]),
          expected: ["permit", "R5 sent: tradition"]),
    .init(name: "special: a more specific permit not naming it is passed over",
          consents: [consent([permit(fields: ["theme"]), permit(labels: ["religious-belief"])])],
          request: request([theology]),
          expected: ["permit", "R4 sent: tradition,theme"]),
    .init(name: "special: a permit not naming it does not shield from a deny",
          consents: [consent([permit(fields: ["theme"]), permit(labels: ["religious-belief"]), deny(to: [supervisor], fields: ["theme"])])],
          request: request([theology]),
          expected: ["partial", "R4 sent: tradition", "R4 withheld: section 'theme' denied by consent C0NSENT001 v1 provision 3"]),

    // Partial: exact withheld lists and reasons, several records.
    .init(name: "partial: fields and records",
          consents: [consent([permit(fields: ["focus", "plan", "contact-type"]), deny(to: [supervisor], kinds: [.mentorLog])])],
          request: request([hii, theology, mentor]),
          expected: ["partial", "R1 sent: focus,plan",
                     "R1 withheld: no provision permits section 'session-number' for supervision",
                     "R1 withheld: no provision permits section 'risk-immediate-concern' for supervision",
                     "R4 withheld: the theological-advice record: special category religious-belief not named by \(v1p1)",
                     // Fields rank before kinds: the permit naming fields is more specific
                     // than the deny naming the kind, for the header and for contact-type.
                     "R6 sent: contact-type",
                     "R6 withheld: section 'topics' denied by \(v1p2)"]),
    .init(name: "partial: a record permitted with no section",
          consents: [consent([permit(fields: ["next-session"])])], request: request(),
          expected: ["partial", "R1 sent: ",
                     "R1 withheld: no provision permits section 'session-number' for supervision",
                     "R1 withheld: no provision permits section 'focus' for supervision",
                     "R1 withheld: no provision permits section 'risk-immediate-concern' for supervision",
                     "R1 withheld: no provision permits section 'plan' for supervision"]),
]

@Suite("Consent evaluation")
struct ConsentEvaluationTests {
    @Test(arguments: cases)
    func rule(_ testCase: EvaluationCase) throws {
        let decision = try ConsentEvaluator.evaluate(testCase.request, consents: testCase.consents)
        #expect(render(decision) == testCase.expected)
        // The outcome and the reasons agree with the records.
        #expect(decision.reasons.isEmpty == (decision.outcome == .permit))
    }

    @Test func reliesOnTheDecidingConsentsWithTheirHashes() throws {
        let first = consent([permit(fields: ["focus"])])
        let second = consent([deny(to: [supervisor], fields: ["plan"])], id: "C0NSENT002")
        let unused = consent([permit([.court])], id: "C0NSENT003")
        let decision = try ConsentEvaluator.evaluate(request(), consents: [unused, second, first])
        #expect(decision.reliedOn == [
            ConsentReliance(consentID: "C0NSENT001", version: 1, hash: first.canonicalHash),
            ConsentReliance(consentID: "C0NSENT002", version: 1, hash: second.canonicalHash),
        ])
        #expect(first.canonicalHash == Hex.encode(SHA256.hash(first.canonicalBytes())))
        #expect(decision.records[0].basis.map(\.description) == [
            "consent C0NSENT001 v1 provision 1", "consent C0NSENT002 v1 provision 1"])
        #expect(decision.reasons == [
            "record R1: no provision permits section 'session-number' for supervision",
            "record R1: no provision permits section 'risk-immediate-concern' for supervision",
            "record R1: section 'plan' denied by consent C0NSENT002 v1 provision 1",
        ])
    }

    @Test func defaultDenyReliesOnNothing() throws {
        let decision = try ConsentEvaluator.evaluate(request(), consents: [consent([permit()], until: requestTime)])
        #expect(decision.outcome == .deny)
        #expect(decision.reliedOn.isEmpty)
        #expect(decision.reasons == [
            "record R1: no provision permits the hii-session record for supervision",
            "consent C0NSENT001 v1 expired at 2026-12-01T12:00:00Z",
        ])
    }

    @Test func withdrawnVersionIsReliedOnBeforeItsWithdrawal() throws {
        let withdrawn = consent([permit()], withdrawal: .init(time: at("2026-12-05T00:00:00Z"), reason: "client asked"))
        let before = try ConsentEvaluator.evaluate(request(), consents: [withdrawn])
        #expect(before.reliedOn == [ConsentReliance(consentID: "C0NSENT001", version: 1, hash: withdrawn.canonicalHash)])
        let after = try ConsentEvaluator.evaluate(request(time: at("2026-12-05T00:00:00Z")), consents: [withdrawn])
        #expect(after.outcome == .deny)
    }

    @Test func withheldSectionsOfAWithheldRecordAreListed() throws {
        let decision = try ConsentEvaluator.evaluate(request(), consents: [])
        let record = decision.records[0]
        #expect(record.withheldKeys == ["session-number", "focus", "risk-immediate-concern", "plan"])
        #expect(record.withheldFields.allSatisfy { $0.reason == .recordWithheld })
        #expect(record.allowedFields.isEmpty)
    }

    @Test func badRequestsAndContradictoryVersionsAreErrors() {
        func message(_ request: DisclosureRequest, _ consents: [Consent] = []) -> String? {
            do {
                _ = try ConsentEvaluator.evaluate(request, consents: consents)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(request([])) == "a disclosure request needs at least one record")
        #expect(message(request([hii, hii])) == "record 'R1' is empty or given twice in the request")
        var wrong = hii
        wrong.sections = ["tradition"]
        #expect(message(request([wrong])) == "record R1: 'tradition' is not a section of a hii-session record")
        #expect(message(request(to: DisclosureRecipient(organisation: "Probation London")))
                == "the recipient's organisation 'Probation London' is not a valid token")
        #expect(message(request(), [consent([permit()]), consent([deny()])]) == "consent C0NSENT001 v1 is given twice")
        #expect(message(request(), [consent([permit()]), consent([permit()], version: 2, recordedAt: at("2025-12-01T00:00:00Z"))])
                == "consent C0NSENT001 v2 was recorded before consent C0NSENT001 v1")
        let withdrawal = ConsentWithdrawal(time: at("2026-02-01T00:00:00Z"), reason: "client asked")
        #expect(message(request(), [consent([permit()], withdrawal: withdrawal),
                                    consent([permit()], version: 2, recordedAt: at("2026-03-01T00:00:00Z"))])
                == "consent C0NSENT001 v2 does not keep the withdrawal of consent C0NSENT001 v1")
        var invalid = consent([permit()])
        invalid.provisions = []
        #expect(message(request(), [invalid]) == "consent C0NSENT001 v1: a consent needs at least one provision")
    }
}

@Suite("Consent validation and canonical form")
struct ConsentValidationTests {
    static let invalid: [(String, @Sendable (inout Consent) -> Void, String)] = [
        ("id", { $0.id = "c0nsent001" }, "consent id 'c0nsent001' is not valid"),
        ("id letters", { $0.id = "CONSENT001" }, "consent id 'CONSENT001' is not valid"),
        ("version", { $0.version = 0 }, "consent C0NSENT001 v0: the version must be 1 or more, not 0"),
        ("recorded-by", { $0.recordedBy = " Dr X" },
         "consent C0NSENT001 v1: recorded-by must be a name of 1 to 100 characters, without surrounding spaces or control characters"),
        ("whole second", { $0.recordedAt = Date(timeIntervalSince1970: 1.5) }, "consent C0NSENT001 v1: recorded-at must be a whole second"),
        ("window", { $0.validUntil = $0.validFrom },
         "consent C0NSENT001 v1: the validity window is empty: valid-from 2026-01-01T00:00:00Z is not before valid-until 2026-01-01T00:00:00Z"),
        ("evidence", { $0.evidenceSHA256 = String(repeating: "AB", count: 32) },
         "consent C0NSENT001 v1: the evidence hash must be a SHA-256 digest: 64 lower-case hex digits"),
        ("withdrawal before recording", { $0.withdrawal = .init(time: at("2026-01-01T08:59:59Z"), reason: "x") },
         "consent C0NSENT001 v1: withdrawn at 2026-01-01T08:59:59Z, before this version was recorded (2026-01-01T09:00:00Z)"),
        ("withdrawal reason", { $0.withdrawal = .init(time: at("2026-02-01T00:00:00Z"), reason: "") },
         "consent C0NSENT001 v1: the withdrawal reason must be one line of 1 to 500 characters, without surrounding spaces or control characters"),
        ("no provision", { $0.provisions = [] }, "consent C0NSENT001 v1: a consent needs at least one provision"),
        ("no purpose", { $0.provisions = [permit([])] },
         "consent C0NSENT001 v1 provision 1: a provision must name at least one purpose"),
        ("permit without recipient", { $0.provisions = [deny(), permit(to: [])] },
         "consent C0NSENT001 v1 provision 2: a permit must name at least one recipient"),
        ("fingerprint twice", { $0.provisions = [permit(to: [supervisor, .contact(name: "Other", fingerprint: fpSupervisor)])] },
         "consent C0NSENT001 v1 provision 1: the contact with fingerprint AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH is named twice"),
        ("org token", { $0.provisions = [permit(to: [.organisation("Probation")])] },
         "consent C0NSENT001 v1 provision 1: 'org:Probation' is not a valid organisation"),
        ("role token", { $0.provisions = [permit(to: [.role("offender--manager")])] },
         "consent C0NSENT001 v1 provision 1: 'role:offender--manager' is not a valid role"),
        ("unknown field", { $0.provisions = [permit(fields: ["notes"])] },
         "consent C0NSENT001 v1 provision 1: 'notes' is not a section of any record kind"),
        ("field of another kind", { $0.provisions = [permit(kinds: [.mentorLog, .ddpSession], fields: ["focus"])] },
         "consent C0NSENT001 v1 provision 1: 'focus' is not a section of ddp-session or mentor-log"),
        ("label", { $0.provisions = [permit(labels: ["Health"])] },
         "consent C0NSENT001 v1 provision 1: invalid label 'Health'"),
        ("data period", { $0.provisions = [permit(from: at("2026-02-01T00:00:00Z"), until: at("2026-01-01T00:00:00Z"))] },
         "consent C0NSENT001 v1 provision 1: the data period is empty: data-from 2026-02-01T00:00:00Z is not before data-until 2026-01-01T00:00:00Z"),
    ]

    @Test(arguments: invalid.indices)
    func rejects(_ index: Int) {
        let (_, change, expected) = Self.invalid[index]
        var candidate = consent([permit(), deny(fields: ["plan"])])
        change(&candidate)
        do {
            try candidate.validated()
            Issue.record("accepted: \(Self.invalid[index].0)")
        } catch {
            #expect(error.code == .invalidInput)
            #expect(error.message == expected)
        }
    }

    @Test func acceptsTheFixtures() throws {
        try consent([permit(), deny(fields: ["plan"])]).validated()
        try consent([permit(kinds: [.theologicalAdvice], fields: ["theme"], labels: ["religious-belief"],
                            actions: [.export], from: at("2026-01-01T00:00:00Z"), until: at("2026-06-01T00:00:00Z"))]).validated()
    }

    @Test func canonicalBytesAreExact() {
        let example = Consent(
            id: "C0NSENT001", version: 2, client: client, recordedBy: "Dr Psychologist", recordedAt: at("2026-01-01T09:00:00Z"),
            method: .verbal, validFrom: at("2026-01-01T00:00:00Z"), validUntil: at("2027-01-01T00:00:00Z"),
            provisions: [permit([.supervision, .court], to: [probation, supervisor], fields: ["plan", "focus"]), deny(labels: ["health"])])
        let expected = #"{"client":"C-0042","format":"casebook-consent\/v1","id":"C0NSENT001","method":"verbal","provisions":["#
            .replacingOccurrences(of: "\\/", with: "/")
            + #"{"actions":[],"effect":"permit","fields":["focus","plan"],"kinds":[],"labels":[],"purposes":["court","supervision"],"#
            + #""recipients":[{"name":"Dr Supervisor","type":"contact","value":"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"},{"type":"org","value":"probation-london"}]},"#
            + #"{"actions":[],"effect":"deny","fields":[],"kinds":[],"labels":["health"],"purposes":["supervision"],"recipients":[]}],"#
            + #""recorded-at":"2026-01-01T09:00:00Z","recorded-by":"Dr Psychologist","valid-from":"2026-01-01T00:00:00Z","#
            + #""valid-until":"2027-01-01T00:00:00Z","version":2}"#
        #expect(String(decoding: example.canonicalBytes(), as: UTF8.self) == expected)
        #expect(example.canonicalHash == Hex.encode(SHA256.hash(Array(expected.utf8))))
    }

    @Test func canonicalRoundTripAndStrictness() throws {
        let withdrawn = try consent([permit(labels: ["religious-belief"], from: at("2026-01-01T00:00:00Z")), deny(fields: ["plan"])])
            .withdrawn(at: at("2026-03-01T10:00:00Z"), reason: "client withdrew at the session", recordedBy: "Dr Psychologist")
        let bytes = withdrawn.canonicalBytes()
        #expect(try Consent.decodeCanonical(bytes) == withdrawn)
        // Any change in a provision changes the hash.
        var narrower = withdrawn
        narrower.provisions[1].fields = ["focus"]
        #expect(narrower.canonicalHash != withdrawn.canonicalHash)

        let text = String(decoding: bytes, as: UTF8.self)
        func message(_ text: String) -> String? {
            do {
                _ = try Consent.decodeCanonical(Array(text.utf8))
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(text.replacingOccurrences(of: "\"version\":2", with: "\"version\": 2"))
                == "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
        #expect(message(text.replacingOccurrences(of: "\"fields\":[\"plan\"]", with: "\"fields\":[\"plan\",\"plan\"]"))
                == "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
        #expect(message(text.replacingOccurrences(of: "\"id\":", with: "\"extra\":1,\"id\":"))
                == "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
        #expect(message(text.replacingOccurrences(of: "casebook-consent/v1", with: "casebook-consent/v2"))
                == "the consent record has format 'casebook-consent/v2', not casebook-consent/v1")
        #expect(message(text.replacingOccurrences(of: "\"verbal\"", with: "\"telepathic\"").replacingOccurrences(of: "\"written\"", with: "\"telepathic\""))
                == "the consent record has an invalid method")
        #expect(message(text.replacingOccurrences(of: "\"fields\":[\"plan\"]", with: "\"fields\":[\"notes\"]"))
                == "consent C0NSENT001 v2 provision 2: 'notes' is not a section of any record kind")
        #expect(message("[]") == "not a Casebook consent record (the JSON does not have the consent fields)")
    }

    @Test func withdrawingTwiceIsRefused() throws {
        let withdrawn = try consent([permit()]).withdrawn(at: at("2026-03-01T10:00:00Z"), reason: "client asked", recordedBy: "Dr P")
        #expect(withdrawn.version == 2)
        #expect(withdrawn.withdrawal == ConsentWithdrawal(time: at("2026-03-01T10:00:00Z"), reason: "client asked"))
        #expect(throws: CasebookError(.refused, "consent C0NSENT001 v2 is already withdrawn (since 2026-03-01T10:00:00Z)",
                                      hint: "a withdrawal is final; record a new consent if the client agrees again")) {
            _ = try withdrawn.withdrawn(at: at("2026-03-02T10:00:00Z"), reason: "again", recordedBy: "Dr P")
        }
        #expect(throws: CasebookError(.invalidInput, "consent C0NSENT001 v1 cannot be withdrawn at 2025-03-02T10:00:00Z, before it was recorded (2026-01-01T09:00:00Z)")) {
            _ = try consent([permit()]).withdrawn(at: at("2025-03-02T10:00:00Z"), reason: "too early", recordedBy: "Dr P")
        }
        #expect(throws: CasebookError(.invalidInput, "consent C0NSENT001 v2: the withdrawal reason must be one line of 1 to 500 characters, without surrounding spaces or control characters")) {
            _ = try consent([permit()]).withdrawn(at: at("2026-03-02T10:00:00Z"), reason: "two\nlines", recordedBy: "Dr P")
        }
    }
}
