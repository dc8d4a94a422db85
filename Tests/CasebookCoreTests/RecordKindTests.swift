import CasebookCore
import Foundation
import Testing

@Suite("Record kinds")
struct RecordKindTests {
    @Test func rawValuesAndTitles() {
        #expect(RecordKind.allCases.map(\.rawValue) == ["hii-session", "ddp-session", "mentor-log", "theological-advice"])
        #expect(RecordKind.allCases.map(\.title) == [
            "HII session note", "DDP session note", "Mentor log", "Theological-advice record",
        ])
    }

    @Test func defaultLabels() {
        #expect(RecordKind.theologicalAdvice.defaultLabels == ["religious-belief"])
        #expect(RecordKind.hiiSession.defaultLabels.isEmpty)
        #expect(RecordKind.ddpSession.defaultLabels.isEmpty)
        #expect(RecordKind.mentorLog.defaultLabels.isEmpty)
    }

    @Test func fieldsFollowTheBrief() {
        #expect(RecordKind.hiiSession.fields.map(\.key) == [
            "session-number", "focus", "client-report", "observations-presentation", "observations-engagement",
            "interventions", "client-response", "formulation-update", "risk-new-information",
            "risk-immediate-concern", "risk-actions", "risk-escalation", "risk-assessment-reference", "plan",
            "next-session",
        ])
        #expect(RecordKind.ddpSession.fields.map(\.key) == [
            "provider-organisation", "intervention-type", "objectives", "engagement", "practical-needs", "summary",
            "risk-observations", "offender-manager-information", "next-steps",
        ])
        #expect(RecordKind.mentorLog.fields.map(\.key) == [
            "contact-type", "planned", "initiated-by", "topics", "activities", "mood-engagement", "goal-progress",
            "actions-agreed", "concerns", "next-contact",
        ])
        #expect(RecordKind.theologicalAdvice.fields.map(\.key) == [
            "tradition", "theme", "sources", "guidance", "client-response", "unresolved-questions", "referrals",
            "risk-observations",
        ])
        let hii = RecordKind.hiiSession
        #expect(hii.field(forKey: "session-number") == FieldSpec(
            key: "session-number", title: "Session number", type: .positiveInteger, required: true,
            guidance: hii.field(forKey: "session-number")!.guidance))
        #expect(hii.field(forKey: "risk-immediate-concern")?.type == .yesNo)
        #expect(hii.field(forKey: "risk-immediate-concern")?.title == "Risk: immediate concern")
        #expect(hii.field(forKey: "risk-assessment-reference")?.guidance.contains("never scores a risk framework") == true)
        #expect(RecordKind.ddpSession.field(forKey: "intervention-type")?.type
            == .choice(["mentoring", "psychological", "theological-ideological", "practical"]))
        #expect(RecordKind.ddpSession.field(forKey: "offender-manager-information")?.guidance
            .contains("only what the offender manager needs") == true)
        #expect(RecordKind.ddpSession.field(forKey: "practical-needs")?.title
            == "Practical needs (housing, employment, finance, family…)")
        #expect(RecordKind.mentorLog.field(forKey: "planned")?.type == .choice(["planned", "ad-hoc"]))
        #expect(RecordKind.mentorLog.field(forKey: "initiated-by")?.type == .choice(["client", "mentor", "other"]))
        #expect(RecordKind.theologicalAdvice.field(forKey: "theme")?.title
            == "Theme raised (in the client's own framing)")
    }

    @Test func requiredFields() {
        let required = RecordKind.allCases.map { kind in kind.fields.filter(\.required).map(\.key) }
        #expect(required == [
            ["session-number", "risk-immediate-concern"],
            ["provider-organisation", "intervention-type"],
            ["contact-type", "planned", "initiated-by"],
            ["tradition"],
        ])
    }

    @Test(arguments: RecordKind.allCases)
    func fieldsAreWellFormed(_ kind: RecordKind) {
        let keys = kind.fields.map(\.key)
        #expect(Set(keys).count == keys.count)
        for field in kind.fields {
            #expect(field.key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
            #expect(!field.guidance.isEmpty)
            #expect(!field.guidance.contains("-->") && !field.guidance.contains("\n"))
            #expect(!field.title.contains("\n") && field.title == field.title.trimmingCharacters(in: .whitespaces))
            // Every heading names exactly one field.
            #expect(kind.fields.filter { $0.title.lowercased() == field.title.lowercased() || $0.key == field.title.lowercased() }.count == 1)
            #expect(kind.fields.filter { $0.title.lowercased() == field.key }.allSatisfy { $0.key == field.key })
            #expect(kind.field(matchingHeading: field.title.uppercased()) == field)
            #expect(kind.field(matchingHeading: field.key) == field)
            #expect(kind.field(matchingHeading: field.key.uppercased()) == field)
        }
        #expect(kind.field(matchingHeading: "No such heading") == nil)
    }

    @Test func parsesNamesIgnoringCase() throws {
        #expect(try RecordKind.parse("Mentor-Log") == .mentorLog)
        let error = recordError { try RecordKind.parse("hii") }
        #expect(error?.message == "unknown record kind 'hii'")
        #expect(error?.hint == "kind is one of: hii-session, ddp-session, mentor-log, theological-advice")
        #expect(try Modality.parse("VIDEO") == .video)
        #expect(try Attendance.parse("Did-Not-Attend") == .didNotAttend)
        #expect(recordError { try Modality.parse("zoom") }?.hint == "modality is one of: in-person, video, phone")
        #expect(recordError { try Attendance.parse("dna") }?.hint
            == "attendance is one of: attended, did-not-attend, cancelled")
    }

    @Test func codableUsesRawValues() throws {
        let data = try JSONEncoder().encode([RecordKind.mentorLog])
        #expect(String(decoding: data, as: UTF8.self) == "[\"mentor-log\"]")
    }
}
