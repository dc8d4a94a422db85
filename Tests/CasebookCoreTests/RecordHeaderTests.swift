import CasebookFormat
import CasebookCore
import Foundation
import Testing

@Suite("Client references")
struct RecordClientReferenceTests {
    @Test(arguments: [
        "C-0042", "DDP-2024-117", "A-1", "ABCDEFGH-123456789012", "AB-X1-Y-Z", "C-ABC1", "HII-2026-00A1",
    ])
    func accepts(_ text: String) throws {
        let reference = try ClientReference(text)
        #expect(reference.rawValue == text)
        #expect(reference.description == text)
    }

    @Test(arguments: [
        "", "C", "C-", "-0042", "c-0042", "C-ABC", "ABCDEFGHI-1", "C-1234567890123", "C-1-2-3-4", "C--1", "C-1-",
        "John Smith", "JOHN-SMITH", "C 0042", "C-00 42", "1-C", "C-0042\n", " C-0042", "Ç-0042", "C_0042",
        "C-００42", "C-0042-", "C.0042",
    ])
    func rejects(_ text: String) {
        let error = recordError { try ClientReference(text) }
        // A fixed message: it never repeats the input, which could be a name.
        #expect(error?.description == ClientReference.ruleMessage)
        #expect(error?.line == nil)
    }

    @Test func ruleIsExplained() {
        let message = ClientReference.ruleMessage
        #expect(message.contains("never a name"))
        #expect(message.contains("1 to 8 capital letters"))
        #expect(message.contains("at least one digit"))
        #expect(message.contains("C-0042"))
    }

    @Test func lowercaseGetsAHint() {
        #expect(recordError { try ClientReference("ddp-2024-117") }?.hint?.contains("DDP-2024-117") == true)
        #expect(recordError { try ClientReference("john smith") }?.hint?.contains("JOHN") == false)
    }

    @Test func comparesAndCodes() throws {
        let a = try ClientReference("C-0001")
        let b = try ClientReference("C-0002")
        #expect(a < b)
        let data = try JSONEncoder().encode([a])
        #expect(String(decoding: data, as: UTF8.self) == "[\"C-0001\"]")
        #expect(try JSONDecoder().decode([ClientReference].self, from: data) == [a])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ClientReference].self, from: Data("[\"Jane Doe\"]".utf8))
        }
    }
}

@Suite("Record header")
struct RecordHeaderTests {
    @Test func labelsAreSortedDeduplicatedAndGetTheKindDefaults() {
        let header = RecordHeader(
            kind: .hiiSession, client: Fixtures.client(), start: Fixtures.start(),
            modality: .video, attendance: .attended, labels: ["family", "employment", "family"]
        )
        #expect(header.labels == ["employment", "family"])
        #expect(header.durationMinutes == nil)
        #expect(header.sharingSummary == "")
        let theological = RecordHeader(
            kind: .theologicalAdvice, client: Fixtures.client(), start: Fixtures.start(),
            modality: .phone, attendance: .cancelled
        )
        #expect(theological.labels == ["religious-belief"])
        #expect(theological.specialCategories == ["religious-belief"])
        let both = RecordHeader(
            kind: .theologicalAdvice, client: Fixtures.client(), start: Fixtures.start(),
            modality: .phone, attendance: .cancelled, labels: ["health", "religious-belief", "zeta"]
        )
        #expect(both.labels == ["health", "religious-belief", "zeta"])
        #expect(both.specialCategories == ["health", "religious-belief"])
    }

    @Test func specialCategoryLabels() {
        #expect(RecordHeader.specialCategoryLabels == ["religious-belief", "health"])
    }

    @Test(arguments: ["a", "family", "religious-belief", "a1-b2-c3", "2026", String(repeating: "a", count: 32)])
    func acceptsLabel(_ label: String) throws {
        try RecordHeader.validateLabel(label)
    }

    @Test(arguments: ["", "A", "Family", "-a", "a-", "a--b", "a b", "ä", "a_b", "a,b", String(repeating: "a", count: 33)])
    func rejectsLabel(_ label: String) {
        let error = recordError { try RecordHeader.validateLabel(label) }
        #expect(error?.message == "invalid label '\(label)'")
        #expect(error?.hint?.contains("lowercase letters and digits") == true)
    }

    @Test func modalityAndAttendanceRawValues() {
        #expect(Modality.allCases.map(\.rawValue) == ["in-person", "video", "phone"])
        #expect(Attendance.allCases.map(\.rawValue) == ["attended", "did-not-attend", "cancelled"])
    }

    @Test func errorDescriptions() {
        #expect(RecordInputError(line: 17, message: "unknown key 'x'").description == "line 17: unknown key 'x'")
        #expect(RecordInputError(message: "m", hint: "h").description == "m")
        #expect(RecordInputError(line: 2, message: "m").localizedDescription == "line 2: m")
    }
}
