import Foundation
import Testing
import CasebookFormat
import CasebookTestSupport

/// Someone who can write `vault.db` but has no passphrase (a shared laptop account, malware,
/// a backup restored by someone else) edits the tables with `sqlite3`: undoes a withdrawal,
/// deletes a denial, puts a removed contact back, empties the register of received
/// handovers, deletes a record. The audit log, which they cannot forge, says otherwise, and
/// every decision and `audit verify` find the disagreement (issue 12).
@Suite struct LogAgreementAttackTests {
    /// Amira (psychologist) with Sam (supervisor) as a contact, one note of C-0042, and a
    /// consent permitting supervision handovers of C-0042 to Sam. Returns the note and consent ids.
    static func amiraWithConsent() throws -> (amira: CLIFixture, note: String, consent: String) {
        let amira = try ExamplePersona.vault("psychologist", contacts: ["supervisor", "compliance"])
        let note = try #require(amira.storedID(try amira.run("note", "new", "--kind", "hii-session", "--client", "C-0042",
                                                             input: SampleDocuments.hii())))
        let consent = try recordedConsent(amira.run("consent", "grant", "--client", "C-0042", "--purpose", "supervision",
                                                    "--to", "Dr Sam Example", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31",
                                                    "--method", "written", "--actions", "handover"))
        return (amira, note, consent)
    }

    static func recordedConsent(_ result: CasebookRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Recorded consent ") })
        return String(line.split(separator: " ")[2])
    }

    static func seal(_ cli: CLIFixture, _ note: String, to file: String) -> [String] {
        ["handover", "seal", "--to", "Dr Sam Example", "--note", note, "--purpose", "supervision", "-o", file]
    }

    @Test func aWithdrawalDeletedFromTheTableIsFoundBeforeAnythingIsSealed() throws {
        let (amira, note, consent) = try Self.amiraWithConsent()
        let withdrawn = try amira.run("consent", "withdraw", consent, "--reason", "client asked to stop sharing")
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        let file = amira.folder.file("c0042.age").path
        // (A policy refusal appends its handover.refused event: not expectFailure.)
        let before = try amira.runner.run(Self.seal(amira, note, to: file))
        #expect(before.status == 8 && before.stderr.contains("was withdrawn"), "\(before.stderr)")
        // The attack: the withdrawal (the last consent row written) is deleted.
        try amira.sql("""
            DROP TRIGGER consents_append_only_delete;
            DELETE FROM consents WHERE rowid = (SELECT max(rowid) FROM consents);
            """)
        let refused = try amira.expectFailure(6, Self.seal(amira, note, to: file),
                                              message: "the vault's tables disagree with its audit log: consent \(consent) v2 is missing from the consents table")
        #expect(refused.stderr.contains("hint: the vault database was altered outside Casebook; run 'casebook audit verify'"))
        #expect(!FileManager.default.fileExists(atPath: file))
        try amira.expectFailure(6, ["consent", "list"], message: "consent \(consent) v2 is missing")
        try amira.expectFailure(6, ["consent", "show", consent], message: "consent \(consent) v2 is missing")
        try amira.expectFailure(6, ["consent", "withdraw", consent, "--reason", "again"], message: "consent \(consent) v2 is missing")
        try amira.expectFailure(6, ["audit", "verify"], message: "consent \(consent) v2 is missing from the consents table")
    }

    @Test func aDenialDeletedFromTheTableIsFound() throws {
        let (amira, note, _) = try Self.amiraWithConsent()
        let denial = try Self.recordedConsent(amira.run("consent", "deny", "--client", "C-0042", "--purpose", "supervision",
                                                        "--to", "Dr Sam Example", "--valid-from", "2026-01-01",
                                                        "--valid-until", "2099-12-31", "--method", "verbal", "--actions", "handover"))
        let file = amira.folder.file("c0042.age").path
        let before = try amira.runner.run(Self.seal(amira, note, to: file))
        #expect(before.status == 8 && before.stderr.contains("no consent covers this handover"), "\(before.stderr)")
        try amira.sql("""
            DROP TRIGGER consents_append_only_delete;
            DELETE FROM consents WHERE rowid = (SELECT max(rowid) FROM consents);
            """)
        try amira.expectFailure(6, Self.seal(amira, note, to: file), message: "consent \(denial) v1 is missing from the consents table")
        #expect(!FileManager.default.fileExists(atPath: file))
        try amira.expectFailure(6, ["audit", "verify"], message: "consent \(denial) v1 is missing")
        try amira.expectFailure(6, ["consent", "show", denial], message: "consent \(denial) v1 is missing from the consents table")
    }

    @Test func aRemovedContactPutBackIsNotTrusted() throws {
        let (amira, note, _) = try Self.amiraWithConsent()
        let sam = try ExamplePersona.vault("supervisor", contacts: ["psychologist"])
        let file = amira.folder.file("c0042.age").path
        let sealed = try amira.runner.run(Self.seal(amira, note, to: file))
        #expect(sealed.status == 0, "\(sealed.stderr)")
        // Sam keeps a copy of Amira's contact row, removes her, then puts the row back.
        let row = try sam.sql("SELECT hex(id) || '|' || hex(sealed_contact) FROM contacts;")
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        #expect(row.count == 2)
        let removed = try sam.run("contacts", "remove", "Dr Amira Example")
        #expect(removed.status == 0, "\(removed.stderr)")
        try sam.expectFailure(4, ["handover", "open", file], message: "not in your contacts")
        try sam.sql("INSERT INTO contacts (id, sealed_contact) VALUES (X'\(row[0])', X'\(row[1])');")
        let message = "contact Dr Amira Example (\(ExamplePersona.fingerprints["psychologist"]!)) is in the contacts table but was removed"
        try sam.expectFailure(6, ["handover", "open", file, "--import"], message: message)
        try sam.expectFailure(6, ["contacts", "list"], message: message)
        try sam.expectFailure(6, ["contacts", "remove", "Dr Amira Example"], message: message)
        try sam.expectFailure(6, ["audit", "verify"], message: message)
    }

    @Test func anEmptiedRegisterDoesNotLetAHandoverInTwice() throws {
        let (amira, note, _) = try Self.amiraWithConsent()
        let sam = try ExamplePersona.vault("supervisor", contacts: ["psychologist"])
        let file = amira.folder.file("c0042.age").path
        #expect(try amira.runner.run(Self.seal(amira, note, to: file)).status == 0)
        let imported = try sam.run("handover", "open", file, "--import")
        #expect(imported.status == 0, "\(imported.stderr)")
        try sam.sql("""
            DROP TRIGGER received_handovers_append_only_delete;
            DELETE FROM received_handovers;
            """)
        let again = try sam.expectFailure(7, ["handover", "open", file, "--import"], message: "was already imported on")
        #expect(again.stderr.contains("from Dr Amira Example (\(ExamplePersona.fingerprints["psychologist"]!))"))
        try sam.expectFailure(6, ["audit", "verify"], message: "is missing from the register of received handovers")
        let listed = try sam.run("note", "list")
        #expect(listed.stdout.components(separatedBy: "C-0042").count == 2, "one record, imported once: \(listed.stdout)")
    }

    @Test func aDeletedRecordAndARolledBackAmendmentAreFound() throws {
        let (amira, note, _) = try Self.amiraWithConsent()
        #expect(try amira.run("audit", "verify").status == 0)
        let other = try #require(amira.storedID(try amira.run("note", "new", "--kind", "hii-session", "--client", "C-0043",
                                                              input: SampleDocuments.hii(client: "C-0043"))))
        try amira.sql("""
            DROP TRIGGER revisions_append_only_delete;
            DELETE FROM record_filters WHERE seq = (SELECT seq FROM records WHERE id = '\(other)');
            DELETE FROM revisions WHERE record_id = '\(other)';
            DELETE FROM records WHERE id = '\(other)';
            """)
        try amira.expectFailure(6, ["audit", "verify"], message: "record \(other), recorded at audit event")
        _ = note
    }

    @Test func anAmendmentRolledBackIsFoundBeforeItIsSealed() throws {
        let (amira, note, _) = try Self.amiraWithConsent()
        let amended = try amira.run("note", "amend", note, "--reason", "typo", "--file", "-", input: SampleDocuments.hii(marker: "amended text"))
        #expect(amended.status == 0, "\(amended.stderr)")
        try amira.sql("""
            DROP TRIGGER revisions_append_only_delete;
            UPDATE records SET latest_revision = 1,
                latest_seq = (SELECT seq FROM revisions WHERE record_id = '\(note)' AND revision = 1) WHERE id = '\(note)';
            DELETE FROM revisions WHERE record_id = '\(note)' AND revision = 2;
            """)
        let file = amira.folder.file("c0042.age").path
        try amira.expectFailure(6, Self.seal(amira, note, to: file), message: "record \(note) is at revision 1 but the log recorded revision 2")
        try amira.expectFailure(6, ["audit", "verify"], message: "record \(note) is at revision 1 but the log recorded revision 2")
    }
}
