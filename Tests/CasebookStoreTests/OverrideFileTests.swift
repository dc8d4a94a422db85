import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// Malformed files: each ends in one error, `.invalidInput` unless said otherwise, and nothing changes.
@Suite struct OverrideFuzzTests {
    /// Re-signs `text` as Ada, so that its form is the only thing wrong with it.
    private func signed(_ text: String, by person: Party) throws -> [UInt8] {
        try SignedNote.sign(text: text, keyName: person.keyName, privateKey: person.signingKey()).bytes
    }

    @Test func randomBytesAndEveryTruncationAreRefused() throws {
        let pair = try Pair()
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        let approval = try bytes(try pair.approve(requestURL))
        let ada = try pair.ada.vault()
        let sam = try pair.sam.vault()
        let adaBefore = try pair.ada.fixture.databaseBytes()
        let samBefore = try pair.sam.fixture.databaseBytes()
        let out = pair.sam.file("fuzz.txt")
        var generator = SystemRandomNumberGenerator()
        var randoms: [[UInt8]] = [[], [0x0A], Array("casebook-override/v1\n".utf8)]
        for _ in 0..<200 {
            randoms.append((0..<Int.random(in: 0..<600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        // Random bytes after a valid start, too.
        for _ in 0..<50 {
            randoms.append(Array(requestFile.prefix(Int.random(in: 0..<requestFile.count))) + (0..<40).map { _ in UInt8.random(in: 0...255) })
        }
        for input in randoms {
            #expect(expectCasebookError(.invalidInput) { _ = try ada.overrides.verified(input, approver: lookUp(pair.sam.party)) } != nil)
            #expect(expectCasebookError(.invalidInput) { try sam.overrides.approve(input, requester: lookUp(pair.ada.party), writingTo: out) } != nil)
        }
        // Every truncation: the one that leaves exactly the request is a request, not an approval.
        for length in 0..<approval.count {
            let prefix = Array(approval.prefix(length))
            let code: CasebookError.Code = prefix == requestFile ? .refused : .invalidInput
            #expect(expectCasebookError(code) { _ = try ada.overrides.verified(prefix, approver: lookUp(pair.sam.party)) } != nil,
                    "truncated to \(length) bytes")
        }
        for length in 0..<requestFile.count {
            #expect(expectCasebookError(.invalidInput) {
                try sam.overrides.approve(Array(requestFile.prefix(length)), requester: lookUp(pair.ada.party), writingTo: out)
            } != nil, "truncated to \(length) bytes")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try pair.ada.fixture.databaseBytes() == adaBefore)
        #expect(try pair.sam.fixture.databaseBytes() == samBefore)
    }

    @Test func nonCanonicalOrInvalidJSONIsRefusedEvenWhenSigned() throws {
        let pair = try Pair()
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        let lines = String(decoding: requestFile, as: UTF8.self).split(separator: "\n").map(String.init)
        let json = lines[1]
        let sam = try pair.sam.vault()
        let out = pair.sam.file("out.txt")
        func refused(_ text: String, _ message: String, _ code: CasebookError.Code = .invalidInput,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
            let file = try signed(text, by: pair.ada)
            let error = expectCasebookError(code) { try sam.overrides.approve(file, requester: lookUp(pair.ada.party), writingTo: out) }
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "no \(code) error") for \(text)", sourceLocation: sourceLocation)
        }
        // The genuine text re-signed is accepted as a request (the check below is not vacuous).
        let genuine = try OverrideNote(parsing: try signed("casebook-override/v1\n\(json)\n", by: pair.ada))
        #expect(genuine.request == (try OverrideNote(parsing: requestFile)).request)

        func replacing(_ old: String, _ new: String) -> String {
            precondition(json.contains(old), old)
            return "casebook-override/v1\n" + json.replacingOccurrences(of: old, with: new) + "\n"
        }
        let canonical = "not in canonical form"
        try refused("casebook-override/v1\n{ " + json.dropFirst() + "\n", canonical)
        try refused(replacing("\"client\":\"C-0042\",", "\"client\": \"C-0042\","), canonical)
        try refused("casebook-override/v1\n" + json + " \n", canonical)
        // Keys reordered: client before citation.
        try refused(replacing("{\"citation\":\"Crime and Disorder Act 1998 s.115\",\"client\":\"C-0042\",",
                              "{\"client\":\"C-0042\",\"citation\":\"Crime and Disorder Act 1998 s.115\","), canonical)
        try refused(replacing("\"client\":\"C-0042\",", "\"client\":\"C-0042\",\"colour\":\"blue\","), canonical)
        try refused(replacing("\"client\":\"C-0042\",", "\"client\":\"C-0042\",\"client\":\"C-0042\","), canonical)
        try refused(replacing("s.115", "s.\\u0031\\u0031\\u0035"), canonical)
        try refused(replacing("Act", "\\u0041ct"), canonical)
        // Missing or invalid values.
        try refused(replacing("\"client\":\"C-0042\",", ""), "(at 'client')")
        try refused(replacing("\"kind\":\"contact\"", "\"kind\":\"email\""), "(at 'recipient.kind')")
        try refused(replacing("\"purpose\":\"risk-management\"", "\"purpose\":\"gossip\""), "(at 'purpose')")
        try refused(replacing("\"consent-sought\":\"unsafe\"", "\"consent-sought\":\"maybe\""), "(at 'consent-sought')")
        try refused(replacing("\"client-informed\":\"deferred\"", "\"client-informed\":\"later\""), "(at 'client-informed')")
        try refused(replacing("\"client\":\"C-0042\"", "\"client\":\"Ahmed\""), "(at 'client')")
        try refused(replacing("10:00:00Z\",\"fields", "10:00:00.5Z\",\"fields"), "(at 'expires')")
        try refused(replacing("\"fields\":[\"risk-actions\",\"risk-new-information\"]", "\"fields\":[\"risk-new-information\",\"risk-actions\"]"),
                    "fields are not sorted and unique")
        try refused(replacing("\"fields\":[\"risk-actions\",\"risk-new-information\"]", "\"fields\":[]"), "fields name no section")
        try refused(replacing("\"fields\":[\"risk-actions\",\"risk-new-information\"]", "\"fields\":[\"risk-actions\",\"secrets\"]"),
                    "'secrets' is not a section")
        try refused(replacing("\"special-categories\":[]", "\"special-categories\":[\"family\"]"), "special category 'family' is not one")
        try refused(replacing("Crime and Disorder", "Crime\\nand Disorder"), "citation contains a line break")
        try refused(replacing("Crime and Disorder", "Crime \u{202E}and Disorder"), "bidirectional formatting character U+202E")
        try refused(replacing("Crime and Disorder", "Crime and Dis\u{AD}order"), "citation contains the invisible formatting character U+00AD")
        try refused(replacing("\"name\":\"", "\"name\":\"\u{3164}"), "name contains the invisible (default-ignorable) character U+3164")
        try refused(replacing("\"citation\":\"Crime", "\"citation\":\" Crime"), "leading or trailing white space")
        try refused(replacing("Crime and Disorder Act 1998 s.115", String(repeating: "x", count: 201)), "at most 200")
        try refused(replacing("\"id\":\"", "\"id\":\"A"), "id is not 32 lower-case hex")
        try refused(replacing("\"expires\":\"2026-11-25T10:00:00Z\"", "\"expires\":\"2026-12-24T10:00:01Z\""), "more than 30 days")
        try refused(replacing("\"expires\":\"2026-11-25T10:00:00Z\"", "\"expires\":\"2026-11-24T10:00:00Z\""), "is not after its creation")
        try refused(replacing("\"role\":\"psychologist\"", "\"role\":\"wizard\""), "requester role 'wizard'")
        try refused(replacing("\"fingerprint\":\"\(pair.sam.fingerprint)\"", "\"fingerprint\":\"\(pair.sam.fingerprint.description.lowercased())\""),
                    canonical)
        try refused(replacing("{\"fingerprint\":\"\(pair.sam.fingerprint)\",\"kind\":\"contact\",\"name\":\"Sam Supervisor\"}",
                              "{\"age\":\"\(pair.sam.card.ageRecipient)\",\"kind\":\"age\",\"name\":\"Sam Supervisor\"}"), "only a contact has one")
        let age = pair.sam.card.ageRecipient
        let badAge = age.dropLast() + (age.hasSuffix("q") ? "p" : "q")
        try refused(replacing("{\"fingerprint\":\"\(pair.sam.fingerprint)\",\"kind\":\"contact\",\"name\":\"Sam Supervisor\"}",
                              "{\"age\":\"\(badAge)\",\"kind\":\"age\"}"), "not a valid age X25519 recipient")
        // The text around the JSON.
        try refused("casebook-override/v2\n\(json)\n", "format 'casebook-override/v2'")
        try refused("casebook-consent/v1\n\(json)\n", "first line must be casebook-override/v1")
        try refused("casebook-override/v1\n\(json)\nmore\n", "exactly two lines")
        try refused("casebook-override/v1\n", "exactly two lines")
        try refused("casebook-override/v1\n\(json)\n\n\(json)\n", "exactly two lines")
        // Signed by Sam's key, though it names Ada as the requester.
        let bySam = try signed("casebook-override/v1\n\(json)\n", by: pair.sam)
        #expect(expectCasebookError(.invalidInput) { _ = try OverrideNote(parsing: bySam) }?.message.contains("first signature is not by the requester") == true)
        // A key name that is not a Casebook identity key name.
        let other = try SignedNote.sign(text: "casebook-override/v1\n\(json)\n", keyName: "example.com/\(pair.ada.fingerprint)",
                                        privateKey: pair.ada.signingKey()).bytes
        #expect(expectCasebookError(.invalidInput) { _ = try OverrideNote(parsing: other) }?.message.contains("not by a Casebook identity key") == true)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

@Suite struct OverrideRequestInputTests {
    @Test func badInputIsRefusedAndChangesNothing() throws {
        let pair = try Pair()
        let url = pair.ada.file("request.txt")
        func request(client: String = "C-0042", to: OverrideRecipient? = nil, fields: [String] = ["plan"], special: [String] = [],
                     citation: String = "A citation", justification: String = "A justification", reason: String = "A reason",
                     expires: Date = start.addingTimeInterval(day)) throws {
            try pair.ada.vault().overrides.request(
                client: try ClientReference(client), to: to ?? .contact(pair.sam.fingerprint), purpose: .court, fields: fields,
                specialCategories: special, citation: citation, justification: justification, consentSought: .no, reason: reason,
                clientInformed: .no, expires: expires, writingTo: url)
        }
        func refused(_ code: CasebookError.Code, _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) throws {
            let error = try expectRefusal(code, in: pair.ada, output: url, sourceLocation: sourceLocation, body)
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "-")", sourceLocation: sourceLocation)
        }
        try refused(.invalidInput, "has already passed") { try request(expires: start) }
        try refused(.invalidInput, "has already passed") { try request(expires: start.addingTimeInterval(-day)) }
        try refused(.invalidInput, "more than 30 days ahead; the latest is 2026-12-24T10:00:00Z") {
            try request(expires: start.addingTimeInterval(30 * day + 1))
        }
        try refused(.invalidInput, "fields name no section") { try request(fields: []) }
        try refused(.invalidInput, "'nonsense' is not a section") { try request(fields: ["plan", "nonsense"]) }
        try refused(.invalidInput, "special category 'family' is not one") { try request(special: ["family"]) }
        try refused(.invalidInput, "citation is empty") { try request(citation: "   ") }
        try refused(.invalidInput, "citation contains a line break") { try request(citation: "one\ntwo") }
        try refused(.invalidInput, "reason contains a line break") { try request(reason: "one\u{2028}two") }
        try refused(.invalidInput, "justification contains the control character U+0007") { try request(justification: "bell\u{7}") }
        try refused(.invalidInput, "citation is 201 characters") { try request(citation: String(repeating: "c", count: 201)) }
        try refused(.invalidInput, "justification is 2001 characters") { try request(justification: String(repeating: "j", count: 2001)) }
        try refused(.invalidInput, "reason is 501 characters") { try request(reason: String(repeating: "r", count: 501)) }
        // Within the character limits but too long for the signed line (4-byte characters).
        try refused(.invalidInput, "fit on its signed line") {
            try request(citation: String(repeating: "\u{1D11E}", count: 200), justification: String(repeating: "\u{1D11E}", count: 2000),
                        reason: String(repeating: "\u{1D11E}", count: 500))
        }
        let stranger = try Party("Someone Else", role: .mentor, clock: start)
        try refused(.notFound, "no contact with the fingerprint") { try request(to: .contact(stranger.fingerprint)) }
        // An erased client.
        let vault = try pair.ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii(client: "C-0099")))
        _ = try vault.erasure.erase(try ClientReference("C-0099"), reason: "erasure request")
        try refused(.invalidInput, "was erased") { try request(client: "C-0099") }
        // The longest texts fit, in ASCII.
        try request(citation: String(repeating: "c", count: 200), justification: String(repeating: "j", count: 2000),
                    reason: String(repeating: "r", count: 500), expires: start.addingTimeInterval(30 * day))
        #expect(try bytes(url).count > 2700)
        // Never overwritten.
        let written = try bytes(url)
        #expect(try expectRefusal(.alreadyExists, in: pair.ada) { try request() }?.message.contains("already exists") == true)
        #expect(try bytes(url) == written)
    }

    @Test func expiryArgumentsAreTheEndOfTheDayOrAnExactTime() throws {
        #expect(try OverrideExpiry.parse("2026-12-03") == Timestamp.parse("2026-12-04T00:00:00Z"))
        #expect(try OverrideExpiry.parse("2026-12-31") == Timestamp.parse("2027-01-01T00:00:00Z"))
        #expect(try OverrideExpiry.parse("2026-12-03T15:30:00Z") == Timestamp.parse("2026-12-03T15:30:00Z"))
        for bad in ["2026-02-30", "2026-13-01", "26-12-03", "2026-12-3", "2026/12/03", "2026-12-03T15:30:00+01:00", "2026-12-03T15:30Z",
                    "2026-12-03T15:30:00.5Z", "tomorrow", "", "２０２６-12-03"] {
            #expect(expectCasebookError(.invalidArgument) { _ = try OverrideExpiry.parse(bad) } != nil, "\(bad)")
        }
    }
}

/// The worked example of docs/formats.md §8.5, regenerated from the Keys-example personas
/// (whose keys are published) and compared byte for byte; the library accepts it.
@Suite struct OverrideWorkedExampleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func identity(_ persona: String) throws -> IdentitySecrets {
        var raw = Array(try Data(contentsOf: repository.appendingPathComponent("Keys-example/\(persona).identity")))
        return try IdentityFile.parse(SecureBytes(consuming: &raw))
    }

    static func card(_ persona: String) throws -> IdentityCard {
        try IdentityCard.parse(bytes: Data(contentsOf: repository.appendingPathComponent("Keys-example/\(persona).card")))
    }

    static func request() throws -> OverrideRequest {
        OverrideRequest(
            id: "5f0c2a9e8b3d4e61a7c9d2f40b18e6c3", created: Timestamp.parse("2026-11-24T10:00:00Z")!,
            expires: Timestamp.parse("2026-11-28T00:00:00Z")!,
            requester: .init(fingerprint: try card("psychologist").fingerprint, name: "Dr Amira Example", role: "psychologist"),
            client: try ClientReference("C-0042"),
            recipient: .init(target: try OverrideRecipient(ageRecipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"), name: nil),
            purpose: .riskManagement, fields: ["risk-actions", "risk-new-information"], specialCategories: [],
            citation: "Crime and Disorder Act 1998 s.115",
            justification: "A named person is at risk of serious harm; the police need the new risk information today.",
            consentSought: .unsafe, reason: "Asking the client would alert him and raise the risk.", clientInformed: .deferred)
    }

    @Test func theDocumentedExampleIsWhatCasebookWritesAndAccepts() throws {
        let request = try Self.request().validated()
        let text = "casebook-override/v1\n" + String(decoding: request.canonicalJSON(), as: UTF8.self) + "\n"
        let amiraCard = try Self.card("psychologist"), samCard = try Self.card("supervisor")
        let amira = try Self.identity("psychologist"), sam = try Self.identity("supervisor")
        let requestNote = try SignedNote.sign(text: text, keyName: OverrideNote.keyName(for: amiraCard.fingerprint), privateKey: amira.signing)
        let approvalNote = try requestNote.addingSignature(keyName: OverrideNote.keyName(for: samCard.fingerprint), privateKey: sam.signing)
        print("override worked example request:\n\(requestNote.string)")
        print("override worked example approval:\n\(approvalNote.string)")
        print("override worked example approval sha256: \(Hex.encode(SHA256.hash(approvalNote.bytes)))")
        // docs/formats.md shows the approval file exactly.
        let docs = try String(contentsOf: Self.repository.appendingPathComponent("docs/formats.md"), encoding: .utf8)
        let section = try #require(docs.range(of: "### 8.5 Worked example")).upperBound
        #expect(docs[section...].contains("```\n" + approvalNote.string + "```"))
        #expect(docs[section...].contains(Hex.encode(SHA256.hash(approvalNote.bytes))))
        for (card, secrets) in [(amiraCard, amira.minisignPublicKey), (samCard, sam.minisignPublicKey)] {
            let vkey = try NoteVerifier(name: OverrideNote.keyName(for: card.fingerprint), publicKey: secrets.key).vkey
            #expect(docs[section...].contains("    " + vkey + "\n"))
        }

        // Amira's vault accepts it while it is valid, with Sam as a contact; Sam's vault approves the request.
        let amiraVault = try VaultFixture(name: "Dr Amira Example", role: .psychologist, identity: Self.identity("psychologist"))
        let during = Timestamp.parse("2026-11-25T09:00:00Z")!
        let vault = try Vault.open(store: SQLiteVaultStore.open(in: amiraVault.vaultURL, readOnly: false), passphrase: secret(testPassphrase),
                                   clock: Clock { during })
        let verified = try vault.overrides.verified(approvalNote.bytes, approver: lookUp(HandoverParty(name: "Dr Sam Example", card: samCard)))
        #expect(verified.request == request)
        let samVault = try VaultFixture(name: "Dr Sam Example", role: .supervisor, identity: Self.identity("supervisor"))
        let approving = try Vault.open(store: SQLiteVaultStore.open(in: samVault.vaultURL, readOnly: false), passphrase: secret(testPassphrase),
                                       clock: Clock { during })
        let (_, _, approval) = try approving.overrides.approve(requestNote.bytes, requester: lookUp(HandoverParty(name: "Dr Amira Example", card: amiraCard)),
                                                             writingTo: samVault.folder.file("approval.txt"))
        #expect(approval == approvalNote.bytes)
    }
}
