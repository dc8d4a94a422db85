import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

@Suite struct ConsentDraftTests {
    @Test func recipientSyntaxIsDecidedByItsPrefix() {
        #expect(ConsentRecipientName("org:probation-london") == .organisation("probation-london"))
        #expect(ConsentRecipientName("role:offender-manager") == .role("offender-manager"))
        #expect(ConsentRecipientName("Dr Sam Example") == .contact("Dr Sam Example"))
        // Only the exact lower-case prefixes; anything else names a contact, checked by the vault.
        #expect(ConsentRecipientName("ORG:probation") == .contact("ORG:probation"))
        #expect(ConsentRecipientName("org:") == .organisation(""))
    }

    @Test func statusPutsWithdrawalFirstAndTheWindowIsHalfOpen() {
        let from = Timestamp.parse("2026-01-01T00:00:00Z")!
        let until = Timestamp.parse("2027-01-01T00:00:00Z")!
        var consent = Consent(id: "C0NSENT001", version: 1, client: try! ClientReference("C-0042"), recordedBy: "Dr A", recordedAt: from,
                              method: .verbal, validFrom: from, validUntil: until,
                              provisions: [ConsentProvision(effect: .deny, purposes: [.research])])
        #expect(consent.status(at: from.addingTimeInterval(-1)).description == "not yet valid")
        #expect(consent.status(at: from) == .active)
        #expect(consent.status(at: until.addingTimeInterval(-1)).description == "active")
        #expect(consent.status(at: until).description == "expired")
        let withdrawn = Timestamp.parse("2026-03-01T10:00:00Z")!
        consent.withdrawal = ConsentWithdrawal(time: withdrawn, reason: "client asked")
        #expect(consent.status(at: from.addingTimeInterval(-1)).description == "withdrawn 2026-03-01T10:00:00Z")
        #expect(consent.status(at: until) == .withdrawn(at: withdrawn))
    }

    @Test func evidenceIsHashedInPiecesAndAnEmptyFileIsRefused() throws {
        var evidence = ConsentEvidence()
        evidence.update(Array("signed ".utf8))
        evidence.update(Array("form".utf8))
        #expect(try evidence.finalize(source: "form.pdf") == Hex.encode(SHA256.hash(Array("signed form".utf8))))
        var refusal: CasebookError?
        do {
            _ = try ConsentEvidence().finalize(source: "scan.pdf")
        } catch {
            refusal = error
        }
        #expect(refusal?.code == .invalidInput)
        #expect(refusal?.message == "the evidence file scan.pdf is empty")
    }
}
