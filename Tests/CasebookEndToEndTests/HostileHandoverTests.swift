import Foundation
import Testing
import CasebookFormat
import CasebookTestSupport

/// Issue 12: text inside a handover must not lie on the receiver's screen. Each test builds a
/// handover a hostile contact could sign (`CraftedHandover`) and opens it with the real binary
/// in the supervisor's vault.
@Suite struct HostileHandoverTests {
    /// Sam's vault (the supervisor persona), with Amira (the sender) and Ben as contacts.
    private func sam() throws -> CLIFixture {
        try ExamplePersona.vault("supervisor", contacts: ["psychologist", "mentor"])
    }

    private func crafted(_ cli: CLIFixture, _ name: String, _ change: (inout HandoverManifest) throws -> Void) throws -> String {
        var manifest = try CraftedHandover.manifest()
        try change(&manifest)
        let url = cli.folder.file(name)
        try CraftedHandover.write(manifest, to: url)
        return url.path
    }

    /// The crafting itself is sound: an unchanged manifest, re-signed and re-proven, opens.
    @Test func aCraftedHandoverWithHonestValuesOpens() throws {
        let sam = try sam()
        let file = try crafted(sam, "honest.age") { _ in }
        let opened = try sam.run("handover", "open", file)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("from:      Dr Amira Example (\(ExamplePersona.fingerprints["psychologist"]!))  signature verified"))
        #expect(opened.stdout.components(separatedBy: "signature verified").count == 2)
    }

    /// Every attack of the issue, refused before anything is shown or stored: one error line,
    /// exit status 3, the vault as it was, nothing on standard output, no raw control
    /// character on standard error.
    @Test func handoversWhoseTextCouldLieAreRefused() throws {
        let sam = try sam()
        let fakeLine = "Dr Sam Example\nfrom:      Dr Ben Example (R0JV-M3T6-…)  signature verified"
        let attacks: [(String, String, (inout HandoverManifest) -> Void)] = [
            ("fake-line", "the name of recipient 1 contains a line break (U+000A)", { $0.recipients[0].name = fakeLine }),
            ("clear-screen", "the reason contains the control character U+001B", { $0.reason = "supervision \u{1B}[2J" }),
            ("bidi-author", "the author of record 1", { $0.records[0].author = "Dr \u{202E}elpmaxE arimA" }),
            ("february-30", "created '2026-02-30T10:00:00Z' has day 30, but that month has 28 days", { $0.created = "2026-02-30T10:00:00Z" }),
            ("lower-case-sender", "the sender's fingerprint '", { $0.sender.fingerprint = $0.sender.fingerprint.lowercased() }),
            ("no-records", "it holds no records", { $0.records = [] }),
            ("duplicate-ids", "record 3 (0P7D4BYHVS) has the id of an earlier record", { $0.records.append($0.records[0]) }),
        ]
        for (name, message, change) in attacks {
            let file = try crafted(sam, "\(name).age", change)
            for arguments in [["handover", "open", file], ["handover", "open", file, "--import"]] {
                let result = try sam.expectFailure(3, arguments, message: "handover.json is not valid: " + message)
                #expect(result.stdout.isEmpty, "\(name): \(result.stdout)")
                #expect(!result.stderr.unicodeScalars.contains { TextRule.isForbidden($0) && $0 != "\n" }, "\(name): \(result.stderr)")
            }
        }
        let list = try sam.run("note", "list", "--json")
        #expect(list.status == 0, "\(list.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.isEmpty == true, "\(list.stdout)")
    }

    /// The bidi override is refused as such (the author check names the character).
    @Test func aBidiOverrideInAnAuthorIsNamed() throws {
        let sam = try sam()
        let file = try crafted(sam, "bidi.age") { $0.records[0].author = "Dr \u{202E}elpmaxE arimA" }
        try sam.expectFailure(3, ["handover", "open", file, "--import"],
                              message: "contains the bidirectional formatting character U+202E")
    }

    /// A record that claims another author is stored, and shown, as written by its verified
    /// sender: the name on the sender's contact card.
    @Test func anImportedRecordsAuthorIsTheSendersCardName() throws {
        let sam = try sam()
        let file = try crafted(sam, "claimed-author.age") { manifest in
            for index in manifest.records.indices { manifest.records[index].author = "Ben Example" }
        }
        let imported = try sam.run("handover", "open", file, "--import", "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        let records = try #require(summary["records"] as? [[String: Any]])
        let ids = records.compactMap { $0["imported-as"] as? String }
        #expect(!ids.isEmpty && ids.count == records.count)
        for id in ids {
            let shown = try sam.run("note", "show", id)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("by Dr Amira Example (received)"), "\(shown.stdout)")
            #expect(!shown.stdout.contains("Ben Example"))
        }
        let list = try #require(try JSONSerialization.jsonObject(with: Data(try sam.run("note", "list", "--json").stdout.utf8)) as? [[String: Any]])
        #expect(list.count == ids.count)
        #expect(list.allSatisfy { $0["author"] as? String == "Dr Amira Example" })
    }
}

/// Whatever an error quotes (here a file name someone chose), it is printed at the edge as
/// one inert line: a line break or an escape sequence is shown as `\u{…}`.
@Suite struct EscapedOutputTests {
    @Test func anErrorQuotingHostileTextStaysOneInertLine() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let hostile = cli.folder.file("h\u{1B}[2J\nfrom:      Dr Ben Example  signature verified.age").path
        let result = try cli.expectFailure(4, ["handover", "open", hostile], message: "cannot read")
        #expect(result.stderr.contains("h\\u{001B}[2J\\u{000A}from:      Dr Ben Example  signature verified.age"), "\(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { TextRule.isForbidden($0) && $0 != "\n" })
        let card = try cli.expectFailure(4, ["contacts", "add", cli.folder.file("c\u{202E}drac.txt").path, "--fingerprint",
                                             ExamplePersona.fingerprints["mentor"]!], message: "c\\u{202E}drac.txt")
        #expect(!card.stderr.unicodeScalars.contains("\u{202E}"))
    }
}
