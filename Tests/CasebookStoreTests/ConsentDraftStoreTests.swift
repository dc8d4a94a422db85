import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

@Suite struct ConsentDraftStoreTests {
    private let from = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    private let until = Date(timeIntervalSince1970: 1_798_761_600)  // 2027-01-01T00:00:00Z

    private func draft(_ recipients: [String], effect: ConsentEffect = .permit) throws -> ConsentDraft {
        ConsentDraft(effect: effect, client: try ClientReference("C-0042"), purposes: [.supervision],
                     recipients: recipients.map(ConsentRecipientName.init), validFrom: from, validUntil: until, method: .written)
    }

    @Test func contactNamesResolveToTheirCardsAndTokensStayTokens() throws {
        let fixture = try VaultFixture()
        let sam = try IdentityCard.make(name: "Dr Sam Example", role: "supervisor", created: "2026-11-24T06:00:00Z",
                                        identity: IdentitySecrets.generate())
        let vault = try fixture.open()
        try vault.contacts.add(card: sam, confirmation: .fingerprint(sam.fingerprint.description))
        let recorded = try vault.consents.record(draft(["dr sam example", "org:probation-london", "role:offender-manager"]))
        #expect(recorded.version == 1)
        #expect(recorded.recordedBy == "Dr Ada Example")
        #expect(recorded.provisions.count == 1)
        #expect(recorded.provisions[0].recipients == [.contact(name: "Dr Sam Example", fingerprint: sam.fingerprint),
                                                      .organisation("probation-london"), .role("offender-manager")])
        #expect(try vault.consents.list() == [recorded])
    }

    @Test func anUnknownContactOrABadTokenRecordsNothing() throws {
        let fixture = try VaultFixture()
        let vault = try fixture.open()
        let before = try fixture.databaseBytes()
        #expect(expectCasebookError(.notFound) { try vault.consents.record(draft(["Nobody"])) }?.message == "no contact named 'Nobody' in this vault")
        #expect(expectCasebookError(.invalidInput) { try vault.consents.record(draft(["org:Not A Token"])) } != nil)
        // A permit must name a recipient; a deny without one covers everyone.
        #expect(expectCasebookError(.invalidInput) { try vault.consents.record(draft([])) } != nil)
        #expect(try fixture.databaseBytes() == before)
        #expect(try vault.consents.record(draft([], effect: .deny)).provisions[0].recipients.isEmpty)
    }
}
