import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// 2026-11-24T10:00:00Z: the fake "now" of these tests.
private let start = Date(timeIntervalSince1970: 1_795_514_400)
private let day: TimeInterval = 86_400

extension Party {
    var keyName: String { OverrideNote.keyName(for: fingerprint) }

    /// A card with this person's signing key but a new age key: another fingerprint, the same signer.
    func twinCard(name: String, role: PractitionerRole) throws -> IdentityCard {
        let keyID = raw.withUnsafeBytes { Array($0[64..<72]) }
        let twin = IdentitySecrets(agreement: X25519.PrivateKey(), signing: try signingKey(), signingKeyID: keyID)
        return try IdentityCard.make(name: name, role: role.rawValue, created: "2026-11-24T09:00:00Z", identity: twin)
    }
}

private func lookUp(_ parties: HandoverParty...) -> (IdentityFingerprint) -> HandoverParty? {
    { fingerprint in parties.first { $0.card.fingerprint == fingerprint } }
}

private func bytes(_ url: URL) throws -> [UInt8] { try [UInt8](Data(contentsOf: url)) }

/// Runs `body`, which must fail with `code`, and checks that the vault's database and audit
/// log did not change and that `output` (when given) was not created.
@discardableResult
private func expectRefusal(_ code: CasebookError.Code, in person: Party, output: URL? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws -> CasebookError? {
    let before = try person.fixture.databaseBytes()
    let events = try person.vault().auditEvents().count
    let error = expectCasebookError(code, body)
    #expect(error != nil, "expected a \(code) error", sourceLocation: sourceLocation)
    #expect(try person.fixture.databaseBytes() == before, "the database changed", sourceLocation: sourceLocation)
    #expect(try person.vault().auditEvents().count == events, "an audit event was added", sourceLocation: sourceLocation)
    if let output { #expect(!FileManager.default.fileExists(atPath: output.path), "\(output.lastPathComponent) was written", sourceLocation: sourceLocation) }
    return error
}

/// Ada (psychologist) and Sam (supervisor), each with the other as a contact.
private struct Pair {
    let ada: Party
    let sam: Party

    init() throws {
        ada = try Party("Dr Ada Example", role: .psychologist, clock: start)
        sam = try Party("Sam Supervisor", role: .supervisor, clock: start)
        try ada.vault().addContact(card: sam.card, confirmation: .fingerprint(sam.card.fingerprint.description))
        try sam.vault().addContact(card: ada.card, confirmation: .fingerprint(ada.card.fingerprint.description))
    }

    /// Ada requests an override to Sam (as a contact) at `time`, expiring a day later.
    func request(at time: Date = start, name: String = "request.txt", fields: [String] = ["risk-new-information", "risk-actions"],
                 specialCategories: [String] = [], expires: Date? = nil) throws -> (OverrideRequest, URL) {
        let url = ada.file(name)
        let (request, _) = try ada.vault(at: time).requestOverride(
            client: try ClientReference("C-0042"), to: .contact(sam.fingerprint), purpose: .riskManagement, fields: fields,
            specialCategories: specialCategories, citation: "Crime and Disorder Act 1998 s.115",
            justification: "Serious risk of harm to a named person; the police need the risk sections today.",
            consentSought: .unsafe, reason: "Asking would alert the client and raise the risk.", clientInformed: .deferred,
            expires: expires ?? time.addingTimeInterval(day), writingTo: url)
        return (request, url)
    }

    /// Sam approves the request file at `time`.
    func approve(_ request: URL, at time: Date = start.addingTimeInterval(3600), name: String = "approval.txt") throws -> URL {
        let url = sam.file(name)
        try sam.vault(at: time).approveOverride(try bytes(request), requester: lookUp(ada.party), writingTo: url)
        return url
    }
}

@Suite struct OverrideTests {
    @Test func aRequestApprovedByTheSupervisorVerifiesInTheRequestersVault() throws {
        let pair = try Pair()
        let (request, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        // The request file: the format line, the canonical JSON, one signature by Ada.
        let text = String(decoding: requestFile, as: UTF8.self)
        #expect(text.hasPrefix("casebook-override/v1\n{\"citation\":\"Crime and Disorder Act 1998 s.115\",\"client\":\"C-0042\","))
        #expect(text.hasSuffix("\n\n\u{2014} \(pair.ada.keyName) " + text.split(separator: " ").last!))
        let attributes = try FileManager.default.attributesOfItem(atPath: requestURL.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(request.fields == ["risk-actions", "risk-new-information"])
        #expect(request.recipient == .init(target: .contact(pair.sam.fingerprint), name: "Sam Supervisor"))
        #expect(request.requester == .init(fingerprint: pair.ada.fingerprint, name: "Dr Ada Example", role: "psychologist"))
        #expect(request.created == start)
        #expect(request.expires == start.addingTimeInterval(day))
        #expect(NoteVerifier.isValidKeyName(pair.ada.keyName))
        let parsed = try OverrideNote(parsing: requestFile)
        #expect(parsed.request == request)
        #expect(parsed.signers == [pair.ada.fingerprint])
        // Audited in Ada's vault, without the justification or reason.
        let requested = try #require(try pair.ada.vault().auditEvents().last)
        #expect(requested.action == .overrideRequested)
        #expect(requested.override == request.id)
        #expect(requested.client == "C-0042")
        #expect(requested.purpose == "risk-management")
        #expect(requested.fields == ["risk-actions", "risk-new-information"])
        #expect(requested.recipients == [pair.sam.fingerprint.description])
        #expect(requested.citation == "Crime and Disorder Act 1998 s.115" && requested.detail == nil)
        #expect(requested.digest == Hex.encode(SHA256.hash(requestFile)))

        // Sam countersigns: the same note with one more signature line.
        let approvalURL = try pair.approve(requestURL)
        let approval = try bytes(approvalURL)
        #expect(Array(approval.prefix(requestFile.count)) == requestFile)
        let added = String(decoding: approval.dropFirst(requestFile.count), as: UTF8.self)
        #expect(added.hasPrefix("\u{2014} \(pair.sam.keyName) ") && added.hasSuffix("\n") && added.filter { $0 == "\n" }.count == 1)
        let approved = try #require(try pair.sam.vault().auditEvents().last)
        #expect(approved.action == .overrideApproved)
        #expect(approved.override == request.id)
        #expect(approved.fingerprint == pair.ada.fingerprint.description)
        #expect(approved.digest == Hex.encode(SHA256.hash(approval)))

        // Ada's vault accepts it, with Sam as the approver.
        let ada = try pair.ada.vault(at: start.addingTimeInterval(7200))
        let verified = try ada.verifiedOverride(approval) { try ada.contact(withFingerprint: $0).map { HandoverParty(name: $0.name, card: $0.card) } }
        #expect(verified.request == request)
        #expect(verified.id == request.id)
        #expect(verified.approver.card.fingerprint == pair.sam.fingerprint)
        #expect(verified.digest == Hex.encode(SHA256.hash(approval)))
        #expect(verified.basis == "override \(request.id) \"Crime and Disorder Act 1998 s.115\" approved by \(pair.sam.fingerprint)")
        // What it covers, and nothing else.
        let client = try ClientReference("C-0042")
        let to = OverrideRecipient.contact(pair.sam.fingerprint)
        try verified.check(client: client, recipient: to, purpose: .riskManagement, fields: ["risk-actions"], specialCategories: [])
        try verified.check(client: client, recipient: to, purpose: .riskManagement, fields: ["risk-actions", "risk-new-information"],
                           specialCategories: ["family"])
        let otherClient = expectCasebookError(.refused) {
            try verified.check(client: try ClientReference("C-0043"), recipient: to, purpose: .riskManagement, fields: ["risk-actions"], specialCategories: [])
        }
        #expect(otherClient?.message.contains("is for client C-0042, not C-0043") == true)
        let otherRecipient = expectCasebookError(.refused) {
            try verified.check(client: client, recipient: .contact(pair.ada.fingerprint), purpose: .riskManagement, fields: ["risk-actions"],
                               specialCategories: [])
        }
        #expect(otherRecipient?.message.contains("not contact \(pair.ada.fingerprint)") == true)
        let ageRecipient = expectCasebookError(.refused) {
            try verified.check(client: client, recipient: .age(pair.sam.card.ageRecipient), purpose: .riskManagement, fields: ["risk-actions"],
                               specialCategories: [])
        }
        #expect(ageRecipient?.message.contains("not age recipient") == true)
        let otherPurpose = expectCasebookError(.refused) {
            try verified.check(client: client, recipient: to, purpose: .court, fields: ["risk-actions"], specialCategories: [])
        }
        #expect(otherPurpose?.message.contains("is for the purpose risk-management, not court") == true)
        let otherFields = expectCasebookError(.refused) {
            try verified.check(client: client, recipient: to, purpose: .riskManagement, fields: ["risk-actions", "plan", "focus"], specialCategories: [])
        }
        #expect(otherFields?.message.contains("does not cover the sections 'focus', 'plan'") == true)
        let special = expectCasebookError(.refused) {
            try verified.check(client: client, recipient: to, purpose: .riskManagement, fields: ["risk-actions"], specialCategories: ["health"])
        }
        #expect(special?.message.contains("does not name the special category health") == true)
    }

    @Test func specialCategoriesAndAgeRecipientsAreNamedExplicitly() throws {
        let pair = try Pair()
        let url = pair.ada.file("age.txt")
        let outsider = try Party("Outside Example", role: .mentor, clock: start)
        let (request, _) = try pair.ada.vault().requestOverride(
            client: try ClientReference("C-0042"), to: try OverrideRecipient(ageRecipient: outsider.card.ageRecipient), purpose: .court,
            fields: ["risk-observations", "risk-observations", "guidance"], specialCategories: ["religious-belief", "religious-belief"],
            citation: "  Court order 2026/117  ", justification: "The court ordered disclosure.", consentSought: .yes,
            reason: "The client refused.", clientInformed: .yes, expires: start.addingTimeInterval(30 * day), writingTo: url)
        #expect(request.fields == ["guidance", "risk-observations"])
        #expect(request.specialCategories == ["religious-belief"])
        #expect(request.citation == "Court order 2026/117")
        #expect(request.recipient == .init(target: .age(outsider.card.ageRecipient), name: nil))
        #expect(String(decoding: try bytes(url), as: UTF8.self).contains("\"recipient\":{\"age\":\"\(outsider.card.ageRecipient)\",\"kind\":\"age\"}"))
        let approval = try pair.approve(url)
        let verified = try pair.ada.vault().verifiedOverride(try bytes(approval), approver: lookUp(pair.sam.party))
        try verified.check(client: try ClientReference("C-0042"), recipient: .age(outsider.card.ageRecipient), purpose: .court,
                           fields: ["guidance"], specialCategories: ["religious-belief"])
        #expect(expectCasebookError(.refused) {
            try verified.check(client: try ClientReference("C-0042"), recipient: .age(outsider.card.ageRecipient), purpose: .court,
                               fields: ["guidance"], specialCategories: ["religious-belief", "health"])
        }?.message.contains("special category health") == true)
        // The age recipient is checked strictly.
        #expect(expectCasebookError(.invalidInput) { _ = try OverrideRecipient(ageRecipient: outsider.card.ageRecipient.uppercased()) } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try OverrideRecipient(ageRecipient: "age1pqxyz") } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try OverrideRecipient(ageRecipient: "ssh-ed25519 AAAA") }?.message.contains("not supported") == true)
    }

    @Test func selfApprovalIsRefusedInEveryForm() throws {
        let pair = try Pair()
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        // Ada approving her own request in her own vault.
        let out = pair.ada.file("self-approval.txt")
        let own = try expectRefusal(.refused, in: pair.ada, output: out) {
            try pair.ada.vault().approveOverride(requestFile, requester: lookUp(pair.ada.party, pair.sam.party), writingTo: out)
        }
        #expect(own?.message.contains("cannot approve your own") == true)
        // A hand-made note carrying Ada's signature twice.
        let line = try #require(String(decoding: requestFile, as: UTF8.self).split(separator: "\n").last)
        let doubled = requestFile + Array((line + "\n").utf8)
        #expect(try OverrideNote(parsing: doubled).signers == [pair.ada.fingerprint, pair.ada.fingerprint])
        let twice = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(doubled, approver: lookUp(pair.ada.party, pair.sam.party))
        }
        #expect(twice?.message.contains("approved with your own key") == true)
        // Ada's key under a "supervisor" card with another age key (another fingerprint): the same signer.
        let twin = try pair.ada.twinCard(name: "Dr Sam Lookalike", role: .supervisor)
        #expect(twin.fingerprint != pair.ada.fingerprint)
        let note = try SignedNote(parsing: requestFile)
        let cosigned = try note.addingSignature(keyName: OverrideNote.keyName(for: twin.fingerprint), privateKey: pair.ada.signingKey()).bytes
        let viaTwin = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(cosigned, approver: lookUp(HandoverParty(name: "Dr Sam Lookalike", card: twin)))
        }
        #expect(viaTwin?.message.contains("approved with your own key") == true)
        // Sam approving a request he made himself under a second card that carries his signing key.
        let samTwin = try pair.sam.twinCard(name: "Sam's Other Card", role: .psychologist)
        var forged = try OverrideNote(parsing: requestFile).request
        forged.requester = .init(fingerprint: samTwin.fingerprint, name: "Sam's Other Card", role: "psychologist")
        let forgedNote = try SignedNote.sign(text: "casebook-override/v1\n" + String(decoding: forged.canonicalJSON(), as: UTF8.self) + "\n",
                                             keyName: OverrideNote.keyName(for: samTwin.fingerprint), privateKey: pair.sam.signingKey())
        let out2 = pair.sam.file("twin-approval.txt")
        let samSelf = try expectRefusal(.refused, in: pair.sam, output: out2) {
            try pair.sam.vault().approveOverride(forgedNote.bytes, requester: lookUp(HandoverParty(name: "Sam's Other Card", card: samTwin)),
                                                 writingTo: out2)
        }
        #expect(samSelf?.message.contains("your own signing key") == true)
    }

    @Test func onlyASupervisorWhoIsAContactCanApprove() throws {
        let pair = try Pair()
        let ben = try Party("Ben Mentor", role: .mentor, clock: start)
        let eve = try Party("Eve Supervisor", role: .supervisor, clock: start)
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        // A mentor cannot approve, even with the requester as a contact.
        let out = ben.file("approval.txt")
        let notSupervisor = try expectRefusal(.refused, in: ben, output: out) {
            try ben.vault().approveOverride(requestFile, requester: lookUp(pair.ada.party), writingTo: out)
        }
        #expect(notSupervisor?.message.contains("only a supervisor can approve") == true)
        #expect(notSupervisor?.hint?.contains("supervisor") == true)
        // A supervisor who does not know the requester.
        let out2 = eve.file("approval.txt")
        let unknown = try expectRefusal(.notFound, in: eve, output: out2) {
            try eve.vault().approveOverride(requestFile, requester: lookUp(), writingTo: out2)
        }
        #expect(unknown?.message.contains("not in your contacts") == true)
        #expect(unknown?.message.contains("Dr Ada Example (\(pair.ada.fingerprint))") == true)
        // A contact under Ada's fingerprint whose card has other keys: the signature does not verify.
        let impostor = HandoverParty(name: "Dr Ada Example", card: ben.card)
        let wrongKey = try expectRefusal(.integrity, in: eve, output: out2) {
            try eve.vault().approveOverride(requestFile, requester: { _ in impostor }, writingTo: out2)
        }
        #expect(wrongKey?.message.contains("do not verify") == true)

        // At use: approved by a mentor (signed by hand with Ben's key) is refused.
        let byMentor = try SignedNote(parsing: requestFile).addingSignature(keyName: ben.keyName, privateKey: ben.signingKey()).bytes
        let mentorApproval = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(byMentor, approver: lookUp(ben.party, pair.sam.party))
        }
        #expect(mentorApproval?.message.contains("role mentor, not supervisor") == true)
        // Approved by Eve, a supervisor Ada does not have as a contact.
        let eveURL = eve.file("eve-approval.txt")
        try eve.vault().approveOverride(requestFile, requester: lookUp(pair.ada.party), writingTo: eveURL)
        let eveApproval = try bytes(eveURL)
        let stranger = try expectRefusal(.notFound, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(eveApproval, approver: lookUp(pair.sam.party))
        }
        #expect(stranger?.message.contains("approved by \(eve.fingerprint), who is not in your contacts") == true)
        // ... and accepted once she is.
        _ = try pair.ada.vault().verifiedOverride(eveApproval, approver: lookUp(eve.party))
        // Only the requester can use an approval.
        let samUse = try expectRefusal(.refused, in: pair.sam) {
            _ = try pair.sam.vault().verifiedOverride(eveApproval, approver: lookUp(eve.party, pair.ada.party))
        }
        #expect(samUse?.message.contains("requested by someone else") == true)
    }

    @Test func expiryCountsAtApprovalAndAtUse() throws {
        let pair = try Pair()
        let (request, requestURL) = try pair.request(expires: start.addingTimeInterval(day))
        let requestFile = try bytes(requestURL)
        // Approval after the expiry is refused.
        let late = pair.sam.file("late.txt")
        let expired = try expectRefusal(.refused, in: pair.sam, output: late) {
            try pair.sam.vault(at: request.expires).approveOverride(requestFile, requester: lookUp(pair.ada.party), writingTo: late)
        }
        #expect(expired?.message.contains("expired at 2026-11-25T10:00:00Z") == true)
        // In time, it is approved; then usable up to, not including, the expiry.
        let approval = try bytes(try pair.approve(requestURL, at: request.expires.addingTimeInterval(-1)))
        _ = try pair.ada.vault(at: request.expires.addingTimeInterval(-1)).verifiedOverride(approval, approver: lookUp(pair.sam.party))
        for time in [request.expires, request.expires.addingTimeInterval(40 * day)] {
            let used = try expectRefusal(.refused, in: pair.ada) {
                _ = try pair.ada.vault(at: time).verifiedOverride(approval, approver: lookUp(pair.sam.party))
            }
            #expect(used?.message.contains("override \(request.id) expired at 2026-11-25T10:00:00Z") == true)
        }
    }

    @Test func aRequestIsNotAnApprovalAndAnApprovalIsNotApprovedAgain() throws {
        let pair = try Pair()
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        let asApproval = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(requestFile, approver: lookUp(pair.sam.party))
        }
        #expect(asApproval?.message.contains("not an approval") == true)
        #expect(asApproval?.remedy == .useAnApproval)
        let approval = try bytes(try pair.approve(requestURL))
        let again = pair.sam.file("again.txt")
        let twice = try expectRefusal(.invalidInput, in: pair.sam, output: again) {
            try pair.sam.vault().approveOverride(approval, requester: lookUp(pair.ada.party), writingTo: again)
        }
        #expect(twice?.message.contains("already approved") == true)
        // A third signature makes it no override file at all.
        let eve = try Party("Eve Supervisor", role: .supervisor, clock: start)
        let three = try SignedNote(parsing: approval).addingSignature(keyName: eve.keyName, privateKey: eve.signingKey()).bytes
        #expect(try expectRefusal(.invalidInput, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(three, approver: lookUp(pair.sam.party, eve.party))
        }?.message.contains("3 signatures") == true)
        // Approving never overwrites a file.
        let existing = try pair.sam.fixture.folder.write("existing.txt", "keep me")
        try expectRefusal(.alreadyExists, in: pair.sam) {
            try pair.sam.vault().approveOverride(requestFile, requester: lookUp(pair.ada.party), writingTo: existing)
        }
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep me")
    }

    @Test func tamperedFilesAreRefused() throws {
        let pair = try Pair()
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        let approval = try bytes(try pair.approve(requestURL))
        let out = pair.sam.file("tampered-approval.txt")
        // One letter of the citation changed: still canonical, the signature fails.
        func changingCitation(_ file: [UInt8]) throws -> [UInt8] {
            var copy = file
            let pattern = Array("Disorder".utf8)
            let index = try #require(file.indices.first { file[$0...].starts(with: pattern) })
            copy[index] = UInt8(ascii: "d")
            #expect(try OverrideNote(parsing: copy).request.citation == "Crime and disorder Act 1998 s.115")
            return copy
        }
        let tamperedRequest = try changingCitation(requestFile)
        #expect(try expectRefusal(.integrity, in: pair.sam, output: out) {
            try pair.sam.vault().approveOverride(tamperedRequest, requester: lookUp(pair.ada.party), writingTo: out)
        }?.message.contains("do not verify") == true)
        let tamperedApproval = try changingCitation(approval)
        try expectRefusal(.integrity, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(tamperedApproval, approver: lookUp(pair.sam.party))
        }
        // A signature line changed: a character of the signature, or of the key ID.
        let lines = String(decoding: approval, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (lineIndex, offset) in [(lines.count - 3, 40), (lines.count - 2, 40), (lines.count - 2, 2)] {
            var changed = lines
            let prefixLength = changed[lineIndex].count - 92  // "— name " then the base64 of 68 bytes
            var characters = Array(changed[lineIndex])
            let position = prefixLength + offset
            characters[position] = characters[position] == "A" ? "B" : "A"
            changed[lineIndex] = String(characters)
            let file = Array(changed.joined(separator: "\n").utf8)
            _ = try OverrideNote(parsing: file)  // still well-formed
            try expectRefusal(.integrity, in: pair.ada) {
                _ = try pair.ada.vault().verifiedOverride(file, approver: lookUp(pair.sam.party))
            }
            if lineIndex == lines.count - 3 {
                let request = Array(changed.prefix(lines.count - 2).joined(separator: "\n").utf8) + [0x0A]
                try expectRefusal(.integrity, in: pair.sam, output: out) {
                    try pair.sam.vault().approveOverride(request, requester: lookUp(pair.ada.party), writingTo: out)
                }
            }
        }
        // The approval's signature moved to the front: the first signature must be the requester's.
        let swapped = Array((lines.prefix(lines.count - 3) + [lines[lines.count - 2], lines[lines.count - 3], ""]).joined(separator: "\n").utf8)
        #expect(try expectRefusal(.invalidInput, in: pair.ada) {
            _ = try pair.ada.vault().verifiedOverride(swapped, approver: lookUp(pair.sam.party))
        }?.message.contains("first signature is not by the requester") == true)
    }
}

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
            #expect(expectCasebookError(.invalidInput) { _ = try ada.verifiedOverride(input, approver: lookUp(pair.sam.party)) } != nil)
            #expect(expectCasebookError(.invalidInput) { try sam.approveOverride(input, requester: lookUp(pair.ada.party), writingTo: out) } != nil)
        }
        // Every truncation: the one that leaves exactly the request is a request, not an approval.
        for length in 0..<approval.count {
            let prefix = Array(approval.prefix(length))
            let code: CasebookError.Code = prefix == requestFile ? .refused : .invalidInput
            #expect(expectCasebookError(code) { _ = try ada.verifiedOverride(prefix, approver: lookUp(pair.sam.party)) } != nil,
                    "truncated to \(length) bytes")
        }
        for length in 0..<requestFile.count {
            #expect(expectCasebookError(.invalidInput) {
                try sam.approveOverride(Array(requestFile.prefix(length)), requester: lookUp(pair.ada.party), writingTo: out)
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
            let error = expectCasebookError(code) { try sam.approveOverride(file, requester: lookUp(pair.ada.party), writingTo: out) }
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
            try pair.ada.vault().requestOverride(
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
        _ = try vault.createRecord(parse(SampleDocuments.hii(client: "C-0099")))
        _ = try vault.eraseClient(try ClientReference("C-0099"), reason: "erasure request")
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
        let verified = try vault.verifiedOverride(approvalNote.bytes, approver: lookUp(HandoverParty(name: "Dr Sam Example", card: samCard)))
        #expect(verified.request == request)
        let samVault = try VaultFixture(name: "Dr Sam Example", role: .supervisor, identity: Self.identity("supervisor"))
        let approving = try Vault.open(store: SQLiteVaultStore.open(in: samVault.vaultURL, readOnly: false), passphrase: secret(testPassphrase),
                                       clock: Clock { during })
        let (_, _, approval) = try approving.approveOverride(requestNote.bytes, requester: lookUp(HandoverParty(name: "Dr Amira Example", card: amiraCard)),
                                                             writingTo: samVault.folder.file("approval.txt"))
        #expect(approval == approvalNote.bytes)
    }
}
