import Foundation
import Testing
import CasebookFormat

/// `AuditLogState` and `DisclosureReview` read a log as a second implementation would: from
/// the events alone, without the vault.
@Suite struct DisclosureReviewTests {
    static let sam = "FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2"
    static let amira = "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2"

    static func event(_ sequence: Int, _ action: AuditAction, time: String = "2026-06-01T10:00:00Z",
                      _ fill: (inout AuditEvent) -> Void = { _ in }) -> AuditEvent {
        var event = AuditEvent(sequence: sequence, time: time, actor: "0204CD979A953B64", action: action)
        fill(&event)
        return event
    }

    static func consent(_ sequence: Int, _ id: String, version: Int, digest: String, withdrawn: Bool = false,
                        effect: String = "permit", until: String = "2099-01-01T00:00:00Z", time: String = "2026-06-01T10:00:00Z") -> AuditEvent {
        event(sequence, withdrawn ? .consentWithdrawn : .consentGranted, time: time) {
            $0.consent = id; $0.client = "C-0042"; $0.revision = version; $0.digest = digest
            $0.validFrom = "2026-01-01T00:00:00Z"; $0.validUntil = until; $0.effect = effect
        }
    }

    static func sealed(_ sequence: Int, basis: [String], considered: [String]?, time: String = "2026-06-02T10:00:00Z") -> AuditEvent {
        event(sequence, .handoverSealed, time: time) {
            $0.basis = basis; $0.considered = considered; $0.clients = ["C-0042"]; $0.handover = "h"; $0.recipients = [sam]
        }
    }

    static func review(_ events: [AuditEvent]) -> [String] {
        var review = DisclosureReview()
        for event in events { review.apply(event) }
        return review.flags.map(\.description)
    }

    @Test func anHonestLogHasNoFlags() {
        #expect(Self.review([
            Self.consent(0, "AAAAAAAAAA", version: 1, digest: "a1"),
            Self.sealed(1, basis: ["AAAAAAAAAA v1 sha256:a1"], considered: ["AAAAAAAAAA v1 sha256:a1"]),
            Self.consent(2, "AAAAAAAAAA", version: 2, digest: "a2", withdrawn: true),
        ]).isEmpty)
    }

    @Test func aBasisWithdrawnEarlierIsFlagged() {
        #expect(Self.review([
            Self.consent(0, "AAAAAAAAAA", version: 1, digest: "a1"),
            Self.consent(1, "AAAAAAAAAA", version: 2, digest: "a2", withdrawn: true, time: "2026-06-01T11:00:00Z"),
            Self.sealed(2, basis: ["AAAAAAAAAA v1 sha256:a1"], considered: ["AAAAAAAAAA v1 sha256:a1"]),
        ]) == [
            "event 2 (handover.sealed) relied on consent AAAAAAAAAA v1, which was withdrawn at event 1 (2026-06-01T11:00:00Z)",
        ])
    }

    @Test func anExpiredUnknownOrAlteredBasisIsFlagged() {
        let flags = Self.review([
            Self.consent(0, "AAAAAAAAAA", version: 1, digest: "a1", until: "2026-06-02T00:00:00Z"),
            Self.consent(1, "BBBBBBBBBB", version: 1, digest: "b1"),
            Self.sealed(2, basis: ["AAAAAAAAAA v1 sha256:a1", "BBBBBBBBBB v1 sha256:ff", "CCCCCCCCCC v1 sha256:c1", "nonsense"],
                        considered: nil),
        ])
        #expect(flags == [
            "event 2 (handover.sealed) relied on consent AAAAAAAAAA v1, which expired at 2026-06-02T00:00:00Z",
            "event 2 (handover.sealed) relied on consent BBBBBBBBBB v1, whose hash is not the one the log recorded",
            "event 2 (handover.sealed) relied on consent CCCCCCCCCC v1, which the log never recorded",
            "event 2 (handover.sealed) relied on consent 'nonsense', which is not of the form ID vN sha256:HASH",
        ])
    }

    @Test func aDenialInForceThatTheDisclosureLeftOutIsFlagged() {
        let flags = Self.review([
            Self.consent(0, "AAAAAAAAAA", version: 1, digest: "a1"),
            Self.consent(1, "DDDDDDDDDD", version: 1, digest: "d1", effect: "deny"),
            // The denial's row was deleted: the gate saw only the permit.
            Self.sealed(2, basis: ["AAAAAAAAAA v1 sha256:a1"], considered: ["AAAAAAAAAA v1 sha256:a1"]),
            // A withdrawal row deleted: the gate saw version 1 of a consent the log had at version 2.
            Self.consent(3, "AAAAAAAAAA", version: 2, digest: "a2", withdrawn: true),
            Self.sealed(4, basis: [], considered: ["AAAAAAAAAA v1 sha256:a1", "DDDDDDDDDD v1 sha256:d1"]),
        ])
        #expect(flags == [
            "event 2 (handover.sealed) left out consent DDDDDDDDDD v1 sha256:d1 (a denial for C-0042, recorded at event 1), which was in force",
            "event 4 (handover.sealed) considered consent AAAAAAAAAA v1, which was withdrawn at event 3 (2026-06-01T10:00:00Z)",
        ])
    }

    @Test func theStateFindsContradictionsInTheLogItself() {
        var state = AuditLogState()
        let imported = Self.event(0, .handoverImported) { $0.handover = "h1"; $0.sender = Self.amira; $0.records = ["R1"] }
        state.apply(imported)
        // The same id from another sender is another handover.
        state.apply(Self.event(1, .handoverImported) { $0.handover = "h1"; $0.sender = Self.sam; $0.records = ["R2"] })
        #expect(state.firstConflict == nil)
        #expect(state.received[.init(sender: Self.amira, id: "h1")]?.sequence == 0)
        state.apply(Self.event(2, .handoverImported) { $0.handover = "h1"; $0.sender = Self.amira; $0.records = ["R3"] })
        #expect(state.firstConflict?.description == "audit event 2 imports handover h1 from \(Self.amira) again (first imported at event 0)")

        var contacts = AuditLogState()
        contacts.apply(Self.event(0, .contactRemoved) { $0.contact = "Sam"; $0.fingerprint = Self.sam })
        #expect(contacts.firstConflict?.description == "audit event 0 removes contact Sam (\(Self.sam)), who is not a contact")

        var records = AuditLogState()
        records.apply(Self.event(0, .recordCreated) { $0.records = ["R1"]; $0.revision = 1 })
        records.apply(Self.event(1, .recordAmended) { $0.records = ["R1"]; $0.revision = 3 })
        #expect(records.firstConflict?.description == "audit event 1 writes revision 3 of record R1, whose latest is 1")
        // A version-1 import names no records: they are only counted.
        records.apply(Self.event(2, .recordsImported) { $0.count = 5 })
        #expect(records.unnamedImports == 5 && records.records.count == 1)
    }

    @Test func anOriginIsPinnedToTheFirstSignerWhoseBundleVerified() {
        var state = AuditLogState()
        state.apply(Self.event(0, .auditVerified) { $0.origin = "o"; $0.sender = Self.sam; $0.result = "failed" })
        state.apply(Self.event(1, .auditVerified) { $0.origin = "o"; $0.sender = Self.amira; $0.result = "verified" })
        // A version-1 event carried the verdict in its detail.
        state.apply(Self.event(2, .auditVerified) { $0.sender = Self.sam; $0.detail = "origin=o; root=r; result=verified; for=verify" })
        state.apply(Self.event(3, .auditVerified) { $0.sender = Self.sam; $0.detail = "origin=p; root=r; result=verified; for=verify" })
        #expect(state.verifiedOrigins["o"]?.sender == Self.amira && state.verifiedOrigins["o"]?.sequence == 1)
        #expect(state.verifiedOrigins["p"]?.sender == Self.sam)
    }
}
