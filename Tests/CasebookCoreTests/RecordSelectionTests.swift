import CasebookCore
import Foundation
import Testing

@Suite struct RecordSelectionTests {
    @Test func aDocumentMustBeTheKindAndClientTheCommandNamed() throws {
        let content = Fixtures.content(.hiiSession)
        try content.checkAgrees(kind: .hiiSession, client: content.header.client)
        var kind: CasebookError?
        do { try content.checkAgrees(kind: .mentorLog, client: content.header.client) } catch { kind = error }
        #expect(kind?.code == .invalidInput)
        #expect(kind?.message == "is mentor-log, but the document is a hii-session record; nothing was stored" && kind?.argument == .kind)
        var client: CasebookError?
        do { try content.checkAgrees(kind: .hiiSession, client: Fixtures.client("C-0099")) } catch { client = error }
        #expect(client?.message == "is C-0099, but the document is about client \(content.header.client); nothing was stored" && client?.argument == .client)
    }

    @Test func aTemplateCarriesTheClientWhenGiven() {
        let blank = RecordDocument.template(for: .mentorLog)
        #expect(RecordDocument.template(for: .mentorLog, client: nil) == blank)
        let filled = RecordDocument.template(for: .mentorLog, client: Fixtures.client("C-0042"))
        #expect(filled.split(separator: "\n", omittingEmptySubsequences: false).contains("client: C-0042"))
        #expect(filled.replacingOccurrences(of: "client: C-0042", with: "client:") == blank)
    }
}

@Suite struct ErasureConfirmationTests {
    @Test func onlyTheReferenceItselfConfirmsAnErasure() throws {
        let client = Fixtures.client("C-0042")
        try client.checkErasureConfirmation("C-0042")
        try client.checkErasureConfirmation("  C-0042 ")
        for typed in [nil, "", "c-0042", "C-0043", "yes"] as [String?] {
            var refusal: CasebookError?
            do { try client.checkErasureConfirmation(typed) } catch { refusal = error }
            #expect(refusal?.code == .refused)
            #expect(refusal?.message == "the reference was not confirmed; nothing was erased")
        }
        #expect(client.erasurePrompt == "This destroys every record of C-0042 for good. Type C-0042 to confirm: ")
    }
}
