@testable import casebook
@testable import CasebookCore
import CasebookFormat
import Foundation
import Testing

/// Version-1 events (written with little grammars in `detail`) and version-2 events (the
/// same facts in fields of their own) read the same in `audit log` and in reports, and
/// version-2 fields survive the canonical encoding.
@Suite struct AuditEventVersionTests {
    static let v1Events: [AuditEvent] = {
        let url = FormatFixtureTests.file("amira-audit.json")
        return try! JSONDecoder().decode([AuditEvent].self, from: Data(contentsOf: url))
    }()

    static func v1(_ action: AuditAction) throws -> AuditEvent {
        try #require(v1Events.first { $0.action == action })
    }

    /// `old` as version 2 would write it: same facts, `detail` replaced by `move`.
    static func twin(_ old: AuditEvent, _ move: (inout AuditEvent) -> Void) -> AuditEvent {
        var event = old
        event.version = 2
        event.detail = nil
        move(&event)
        return event
    }

    static func sameReading(_ old: AuditEvent, _ new: AuditEvent) {
        #expect(old.version == 1 && new.version == 2)
        #expect(AuditLog.line(old) == AuditLog.line(new))
        #expect(new.shownDetail == old.detail)
        #expect(AuditLog.line(old).hasSuffix(old.detail ?? "\u{0}"))
    }

    @Test func fixtureEventsDisplayAsTheirVersionTwoTwins() throws {
        let created = try Self.v1(.vaultCreated)
        #expect(created.detail == "role=psychologist")
        Self.sameReading(created, Self.twin(created) { $0.role = "psychologist" })

        let consent = try Self.v1(.consentGranted)
        Self.sameReading(consent, Self.twin(consent) { $0.consent = consent.detail })

        let override = try Self.v1(.overrideRequested)
        Self.sameReading(override, Self.twin(override) { $0.citation = "Crime and Disorder Act 1998 s.115" })

        let export = try #require(Self.v1Events.last { $0.action == .exportSealed })
        let approval = "48221a0c79a624d19e68be52c5a6763a6d695d345a7cc1ebc9da38bc66dbe6f9"
        let exportTwin = Self.twin(export) { $0.detail = "sealed, json"; $0.approval = approval }
        Self.sameReading(export, exportTwin)
        let rows = try AuditReport(Self.verification([export, exportTwin]), from: nil, until: nil).rows
        #expect(rows.count == 2 && rows[0].detail == rows[1].detail && rows[0].detail == export.detail)
    }

    @Test func erasureAndVerificationDisplayInBothVersions() {
        var erased = AuditEvent(sequence: 3, time: "2026-12-04T15:47:40Z", actor: "0204CD979A953B64", action: .clientErased)
        erased.version = 1
        erased.client = "C-0042"
        erased.count = 2
        erased.detail = "reason: erasure request DP-1"
        Self.sameReading(erased, Self.twin(erased) { $0.reason = "erasure request DP-1" })

        var verified = AuditEvent(sequence: 4, time: "2026-12-04T15:47:41Z", actor: "0204CD979A953B64", action: .auditVerified)
        verified.version = 1
        verified.count = 9
        verified.sender = "74TF-SJXB-99KC-DDAH-5TQK-TAGD-BRQB-BJ1W"
        verified.detail = "origin=casebook.example/vault/00; root=47DEQ=; result=failed at 6; for=report"
        Self.sameReading(verified, Self.twin(verified) {
            $0.origin = "casebook.example/vault/00"; $0.root = "47DEQ="; $0.result = "failed"; $0.failedAt = 6; $0.for = "report"
        })
        verified.detail = "origin=o; root=r; result=verified; for=verify"
        Self.sameReading(verified, Self.twin(verified) { $0.origin = "o"; $0.root = "r"; $0.result = "verified"; $0.for = "verify" })
    }

    @Test func versionTwoFieldsRoundTripThroughTheCanonicalEncoding() throws {
        let entries: [AuditEntry] = [
            .vaultCreated(role: .psychologist),
            .clientErased(client: try ClientReference("C-0042"), count: 2, reason: "erasure request DP-1"),
            .auditVerified(.init(sender: "FP", count: 9, origin: "o", root: "r", verified: false, failedAt: 6, purpose: "report")),
            .exportRefused(.init(records: ["R1"], recipients: ["FP"], purpose: .supervision, fields: nil, basis: [], considered: ["C0NSENT001 v1 sha256:00"],
                                 clients: ["C-0042"], detail: "denied", contact: "Dr Sam Example")),
        ]
        for entry in entries {
            let event = entry.event(sequence: 7, time: "2026-12-04T15:47:40Z", actor: "0204CD979A953B64")
            let canonical = event.canonicalBytes()
            let decoded = try JSONDecoder().decode(AuditEvent.self, from: Data(canonical))
            #expect(decoded == event && decoded.version == AuditEvent.currentVersion && decoded.version == 2)
            #expect(decoded.canonicalBytes() == canonical)
            let fields = try AuditEventLine.scan(canonical)
            #expect(fields.sequence == 7 && Array(canonical[fields.action]) == Array(entry.action.rawValue.utf8))
        }
        let failed = entries[2].event(sequence: 0, time: "2026-12-04T15:47:40Z", actor: "A")
        #expect(failed.result == "failed" && failed.failedAt == 6 && failed.for == "report" && failed.detail == nil)
        #expect(String(decoding: failed.canonicalBytes(), as: UTF8.self).contains(#""failed-at":6,"for":"report""#))
        #expect(entries[0].event(sequence: 0, time: "2026-12-04T15:47:40Z", actor: "A").role == "psychologist")
        #expect(entries[1].event(sequence: 0, time: "2026-12-04T15:47:40Z", actor: "A").reason == "erasure request DP-1")
    }

    @Test func versionOneEventsKeepTheirCanonicalBytes() throws {
        for event in Self.v1Events {
            let decoded = try JSONDecoder().decode(AuditEvent.self, from: Data(event.canonicalBytes()))
            #expect(decoded == event && decoded.version == 1)
            #expect(!String(decoding: event.canonicalBytes(), as: UTF8.self).contains("failed-at"))
        }
    }

    static func verification(_ events: [AuditEvent]) throws -> AuditVerification {
        AuditVerification(
            origin: "o", ownerName: "Dr Amira Example",
            ownerFingerprint: try IdentityFingerprint(parsing: "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2"), exported: "2026-12-31T12:00:00Z",
            eventCount: UInt64(events.count), rootHash: MerkleHash.emptyTreeRoot, checkpoint: nil, trusted: [], ignored: [],
            failure: nil, events: events)
    }
}
