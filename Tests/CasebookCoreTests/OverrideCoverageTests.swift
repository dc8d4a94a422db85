import CasebookCore
import CasebookFormat
import Foundation
import Testing

// Consent combined with a lawful-basis override (docs/consent.md §4.3), without a vault:
// the consent decision comes from ConsentEvaluator, the override is plain coverage.

private let client = try! ClientReference("C-0042")
private let time = Timestamp.parse("2026-11-24T12:00:00Z")!
private let police = DisclosureRecipient(name: "age1…", organisation: "police-north")
private let probation = DisclosureRecipient(name: "age1…", organisation: "probation-london")

private func record(_ id: String, _ kind: RecordKind = .hiiSession, labels: [String] = [], sections: [String]) -> DisclosureRequest.Record {
    DisclosureRequest.Record(id: id, kind: kind, labels: labels, start: try! SessionStart(canonical: "2026-11-03T10:00:00Z"),
                             sections: sections)
}

/// §3's consent: risk management for probation-london only, two risk sections of HII notes.
private let consent = Consent(
    id: "C0NSENT001", version: 1, client: client, recordedBy: "Dr Psychologist", recordedAt: Timestamp.parse("2026-01-01T09:00:00Z")!,
    method: .written, validFrom: Timestamp.parse("2026-01-01T00:00:00Z")!, validUntil: Timestamp.parse("2027-01-01T00:00:00Z")!,
    provisions: [ConsentProvision(effect: .permit, purposes: [.riskManagement], recipients: [.organisation("probation-london")],
                                  kinds: [.hiiSession], fields: ["risk-new-information", "risk-immediate-concern"])])

private func combined(_ records: [DisclosureRequest.Record], to recipient: DisclosureRecipient,
                      override: OverrideCoverage) throws -> CombinedDecision {
    let request = DisclosureRequest(client: client, recipient: recipient, purpose: .riskManagement, action: .export, time: time,
                                    records: records)
    let decision = try ConsentEvaluator.evaluate(request, consents: [consent])
    return ConsentEvaluator.combine(decision, records: records, override: override)
}

@Suite struct OverrideCoverageTests {
    @Test func theOverrideReleasesWhatConsentDeniesAndNothingElse() throws {
        let note = record("R1", sections: ["focus", "risk-new-information", "risk-actions"])
        let result = try combined([note], to: police, override: OverrideCoverage(fields: ["risk-new-information", "risk-actions"]))
        #expect(result.allowed == ["R1": ["risk-new-information", "risk-actions"]])
        #expect(result.excluded.isEmpty)
        #expect(result.withheldReasons == ["R1: section 'focus' is covered by neither consent nor the override"])
        #expect(result.usedOverride)
        #expect(result.refusal(acceptPartial: false)?.none == false)
        #expect(result.refusal(acceptPartial: true) == nil)
    }

    @Test func consentAloneCoveringEverythingDoesNotRelyOnTheOverride() throws {
        let note = record("R1", sections: ["risk-new-information", "risk-immediate-concern"])
        let result = try combined([note], to: probation, override: OverrideCoverage(fields: ["risk-new-information"]))
        #expect(result.allowed == ["R1": ["risk-new-information", "risk-immediate-concern"]])
        #expect(!result.usedOverride)
        #expect(result.refusal(acceptPartial: false) == nil)
    }

    @Test func consentAndOverrideAddUpSectionBySection() throws {
        let note = record("R1", sections: ["risk-new-information", "risk-actions", "plan"])
        let result = try combined([note], to: probation, override: OverrideCoverage(fields: ["risk-actions"]))
        #expect(result.allowed == ["R1": ["risk-new-information", "risk-actions"]])
        #expect(result.withheldReasons == ["R1: section 'plan' is covered by neither consent nor the override"])
        #expect(result.usedOverride)
    }

    @Test func aSpecialCategoryTheOverrideDoesNotNameWithholdsTheRecord() throws {
        let health = record("R1", labels: ["health"], sections: ["risk-new-information"])
        let theology = record("R2", .theologicalAdvice, sections: ["theme"])
        let override = OverrideCoverage(fields: ["risk-new-information", "theme"])
        let result = try combined([health, theology], to: police, override: override)
        #expect(result.allowed.isEmpty)
        #expect(result.excluded["R1"] == "neither consent nor the override covers it (the override does not name health)")
        // The kind's default label counts even when the record does not list it.
        #expect(result.excluded["R2"] == "neither consent nor the override covers it (the override does not name religious-belief)")
        #expect(!result.usedOverride)
        #expect(result.refusal(acceptPartial: true)?.none == true)

        let named = try combined([health], to: police, override: OverrideCoverage(fields: ["risk-new-information"], specialCategories: ["health"]))
        #expect(named.allowed == ["R1": ["risk-new-information"]])
        #expect(named.usedOverride)
    }

    @Test func aRecordConsentDisclosesKeepsConsentSectionsWhateverItsLabels() throws {
        // Consent (which names no label) cannot release a health record either: the override
        // must name health to release anything of it.
        let health = record("R1", labels: ["health"], sections: ["risk-new-information"])
        let result = try combined([health], to: probation, override: OverrideCoverage(fields: ["risk-new-information"]))
        #expect(result.excluded.keys.sorted() == ["R1"])
    }

    @Test func withheldLinesListWholeRecordsFirst() {
        var result = CombinedDecision()
        result.allowed = ["R3": []]
        result.excluded = ["R2": "b", "R1": "a"]
        result.withheldReasons = ["R3: section 'plan' is covered by neither consent nor the override"]
        #expect(result.withheldLines == ["R1: a", "R2: b", "R3: section 'plan' is covered by neither consent nor the override"])
        #expect(result.refusal(acceptPartial: false)?.none == false)
    }
}
