import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

/// The consent-evaluation tests' fixtures, in one namespace so their short names
/// (`client`, `consent`, `start`, …) do not clash with other test files'.
enum ConsentFixtures {
    // Deterministic fixtures: fixed instants, fixed fingerprints, no Date().

    static func at(_ text: String) -> Date { Timestamp.parse(text)! }
    static let client = try! ClientReference("C-0042")
    static let fpSupervisor = try! IdentityFingerprint(parsing: "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    static let fpOther = try! IdentityFingerprint(parsing: "1111-2222-3333-4444-5555-6666-7777-8888")
    static let supervisor = ConsentRecipient.contact(name: "Dr Supervisor", fingerprint: fpSupervisor)
    static let probation = ConsentRecipient.organisation("probation-london")
    static let offenderManager = ConsentRecipient.role("offender-manager")

    /// The recipient of most requests: a contact who works for probation as an offender manager.
    static let recipient = DisclosureRecipient(
        name: "Dr Supervisor", fingerprint: fpSupervisor, organisation: "probation-london", role: "offender-manager")

    static func start(_ text: String) -> SessionStart { try! SessionStart(canonical: text) }

    /// An HII note from November 2026 with four sections (in field order: session-number, focus,
    /// risk-immediate-concern, plan).
    static let hii = DisclosureRequest.Record(
        id: "R1", kind: .hiiSession, labels: [], start: start("2026-11-03T10:00:00Z"),
        sections: ["plan", "focus", "session-number", "risk-immediate-concern"])
    static let hiiFamily = DisclosureRequest.Record(
        id: "R2", kind: .hiiSession, labels: ["family"], start: start("2026-11-10T10:00:00Z"), sections: ["session-number", "focus"])
    static let hiiHealth = DisclosureRequest.Record(
        id: "R3", kind: .hiiSession, labels: ["health"], start: start("2026-11-10T10:00:00Z"), sections: ["focus"])
    /// Theological advice: labelled religious-belief by its kind, although the request does not say so.
    static let theology = DisclosureRequest.Record(
        id: "R4", kind: .theologicalAdvice, labels: [], start: start("2026-11-12T10:00:00Z"), sections: ["tradition", "theme"])
    static let theologyHealth = DisclosureRequest.Record(
        id: "R5", kind: .theologicalAdvice, labels: ["health", "religious-belief"], start: start("2026-11-12T10:00:00Z"), sections: ["tradition"])
    static let mentor = DisclosureRequest.Record(
        id: "R6", kind: .mentorLog, labels: [], start: start("2026-02-01T10:00:00Z"), sections: ["contact-type", "topics"])

    static let requestTime = at("2026-12-01T12:00:00Z")

    static func request(
        _ records: [DisclosureRequest.Record] = [hii], purpose: ConsentPurpose = .supervision,
        action: DisclosureAction = .handover, to: DisclosureRecipient = recipient, time: Date = requestTime
    ) -> DisclosureRequest {
        DisclosureRequest(client: client, recipient: to, purpose: purpose, action: action, time: time, records: records)
    }

    static func permit(
        _ purposes: Set<ConsentPurpose> = [.supervision], to recipients: Set<ConsentRecipient> = [supervisor],
        kinds: Set<RecordKind> = [], fields: Set<String> = [], labels: Set<String> = [], actions: Set<DisclosureAction> = [],
        from: Date? = nil, until: Date? = nil
    ) -> ConsentProvision {
        ConsentProvision(effect: .permit, purposes: purposes, recipients: recipients, kinds: kinds, fields: fields,
                         labels: labels, actions: actions, dataFrom: from, dataUntil: until)
    }

    static func deny(
        _ purposes: Set<ConsentPurpose> = [.supervision], to recipients: Set<ConsentRecipient> = [],
        kinds: Set<RecordKind> = [], fields: Set<String> = [], labels: Set<String> = [], actions: Set<DisclosureAction> = [],
        from: Date? = nil, until: Date? = nil
    ) -> ConsentProvision {
        ConsentProvision(effect: .deny, purposes: purposes, recipients: recipients, kinds: kinds, fields: fields,
                         labels: labels, actions: actions, dataFrom: from, dataUntil: until)
    }

    static func consent(
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
    static func render(_ decision: DisclosureDecision) -> [String] {
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
}
