import Foundation
import Testing
import CasebookCrypto
import CasebookFormat
import CasebookTestSupport

/// Issue 12 (Low): contact names that hide characters or imitate another contact.
@Suite struct LookAlikeContactTests {
    /// A card for new keys with any name, signed by its own key as a hostile card would be:
    /// built line by line, so a name `IdentityCard.make` would refuse can be written.
    private func card(named name: String, in cli: CLIFixture, file: String) throws -> (path: String, fingerprint: String) {
        let identity = IdentitySecrets.generate()
        let signed = "casebook-card v1\nname: \(name)\nrole: supervisor\nage: \(identity.ageRecipient)\n"
            + "minisign: \(identity.minisignPublicKey.encoded)\ncreated: 2026-11-24T06:00:00Z\n"
        let text = signed + "signature: " + Base64.encode(identity.signing.signature(for: Array(signed.utf8))) + "\n"
        let url = cli.folder.file(file)
        try Data(text.utf8).write(to: url)
        let fingerprint = IdentityFingerprint(ageRecipient: identity.ageRecipient, minisignKey: identity.minisignPublicKey)
        return (url.path, fingerprint.description)
    }

    @Test func namesWithInvisibleOrLineBreakingCharactersAreRefused() throws {
        let cli = try ExamplePersona.vault("psychologist")
        let sam = ExamplePersona.file("supervisor.card").path
        let fingerprint = ExamplePersona.fingerprints["supervisor"]!
        let cases = [("Dr Sam Ex\u{AD}ample", "contains the invisible formatting character U+00AD"),
                     ("Dr Sam\u{2028}Example", "contains a line break (U+2028)"),
                     ("\u{3164}", "contains the invisible (default-ignorable) character U+3164"),
                     ("Dr Sam Example\u{200B}", "contains the invisible formatting character U+200B")]
        for (name, message) in cases {
            // As the local name given with --name …
            try cli.expectFailure(3, ["contacts", "add", sam, "--fingerprint", fingerprint, "--name", name], message: "the contact name " + message)
            // … and as the name on a card that its own key signed.
            let hostile = try card(named: name, in: cli, file: "hostile.card")
            let refused = try cli.expectFailure(3, ["contacts", "add", hostile.path, "--fingerprint", hostile.fingerprint],
                                                message: "line 2 of the card file")
            #expect(refused.stderr.contains("the name " + message), "\(refused.stderr)")
            try FileManager.default.removeItem(atPath: hostile.path)
        }
        let list = try cli.run("contacts", "list")
        #expect(list.stdout.contains("No contacts yet"), "\(list.stdout)")
    }

    @Test func aNameThatLooksLikeAContactsIsWarnedAbout() throws {
        let cli = try ExamplePersona.vault("psychologist", contacts: ["supervisor"])
        // "Dr Sam Examрle" with U+0440 CYRILLIC SMALL LETTER ER for the Latin p.
        let impostor = try card(named: "Dr Sam Exam\u{440}le", in: cli, file: "impostor.card")
        let added = try cli.run("contacts", "add", impostor.path, "--fingerprint", impostor.fingerprint)
        #expect(added.status == 0, "\(added.stderr)")
        let warning = "casebook: warning: the name 'Dr Sam Exam\u{440}le' looks like your contact 'Dr Sam Example' (fingerprint \(ExamplePersona.fingerprints["supervisor"]!)): make sure this card is not posing as them before you confirm it\n"
        #expect(added.stderr == warning, "\(added.stderr)")
        #expect(added.stdout.contains("Added Dr Sam Exam\u{440}le as a contact."))
        // The same through --name, for a card with an honest name; a name that does not look alike is not warned about.
        let other = try card(named: "Sam Other", in: cli, file: "other.card")
        let renamed = try cli.run("contacts", "add", other.path, "--fingerprint", other.fingerprint, "--name", "Dr Sam Examp1e")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stderr.hasPrefix("casebook: warning: the name 'Dr Sam Examp1e' looks like your contact"), "\(renamed.stderr)")
        let plain = try card(named: "Dr Sam Exampel", in: cli, file: "plain.card")
        let unwarned = try cli.run("contacts", "add", plain.path, "--fingerprint", plain.fingerprint)
        #expect(unwarned.status == 0 && unwarned.stderr.isEmpty, "\(unwarned.stderr)")
        #expect(try cli.run("contacts", "list").stdout.split(separator: "\n").count == 4)
    }
}
