import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport
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
        let requested = try #require(try pair.ada.vault().audit.events().last)
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
        let approved = try #require(try pair.sam.vault().audit.events().last)
        #expect(approved.action == .overrideApproved)
        #expect(approved.override == request.id)
        #expect(approved.fingerprint == pair.ada.fingerprint.description)
        #expect(approved.digest == Hex.encode(SHA256.hash(approval)))

        // Ada's vault accepts it, with Sam as the approver.
        let ada = try pair.ada.vault(at: start.addingTimeInterval(7200))
        let verified = try ada.overrides.verified(approval) { try ada.contacts.contact(withFingerprint: $0).map { HandoverParty(name: $0.name, card: $0.card) } }
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
        let (request, _) = try pair.ada.vault().overrides.request(
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
        let verified = try pair.ada.vault().overrides.verified(try bytes(approval), approver: lookUp(pair.sam.party))
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
            try pair.ada.vault().overrides.approve(requestFile, requester: lookUp(pair.ada.party, pair.sam.party), writingTo: out)
        }
        #expect(own?.message.contains("cannot approve your own") == true)
        // A hand-made note carrying Ada's signature twice.
        let line = try #require(String(decoding: requestFile, as: UTF8.self).split(separator: "\n").last)
        let doubled = requestFile + Array((line + "\n").utf8)
        #expect(try OverrideNote(parsing: doubled).signers == [pair.ada.fingerprint, pair.ada.fingerprint])
        let twice = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(doubled, approver: lookUp(pair.ada.party, pair.sam.party))
        }
        #expect(twice?.message.contains("approved with your own key") == true)
        // Ada's key under a "supervisor" card with another age key (another fingerprint): the same signer.
        let twin = try pair.ada.twinCard(name: "Dr Sam Lookalike", role: .supervisor)
        #expect(twin.fingerprint != pair.ada.fingerprint)
        let note = try SignedNote(parsing: requestFile)
        let cosigned = try note.addingSignature(keyName: OverrideNote.keyName(for: twin.fingerprint), privateKey: pair.ada.signingKey()).bytes
        let viaTwin = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(cosigned, approver: lookUp(HandoverParty(name: "Dr Sam Lookalike", card: twin)))
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
            try pair.sam.vault().overrides.approve(forgedNote.bytes, requester: lookUp(HandoverParty(name: "Sam's Other Card", card: samTwin)),
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
            try ben.vault().overrides.approve(requestFile, requester: lookUp(pair.ada.party), writingTo: out)
        }
        #expect(notSupervisor?.message.contains("only a supervisor can approve") == true)
        #expect(notSupervisor?.hint?.contains("supervisor") == true)
        // A supervisor who does not know the requester.
        let out2 = eve.file("approval.txt")
        let unknown = try expectRefusal(.notFound, in: eve, output: out2) {
            try eve.vault().overrides.approve(requestFile, requester: lookUp(), writingTo: out2)
        }
        #expect(unknown?.message.contains("not in your contacts") == true)
        #expect(unknown?.message.contains("Dr Ada Example (\(pair.ada.fingerprint))") == true)
        // A contact under Ada's fingerprint whose card has other keys: the signature does not verify.
        let impostor = HandoverParty(name: "Dr Ada Example", card: ben.card)
        let wrongKey = try expectRefusal(.integrity, in: eve, output: out2) {
            try eve.vault().overrides.approve(requestFile, requester: { _ in impostor }, writingTo: out2)
        }
        #expect(wrongKey?.message.contains("do not verify") == true)

        // At use: approved by a mentor (signed by hand with Ben's key) is refused.
        let byMentor = try SignedNote(parsing: requestFile).addingSignature(keyName: ben.keyName, privateKey: ben.signingKey()).bytes
        let mentorApproval = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(byMentor, approver: lookUp(ben.party, pair.sam.party))
        }
        #expect(mentorApproval?.message.contains("role mentor, not supervisor") == true)
        // Approved by Eve, a supervisor Ada does not have as a contact.
        let eveURL = eve.file("eve-approval.txt")
        try eve.vault().overrides.approve(requestFile, requester: lookUp(pair.ada.party), writingTo: eveURL)
        let eveApproval = try bytes(eveURL)
        let stranger = try expectRefusal(.notFound, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(eveApproval, approver: lookUp(pair.sam.party))
        }
        #expect(stranger?.message.contains("approved by \(eve.fingerprint), who is not in your contacts") == true)
        // ... and accepted once she is.
        _ = try pair.ada.vault().overrides.verified(eveApproval, approver: lookUp(eve.party))
        // Only the requester can use an approval.
        let samUse = try expectRefusal(.refused, in: pair.sam) {
            _ = try pair.sam.vault().overrides.verified(eveApproval, approver: lookUp(eve.party, pair.ada.party))
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
            try pair.sam.vault(at: request.expires).overrides.approve(requestFile, requester: lookUp(pair.ada.party), writingTo: late)
        }
        #expect(expired?.message.contains("expired at 2026-11-25T10:00:00Z") == true)
        // In time, it is approved; then usable up to, not including, the expiry.
        let approval = try bytes(try pair.approve(requestURL, at: request.expires.addingTimeInterval(-1)))
        _ = try pair.ada.vault(at: request.expires.addingTimeInterval(-1)).overrides.verified(approval, approver: lookUp(pair.sam.party))
        for time in [request.expires, request.expires.addingTimeInterval(40 * day)] {
            let used = try expectRefusal(.refused, in: pair.ada) {
                _ = try pair.ada.vault(at: time).overrides.verified(approval, approver: lookUp(pair.sam.party))
            }
            #expect(used?.message.contains("override \(request.id) expired at 2026-11-25T10:00:00Z") == true)
        }
    }

    @Test func aRequestIsNotAnApprovalAndAnApprovalIsNotApprovedAgain() throws {
        let pair = try Pair()
        let (_, requestURL) = try pair.request()
        let requestFile = try bytes(requestURL)
        let asApproval = try expectRefusal(.refused, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(requestFile, approver: lookUp(pair.sam.party))
        }
        #expect(asApproval?.message.contains("not an approval") == true)
        #expect(asApproval?.remedy == .useAnApproval)
        let approval = try bytes(try pair.approve(requestURL))
        let again = pair.sam.file("again.txt")
        let twice = try expectRefusal(.invalidInput, in: pair.sam, output: again) {
            try pair.sam.vault().overrides.approve(approval, requester: lookUp(pair.ada.party), writingTo: again)
        }
        #expect(twice?.message.contains("already approved") == true)
        // A third signature makes it no override file at all.
        let eve = try Party("Eve Supervisor", role: .supervisor, clock: start)
        let three = try SignedNote(parsing: approval).addingSignature(keyName: eve.keyName, privateKey: eve.signingKey()).bytes
        #expect(try expectRefusal(.invalidInput, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(three, approver: lookUp(pair.sam.party, eve.party))
        }?.message.contains("3 signatures") == true)
        // Approving never overwrites a file.
        let existing = try pair.sam.fixture.folder.write("existing.txt", "keep me")
        try expectRefusal(.alreadyExists, in: pair.sam) {
            try pair.sam.vault().overrides.approve(requestFile, requester: lookUp(pair.ada.party), writingTo: existing)
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
            try pair.sam.vault().overrides.approve(tamperedRequest, requester: lookUp(pair.ada.party), writingTo: out)
        }?.message.contains("do not verify") == true)
        let tamperedApproval = try changingCitation(approval)
        try expectRefusal(.integrity, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(tamperedApproval, approver: lookUp(pair.sam.party))
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
                _ = try pair.ada.vault().overrides.verified(file, approver: lookUp(pair.sam.party))
            }
            if lineIndex == lines.count - 3 {
                let request = Array(changed.prefix(lines.count - 2).joined(separator: "\n").utf8) + [0x0A]
                try expectRefusal(.integrity, in: pair.sam, output: out) {
                    try pair.sam.vault().overrides.approve(request, requester: lookUp(pair.ada.party), writingTo: out)
                }
            }
        }
        // The approval's signature moved to the front: the first signature must be the requester's.
        let swapped = Array((lines.prefix(lines.count - 3) + [lines[lines.count - 2], lines[lines.count - 3], ""]).joined(separator: "\n").utf8)
        #expect(try expectRefusal(.invalidInput, in: pair.ada) {
            _ = try pair.ada.vault().overrides.verified(swapped, approver: lookUp(pair.sam.party))
        }?.message.contains("first signature is not by the requester") == true)
    }
}
