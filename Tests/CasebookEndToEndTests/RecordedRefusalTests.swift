import Foundation
import Testing
import CasebookTestSupport

/// The README's promise about failed commands, held to its exceptions: a refused handover or
/// export records exactly one audit event and changes nothing else; other refusals record
/// nothing at all.
@Suite struct RecordedRefusalTests {
    @Test func aConsentRefusalAppendsOneEventAndNothingElse() throws {
        let amira = try ExamplePersona.vault("psychologist", contacts: ["supervisor"])
        let stored = try amira.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii())
        #expect(stored.status == 0, "\(stored.stderr)")
        let handover = amira.folder.file("h.age").path
        try amira.expectRecordedRefusal(8, ["handover", "seal", "--to", "Dr Sam Example", "--client", "C-0042", "--purpose", "supervision",
                                            "-o", handover],
                                        message: "casebook: error: no consent covers this handover", recording: "handover.refused")
        #expect(!FileManager.default.fileExists(atPath: handover))
        let recipient = try #require(try JSONSerialization.jsonObject(with: Data(try amira.run("whoami", "--json").stdout.utf8))
            as? [String: String])["age-recipient"]!
        let export = amira.folder.file("e.age").path
        try amira.expectRecordedRefusal(8, ["export", "--client", "C-0042", "--to", recipient, "--recipient-org", "probation-north",
                                            "--purpose", "risk-management", "-o", export],
                                        message: "casebook: error: no consent covers this export", recording: "export.refused")
        #expect(!FileManager.default.fileExists(atPath: export))
        // A refusal that decides nothing about a disclosure records nothing.
        try amira.expectFailure(8, ["client", "erase", "C-0042", "--reason", "request", "--confirm", "C-0043"], message: "not confirmed")
    }
}
