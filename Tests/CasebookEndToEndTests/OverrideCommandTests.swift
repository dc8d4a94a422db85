import Foundation
import Testing
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// Lawful-basis overrides through the built binary, with the example personas of
/// Keys-example/: Dr Amira Example (psychologist) requests, Dr Sam Example (supervisor)
/// approves.
@Suite struct OverrideCommandTests {
    static let amiraFingerprint = ExamplePersona.fingerprints["psychologist"]!
    static let samFingerprint = ExamplePersona.fingerprints["supervisor"]!
    static let citation = "Crime and Disorder Act 1998 s.115"

    private func amira() throws -> CLIFixture {
        try ExamplePersona.vault("psychologist", contacts: ["supervisor", "mentor"])
    }

    private func sam(knowingAmira: Bool = true) throws -> CLIFixture {
        try ExamplePersona.vault("supervisor", contacts: knowingAmira ? ["psychologist"] : [])
    }

    /// `YYYY-MM-DD`, `days` from today (UTC).
    private func date(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    private func requestArguments(_ output: String, to recipient: String = "Dr Sam Example", changing: [String: String] = [:],
                                  without: Set<String> = []) -> [String] {
        let options: [(String, String)] = [
            ("--client", "C-0042"), ("--to", recipient), ("--purpose", "risk-management"),
            ("--fields", "risk-new-information,risk-actions"), ("--citation", Self.citation),
            ("--justification", "Serious risk of harm to a named person; the police need the risk sections today."),
            ("--consent-sought", "unsafe"), ("--reason", "Asking would alert the client and raise the risk."),
            ("--client-informed", "deferred"), ("--expires", date(3)), ("-o", output),
        ]
        var arguments = ["override", "request"]
        for (flag, value) in options where !without.contains(flag) {
            arguments += [flag, changing[flag] ?? value]
        }
        for (flag, value) in changing where !options.contains(where: { $0.0 == flag }) {
            arguments += [flag, value]
        }
        return arguments
    }

    private func request(_ cli: CLIFixture, _ output: String, to recipient: String = "Dr Sam Example") throws {
        let result = try cli.runner.run(requestArguments(output, to: recipient))
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func theSupervisorApprovesAndTheRequestersVaultAcceptsTheApproval() throws {
        let amira = try amira()
        let sam = try sam()
        let requestPath = amira.folder.file("c0042-override.txt").path
        let requested = try amira.runner.run(requestArguments(requestPath))
        #expect(requested.status == 0, "\(requested.stderr)")
        #expect(requested.stdout.contains("Wrote override request "))
        #expect(requested.stdout.contains("recipient:      Dr Sam Example (\(Self.samFingerprint))"))
        #expect(requested.stdout.contains("fields:         risk-actions, risk-new-information"))
        #expect(requested.stdout.contains("expires:        \(date(4))T00:00:00Z"))
        #expect(try FileManager.default.attributesOfItem(atPath: requestPath)[.posixPermissions] as? Int == 0o600)
        let requestText = try String(contentsOfFile: requestPath, encoding: .utf8)
        #expect(requestText.hasPrefix("casebook-override/v1\n{\"citation\":\"\(Self.citation)\""))
        #expect(requestText.contains("\n\n\u{2014} casebook.example/identity/\(Self.amiraFingerprint) "))
        #expect(try amira.run("audit", "log").stdout.contains("override.requested"))

        // Sam reads it first: nothing changes.
        let before = sam.snapshot()
        let shown = try sam.run("override", "show", requestPath)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("(request, not yet approved)"))
        #expect(shown.stdout.contains("justification:  Serious risk of harm"))
        #expect(shown.stdout.contains("signature 1:    requester \(Self.amiraFingerprint), Dr Amira Example (psychologist): verified"))
        #expect(sam.snapshot() == before)

        let approvalPath = sam.folder.file("c0042-approval.txt").path
        let approved = try sam.run("override", "approve", requestPath, "-o", approvalPath)
        #expect(approved.status == 0, "\(approved.stderr)")
        for line in ["requester:      Dr Amira Example (\(Self.amiraFingerprint))", "client:         C-0042",
                     "recipient:      Dr Sam Example (\(Self.samFingerprint))", "purpose:        risk-management",
                     "fields:         risk-actions, risk-new-information", "citation:       \(Self.citation)",
                     "expires:        \(date(4))T00:00:00Z"] {
            #expect(approved.stdout.contains(line), "\(line) in \(approved.stdout)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: approvalPath)[.posixPermissions] as? Int == 0o600)
        let approvalText = try String(contentsOfFile: approvalPath, encoding: .utf8)
        #expect(approvalText.hasPrefix(requestText))
        #expect(approvalText.dropFirst(requestText.count).hasPrefix("\u{2014} casebook.example/identity/\(Self.samFingerprint) "))
        #expect(try sam.run("audit", "log").stdout.contains("override.approved"))

        // In Amira's vault both signatures verify.
        let json = try amira.run("override", "show", approvalPath, "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "approval")
        #expect(object["expired"] as? Bool == false)
        let signatures = try #require(object["signatures"] as? [[String: Any]])
        #expect(signatures.map { $0["fingerprint"] as? String } == [Self.amiraFingerprint, Self.samFingerprint])
        #expect(signatures.map { $0["verified"] as? Bool } == [true, true])
        #expect(signatures.map { $0["this-vault"] as? Bool } == [true, false])
        let request = try #require(object["request"] as? [String: Any])
        #expect(request["citation"] as? String == Self.citation)
        #expect(request["consent-sought"] as? String == "unsafe")

        // What export calls accepts the files the commands wrote, in Amira's vault only.
        let approval = try [UInt8](Data(contentsOf: URL(fileURLWithPath: approvalPath)))
        let amiraVault = try open(amira)
        let verified = try amiraVault.overrides.verified(approval) { try amiraVault.contacts.contact(withFingerprint: $0).map { HandoverParty(name: $0.name, card: $0.card) } }
        #expect(verified.approver.name == "Dr Sam Example")
        try verified.check(client: try ClientReference("C-0042"), recipient: .contact(try IdentityFingerprint(parsing: Self.samFingerprint)),
                           purpose: .riskManagement, fields: ["risk-actions"], specialCategories: [])
        let samVault = try open(sam)
        #expect(throws: CasebookError.self) {
            _ = try samVault.overrides.verified(approval) { try samVault.contacts.contact(withFingerprint: $0).map { HandoverParty(name: $0.name, card: $0.card) } }
        }
    }

    @Test func refusedApprovalsExitWithTheirStatusAndChangeNothing() throws {
        let amira = try amira()
        let sam = try sam()
        let requestPath = amira.folder.file("request.txt").path
        try request(amira, requestPath)
        let out = sam.folder.file("approval.txt").path
        func absent(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written", sourceLocation: sourceLocation)
        }
        // Amira cannot approve her own request.
        let own = amira.folder.file("own.txt").path
        try amira.expectFailure(8, ["override", "approve", requestPath, "-o", own], message: "cannot approve your own")
        absent(own)
        // Ben, a mentor, cannot approve.
        let ben = try ExamplePersona.vault("mentor", contacts: ["psychologist"])
        let benOut = ben.folder.file("approval.txt").path
        try ben.expectFailure(8, ["override", "approve", requestPath, "-o", benOut], message: "only a supervisor can approve")
        absent(benOut)
        // A supervisor who does not have Amira as a contact.
        let stranger = try self.sam(knowingAmira: false)
        let strangerOut = stranger.folder.file("approval.txt").path
        let unknown = try stranger.expectFailure(4, ["override", "approve", requestPath, "-o", strangerOut], message: "not in your contacts")
        #expect(unknown.stderr.contains("hint: "))
        absent(strangerOut)
        // Damaged or altered files.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: requestPath)))
        func variant(_ name: String, _ change: ([UInt8]) -> [UInt8]) throws -> String {
            let url = sam.folder.file(name)
            try Data(change(bytes)).write(to: url)
            return url.path
        }
        let disorder = Array("Disorder".utf8)
        let citationAt = try #require(bytes.indices.first { bytes[$0...].starts(with: disorder) })
        let altered = try variant("altered.txt") { var copy = $0; copy[citationAt] = UInt8(ascii: "d"); return copy }
        try sam.expectFailure(6, ["override", "approve", altered, "-o", out], message: "do not verify")
        let signatureAt = bytes.count - 30
        let badSignature = try variant("bad-signature.txt") { var copy = $0; copy[signatureAt] = copy[signatureAt] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A"); return copy }
        try sam.expectFailure(6, ["override", "approve", badSignature, "-o", out], message: "do not verify")
        let truncated = try variant("truncated.txt") { Array($0.prefix($0.count - 20)) }
        try sam.expectFailure(3, ["override", "approve", truncated, "-o", out], message: "not a valid override file")
        let noise = try variant("noise.txt") { _ in (0..<500).map { _ in UInt8.random(in: 0...255) } }
        try sam.expectFailure(3, ["override", "approve", noise, "-o", out], message: "not a valid override file")
        try sam.expectFailure(3, ["override", "show", noise], message: "not a valid override file")
        try sam.expectFailure(4, ["override", "approve", sam.folder.file("missing.txt").path, "-o", out], message: "cannot read")
        absent(out)
        // The output is never overwritten.
        let existing = try sam.folder.write("existing.txt", "keep")
        try sam.expectFailure(7, ["override", "approve", requestPath, "-o", existing.path], message: "already exists")
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep")
        // An approval is not approved again.
        #expect(try sam.run("override", "approve", requestPath, "-o", out).status == 0)
        let again = sam.folder.file("again.txt").path
        try sam.expectFailure(3, ["override", "approve", out, "-o", again], message: "already approved")
        absent(again)
    }

    @Test func anExpiredRequestIsNotApproved() throws {
        let amira = try amira()
        let sam = try sam()
        // Made through the library with Amira's vault clock set ten days back.
        let past = Date().addingTimeInterval(-10 * 86_400)
        let vault = try open(amira, clock: Clock { past })
        let path = amira.folder.file("old.txt")
        try vault.overrides.request(client: try ClientReference("C-0042"), to: .contact(try IdentityFingerprint(parsing: Self.samFingerprint)),
                                  purpose: .court, fields: ["plan"], citation: "Court order", justification: "Ordered.",
                                  consentSought: .yes, reason: "Refused.", clientInformed: .yes,
                                  expires: past.addingTimeInterval(86_400), writingTo: path)
        let out = sam.folder.file("approval.txt").path
        try sam.expectFailure(8, ["override", "approve", path.path, "-o", out], message: "expired at")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try sam.run("override", "show", path.path).stdout.contains("status:         expired"))
    }

    @Test func badRequestOptionsExitWithTheirStatusAndChangeNothing() throws {
        let amira = try amira()
        let out = amira.folder.file("request.txt").path
        func refused(_ status: Int32, _ message: String, changing: [String: String] = [:], without: Set<String> = [],
                     to recipient: String = "Dr Sam Example", sourceLocation: SourceLocation = #_sourceLocation) throws {
            try amira.expectFailure(status, requestArguments(out, to: recipient, changing: changing, without: without), message: message,
                                    sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: out), "the request was written", sourceLocation: sourceLocation)
        }
        try refused(2, "--expires '2026-13-01' is not a date", changing: ["--expires": "2026-13-01"])
        try refused(2, "is not a date", changing: ["--expires": "next week"])
        try refused(2, "is not a date", changing: ["--expires": "2026-12-03T10:00:00+01:00"])
        try refused(3, "has already passed", changing: ["--expires": date(-1)])
        try refused(3, "more than 30 days ahead", changing: ["--expires": date(31)])
        try refused(3, "'nonsense' is not a section", changing: ["--fields": "plan,nonsense"])
        try refused(2, "--fields 'plan,,focus' has an empty entry", changing: ["--fields": "plan,,focus"])
        try refused(3, "special category 'family' is not one", changing: ["--special-categories": "family"])
        try refused(2, "--purpose", changing: ["--purpose": "gossip"])
        try refused(2, "--consent-sought", changing: ["--consent-sought": "maybe"])
        try refused(2, "--client-informed", changing: ["--client-informed": "later"])
        try refused(2, "--citation", without: ["--citation"])
        try refused(2, "--expires", without: ["--expires"])
        try refused(3, "citation is 201 characters", changing: ["--citation": String(repeating: "c", count: 201)])
        try refused(3, "reason contains a line break", changing: ["--reason": "one\ntwo"])
        try refused(3, "not a valid client reference", changing: ["--client": "Ahmed"])
        try refused(4, "no contact named 'Nobody'", to: "Nobody")
        try refused(3, "not a valid age X25519 recipient", to: "age1notarecipient")
        // An age recipient and special categories are accepted.
        let age = try String(contentsOf: ExamplePersona.file("compliance.card"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("age: ") }.map { String($0.dropFirst(5)) }
        let recipient = try #require(age)
        let made = try amira.runner.run(requestArguments(out, to: recipient, changing: ["--special-categories": "health"]))
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("recipient:      \(recipient)"))
        #expect(made.stdout.contains("special:        health"))
        // The output is never overwritten.
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        try amira.expectFailure(7, requestArguments(out), message: "already exists")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
    }

    @Test func helpCoversTheOverrideCommands() throws {
        let cli = try CLIFixture()
        for command in [["override"], ["override", "request"], ["override", "approve"], ["override", "show"]] {
            let result = try cli.runner.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE: casebook \(command.joined(separator: " "))"), "\(command): \(result.stdout)")
        }
        let help = try cli.runner.run(["override", "request", "--help"]).stdout
        for flag in ["--client", "--to", "--purpose", "--fields", "--special-categories", "--citation", "--justification",
                     "--consent-sought", "--reason", "--client-informed", "--expires", "--output"] {
            #expect(help.contains(flag), "\(flag)")
        }
        #expect(try cli.runner.run(["--help"]).stdout.contains("override"))
    }

    /// The vault of a CLI fixture, opened through the library.
    private func open(_ cli: CLIFixture, clock: Clock = .system) throws -> Vault {
        var passphrase = Array("correct horse battery staple".utf8)
        return try Vault.open(store: SQLiteVaultStore.open(in: cli.vault, readOnly: false), passphrase: SecureBytes(consuming: &passphrase),
                              clock: clock)
    }
}
