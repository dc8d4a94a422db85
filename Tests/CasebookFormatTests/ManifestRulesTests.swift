import Foundation
import Testing
@testable import CasebookFormat

/// The value rules of `handover.json` and `export.json` (docs/formats.md §4.1, §7.2): a
/// manifest its sender signed is still refused when a value breaks its rule.
@Suite struct ManifestRulesTests {
    static let created = "2026-11-24T06:00:00Z"

    private func sender() throws -> HandoverManifest.Sender {
        let card = try IdentityCard.make(name: "Dr Amira Example", role: "psychologist", created: Self.created, identity: fixedIdentity())
        return .init(card: card.rendered(), fingerprint: card.fingerprint.description)
    }

    private func recipient(_ fill: UInt8 = 9, name: String = "Dr Sam Example") throws -> HandoverManifest.Party {
        let card = try IdentityCard.make(name: name, role: "supervisor", created: Self.created, identity: fixedIdentity(fill))
        return .init(fingerprint: card.fingerprint.description, name: name)
    }

    private func record(_ id: String = "1JDRV6DNRB", author: String = "Dr Amira Example") -> HandoverManifest.Record {
        .init(id: id, revision: 1, author: author, recordedAt: Self.created, kind: "mentor-log", client: "C-0077",
              start: "2026-11-05T16:00:00Z", duration: 45, modality: "phone", attendance: "attended", labels: [],
              sharingSummary: "", sections: ["topics": "Job interview preparation."], withheld: [])
    }

    private func handover() throws -> HandoverManifest {
        HandoverManifest(format: HandoverManifest.formatName, id: "23d3de44f9c30bd2e005c78dd340a360", created: Self.created,
                         sender: try sender(), recipients: [try recipient()], purpose: "supervision", reason: "clinical supervision",
                         fields: ["topics"], records: [record()])
    }

    /// `change` applied to a valid manifest must be refused with `fragment` in the message,
    /// also after a round trip through its canonical bytes (decode does not judge values).
    private func expectRefused(_ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
                               _ change: (inout HandoverManifest) throws -> Void) throws {
        var manifest = try handover()
        try change(&manifest)
        let decoded = try HandoverManifest.decode(manifest.encoded())
        let error = #expect(throws: WireFormatError.self, sourceLocation: sourceLocation) { try decoded.validate() }
        #expect(error?.kind == .invalid, sourceLocation: sourceLocation)
        #expect(error?.message.hasPrefix("handover.json is not valid: ") == true, sourceLocation: sourceLocation)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "accepted") — expected '\(fragment)'",
                sourceLocation: sourceLocation)
    }

    @Test func aWellMadeHandoverManifestIsValid() throws {
        var manifest = try handover()
        try manifest.validate()
        manifest.reason = nil
        manifest.fields = nil
        let second = try recipient(11, name: "Ben Example")
        manifest.recipients = [manifest.recipients[0], second].sorted { $0.fingerprint < $1.fingerprint }
        manifest.records.append(record("2JDRV6DNRB"))
        try manifest.validate()
    }

    @Test func hostileTextIsRefused() throws {
        try expectRefused("the name of recipient 1 contains a line break (U+000A)") {
            $0.recipients[0].name = "Dr Sam Example\nfrom:      Dr Ben Example  signature verified"
        }
        try expectRefused("the reason contains the control character U+001B") { $0.reason = "supervision \u{1B}[2J" }
        try expectRefused("the author of record 1 (1JDRV6DNRB) contains the bidirectional formatting character U+202E") {
            $0.records[0].author = "Dr \u{202E}elpmaxE arimA"
        }
        try expectRefused("the author of record 1 (1JDRV6DNRB) contains the invisible (default-ignorable) character U+3164") {
            $0.records[0].author = "\u{3164}"
        }
        try expectRefused("the name of recipient 1 contains the invisible formatting character U+00AD") { $0.recipients[0].name = "Dr Sam Ex\u{AD}ample" }
        try expectRefused("the name of recipient 1 contains a line break (U+2028)") { $0.recipients[0].name = "Sam\u{2028}Example" }
        try expectRefused("the reason has leading or trailing white space") { $0.reason = " why" }
        try expectRefused("the reason is empty") { $0.reason = "" }
        try expectRefused("the reason is 201 characters long") { $0.reason = String(repeating: "r", count: 201) }
        try expectRefused("the author of record 1 (1JDRV6DNRB) is empty") { $0.records[0].author = "" }
        try expectRefused("the sender's card is not a valid identity card") {
            $0.sender.card = $0.sender.card.replacingOccurrences(of: "name: Dr Amira Example", with: "name: Dr Amira\u{202E}Example")
        }
    }

    @Test func nonCanonicalValuesAreRefused() throws {
        try expectRefused("created '2026-02-30T06:00:00Z' has day 30, but that month has 28 days") { $0.created = "2026-02-30T06:00:00Z" }
        try expectRefused("created '2026-11-24T06:00:00+00:00' is not an RFC 3339 UTC time") { $0.created = "2026-11-24T06:00:00+00:00" }
        try expectRefused("the recorded-at time of record 1 (1JDRV6DNRB) '2026-13-01T00:00:00Z' has month 13") {
            $0.records[0].recordedAt = "2026-13-01T00:00:00Z"
        }
        try expectRefused("the sender's fingerprint '") { $0.sender.fingerprint = $0.sender.fingerprint.lowercased() }
        try expectRefused("not written as displayed (upper case)") { $0.sender.fingerprint = $0.sender.fingerprint.lowercased() }
        try expectRefused("the fingerprint of recipient 1 '") { $0.recipients[0].fingerprint = $0.recipients[0].fingerprint.lowercased() }
        try expectRefused("the sender's fingerprint is not that of the sender's card") { $0.sender.fingerprint = try recipient().fingerprint }
        try expectRefused("its id is not 32 lower-case hex digits") { $0.id = $0.id.uppercased() }
        try expectRefused("the purpose 'chat' is not one Casebook knows") { $0.purpose = "chat" }
        try expectRefused("the field 'Topics' is not a section key") { $0.fields = ["Topics"] }
        try expectRefused("fields is present but names no section") { $0.fields = [] }
    }

    @Test func recordsAndRecipientsAreCountedAndUnique() throws {
        try expectRefused("it holds no records") { $0.records = [] }
        try expectRefused("record 2 (1JDRV6DNRB) has the id of an earlier record") { $0.records.append(record()) }
        try expectRefused("it names no recipient") { $0.recipients = [] }
        try expectRefused("the recipients are not sorted by fingerprint without repeats") { $0.recipients.append($0.recipients[0]) }
        let second = try recipient(11, name: "Ben Example")
        try expectRefused("the recipients are not sorted by fingerprint without repeats") {
            $0.recipients = [$0.recipients[0], second].sorted { $0.fingerprint > $1.fingerprint }
        }
    }

    @Test func exportManifestsKeepTheSameRulesAndTheirOwn() throws {
        let base = try handover()
        func export(_ change: (inout ExportManifest) throws -> Void = { _ in }) throws -> ExportManifest {
            var manifest = ExportManifest(
                format: ExportManifest.formatName, id: base.id, created: base.created, sender: base.sender,
                recipient: .init(kind: "contact", name: "Probation Example", fingerprint: base.recipients[0].fingerprint, age: nil,
                                 organisation: "probation-north", role: "supervisor"),
                delivery: "sealed", purpose: "risk-management", reason: "MAPPA level 2", client: "C-0077",
                basis: ["C0NSENT001 v1 sha256:" + String(repeating: "0", count: 64)], fields: nil, records: base.records)
            try change(&manifest)
            return try ExportManifest.decode(manifest.encoded())
        }
        try export().validate()
        try export { $0.recipient = .init(kind: "passphrase", name: nil, fingerprint: nil, age: nil, organisation: nil, role: nil) }.validate()
        let cases: [(String, (inout ExportManifest) -> Void)] = [
            ("the recipient's name contains a line break (U+000A)", { $0.recipient.name = "Probation\nExample" }),
            ("the recipient's fingerprint '", { $0.recipient.fingerprint = $0.recipient.fingerprint?.lowercased() }),
            ("the recipient is not a contact", { $0.recipient.age = "age1x" }),
            ("the recipient's organisation contains the bidirectional formatting character U+202E", { $0.recipient.organisation = "north\u{202E}" }),
            ("the reason contains the control character U+001B", { $0.reason = "\u{1B}[2J" }),
            ("a basis line contains a line break (U+000A)", { $0.basis = ["one\ntwo"] }),
            ("the client is not a valid client reference", { $0.client = "John Smith" }),
            ("the delivery 'email' is not sealed or plaintext", { $0.delivery = "email" }),
            ("created '2026-02-30T06:00:00Z' has day 30", { $0.created = "2026-02-30T06:00:00Z" }),
            ("it holds no records", { $0.records = [] }),
            ("record 2 (1JDRV6DNRB) has the id of an earlier record", { $0.records += $0.records }),
            ("the author of record 1 (1JDRV6DNRB) contains the bidirectional formatting character U+202E", { $0.records[0].author = "x\u{202E}" }),
        ]
        for (fragment, change) in cases {
            let error = #expect(throws: WireFormatError.self) { try export(change).validate() }
            #expect(error?.message.hasPrefix("export.json is not valid: ") == true)
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "accepted") — expected '\(fragment)'")
            #expect(error?.message.contains("John Smith") == false)
        }
    }
}
