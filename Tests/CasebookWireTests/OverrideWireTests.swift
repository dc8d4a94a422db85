import Foundation
import Testing
import CasebookCrypto
import CasebookFormat

/// The v1 override request and approval read with Format only, their signatures checked
/// against the example psychologist's and supervisor's cards.
@Suite struct OverrideWireTests {
    /// The sections and labels the fixture names: Format takes the domain's lists as values.
    static let sections: Set<String> = ["plan", "risk-immediate-concern", "focus"]
    static let labels: Set<String> = ["health", "religious-belief"]

    private func parse(_ bytes: [UInt8]) throws(WireFormatError) -> OverrideNote {
        try OverrideNote(parsing: bytes, sectionKeys: Self.sections, specialCategoryLabels: Self.labels)
    }

    private func verifier(_ card: IdentityCard) throws -> NoteVerifier {
        try NoteVerifier(name: OverrideNote.keyName(for: card.fingerprint), publicKey: card.minisignKey.key)
    }

    @Test func theRequestAndApprovalParseAndTheirSignaturesVerify() throws {
        let psychologist = try WireFixtures.card(WireFixtures.keys.appendingPathComponent("psychologist.card"))
        let supervisor = try WireFixtures.card(WireFixtures.keys.appendingPathComponent("supervisor.card"))
        let request = try parse(try WireFixtures.bytes("override-request.txt"))
        let approval = try parse(try WireFixtures.bytes("override-approval.txt"))
        #expect(request.request == approval.request)
        #expect(request.signers == [psychologist.fingerprint])
        #expect(approval.signers == [psychologist.fingerprint, supervisor.fingerprint])
        #expect(request.request.client == ClientReference(exactly: "C-0042"))
        #expect(request.request.purpose == .riskManagement)
        #expect(request.request.consentSought == .unsafe && request.request.clientInformed == .deferred)
        // Written back, the request is the signed text.
        #expect(try OverrideNote.text(for: request.request) == request.note.text)
        let verified = try request.note.verify([verifier(psychologist)])
        #expect(verified.verifiedBy.count == 1)
        let both = try approval.note.verify([verifier(psychologist), verifier(supervisor)])
        #expect(both.verifiedBy.count == 2)
        // The supervisor's key does not verify the requester's signature.
        #expect(throws: (any Error).self) { _ = try request.note.verify([verifier(supervisor)]) }
    }

    @Test func garbageTruncatedAndNonCanonicalFilesAreRefused() throws {
        let text = String(decoding: try WireFixtures.bytes("override-request.txt"), as: UTF8.self)
        let variants = [
            "", "hello\n", String(text.prefix(40)), String(text.dropLast(20)),
            text.replacingOccurrences(of: "casebook-override/v1", with: "casebook-override/v2"),
            text.replacingOccurrences(of: "{\"citation\"", with: "{ \"citation\""),
            text.replacingOccurrences(of: "\"client\":\"C-0042\"", with: "\"client\":\"Amira\""),
            text.replacingOccurrences(of: "[\"plan\",\"risk-immediate-concern\"]", with: "[\"risk-immediate-concern\",\"plan\"]"),
        ]
        for variant in variants {
            let error = #expect(throws: WireFormatError.self) { _ = try parse(Array(variant.utf8)) }
            #expect(error?.kind != .integrity)
        }
        let newer = #expect(throws: WireFormatError.self) {
            _ = try parse(Array(text.replacingOccurrences(of: "casebook-override/v1", with: "casebook-override/v2").utf8))
        }
        #expect(newer?.kind == .unsupportedVersion)
        // A section this domain does not have.
        let unknown = #expect(throws: WireFormatError.self) {
            _ = try OverrideNote(parsing: Array(text.utf8), sectionKeys: ["plan"], specialCategoryLabels: Self.labels)
        }
        #expect(unknown?.subject == .unknownSection)
    }
}
