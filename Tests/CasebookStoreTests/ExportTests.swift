import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookTestSupport

/// Exports through the library: consent, withdrawal, partial results, every way of sealing,
/// the audit evidence inside the package, and refusals that write nothing.
@Suite struct ExportTests {
    /// An outside recipient (a probation officer) with an age key pair.
    private struct Outsider {
        let identity = AgeX25519Identity()
        var recipient: String { identity.recipient.encoded }
    }

    private let validFrom = Date(timeIntervalSince1970: 1_767_225_600)   // 2026-01-01
    private let validUntil = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01

    /// C-0042 consents to risk-management exports to the organisation `probation-north`,
    /// of `fields` (all when empty).
    @discardableResult
    private func permitProbation(_ vault: Vault, fields: Set<String> = [], labels: Set<String> = []) throws -> Consent {
        try vault.consents.record(Consent(
            id: "", version: 0, client: try ClientReference("C-0042"), recordedBy: "", recordedAt: .distantPast, method: .written,
            validFrom: validFrom, validUntil: validUntil,
            provisions: [ConsentProvision(effect: .permit, purposes: [.riskManagement], recipients: [.organisation("probation-north")],
                                          fields: fields, labels: labels, actions: [.export])]))
    }

    private func request(_ outsider: Outsider, fields: [String]? = nil, markdown: Bool = false, acceptPartial: Bool = false,
                         kinds: [RecordKind] = []) throws -> ExportRequest {
        ExportRequest(client: try ClientReference("C-0042"), kinds: kinds,
                      recipient: try .age(outsider.recipient, organisation: "probation-north", role: nil),
                      purpose: .riskManagement, reason: "MAPPA level 2 meeting", fields: fields, markdown: markdown,
                      acceptPartial: acceptPartial)
    }

    private func entries(_ url: URL, _ identity: any AgeIdentity) throws -> [UstarArchive.Entry] {
        let archive = try Age.decrypt(try [UInt8](Data(contentsOf: url)), identities: [identity])
        return try UstarArchive.read(archive, limits: .init(maximumEntryCount: 16, maximumTotalByteCount: 1 << 24))
    }

    @Test func consentThenExportCarriesOnlyWhatItCoversSignedAndProvenInTheLog() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        let hii = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra crossing")))
        _ = try vault.records.create(parse(SampleDocuments.mentor(client: "C-0099")))
        let consent = try permitProbation(vault, fields: ["focus", "plan", "risk-immediate-concern"])
        let outsider = Outsider()
        let url = ada.fixture.folder.file("export.age")
        let outcome = try vault.exports.export(try request(outsider, markdown: true, acceptPartial: true), armor: false, writingTo: url)
        let manifest = outcome.manifest
        #expect(manifest.client == "C-0042")
        #expect(manifest.records.map(\.id) == [hii.recordID])
        #expect(Set(manifest.records[0].sections.keys) == ["focus", "plan", "risk-immediate-concern"])
        #expect(manifest.records[0].withheld.contains("client-report"))
        #expect(manifest.basis == ["\(consent.id) v1 sha256:\(consent.canonicalHash)"])
        #expect(manifest.recipient == .init(kind: "age", name: nil, fingerprint: nil, age: outsider.recipient,
                                            organisation: "probation-north", role: nil))
        #expect(manifest.delivery == "sealed")
        #expect(outcome.withheldReasons.contains { $0.contains("section 'client-report'") })

        let files = try entries(url, outsider.identity)
        #expect(files.map(\.name) == ["export.json", "export.json.minisig", "export.md", "export.md.minisig"] + PackageAuditProof.fileNames)
        #expect(try ExportManifest.decode(files[0].contents) == manifest)
        for (document, signature) in [(files[0], files[1]), (files[2], files[3])] {
            try MinisignSignature(parsing: signature.contents).verify(message: document.contents, publicKey: ada.card.minisignKey,
                                                                      allowingLegacy: false)
        }
        let markdown = String(decoding: files[2].contents, as: UTF8.self)
        #expect(markdown.contains("### Focus\n\nIdentity and belonging after release; Zebra crossing."))
        #expect(markdown.contains("*Withheld:* Session number; What the client reported;"))
        #expect(!markdown.contains("Feels isolated"))
        // The package proves its own event is in Ada's log, at the checkpoint she signed.
        let proven = try PackageAuditProof.verify(event: files[4].contents, proof: files[5].contents, checkpoint: files[6].contents,
                                                  signer: ada.card.minisignKey.key, action: .exportSealed, packageID: manifest.id,
                                                  manifest: files[0].contents)
        let events = try vault.audit.events()
        #expect(proven.event == events.last)
        #expect(proven.checkpoint.size == UInt64(events.count))
        #expect(proven.checkpoint.rootHash == (try vault.audit.treeHead().rootHash))
        let event = try #require(events.last)
        #expect(event.action == .exportSealed)
        #expect(event.export == manifest.id)
        #expect(event.clients == ["C-0042"])
        #expect(event.recipients == [outsider.recipient])
        #expect(event.fields == ["focus", "plan", "risk-immediate-concern"])
        #expect(event.withheld?.contains("client-report") == true)
        #expect(event.basis == manifest.basis)
        #expect(event.digest == Hex.encode(SHA256.hash(files[0].contents)))
        // Never overwritten.
        #expect(expectCasebookError(.alreadyExists) { try vault.exports.export(try request(outsider, acceptPartial: true), armor: false, writingTo: url) } != nil)
    }

    @Test func withdrawalRefusesTheNextExportAndSaysWhich() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii()))
        let consent = try permitProbation(vault)
        let outsider = Outsider()
        try vault.exports.export(try request(outsider), armor: true, writingTo: ada.fixture.folder.file("first.age"))
        try vault.consents.withdraw(id: consent.id, reason: "client withdrew consent in session")
        let url = ada.fixture.folder.file("second.age")
        let before = try vault.audit.events().count
        let error = expectCasebookError(.refused) { try vault.exports.export(try request(outsider), armor: true, writingTo: url) }
        #expect(error?.message.hasPrefix("no consent covers this export: C-0042 to age1") == true)
        #expect(error?.message.contains("consent \(consent.id) v2 was withdrawn at") == true)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let events = try vault.audit.events()
        #expect(events.count == before + 1)
        #expect(events.last?.action == .exportRefused)
        #expect(events.last?.detail == "denied")
        #expect(events.last?.clients == ["C-0042"])
        #expect(events.last?.recipients == [outsider.recipient])
    }

    @Test func aPartialResultNeedsAcceptPartialAndListsWhatWasWithheld() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii()))
        let theological = try vault.records.create(parse(SampleDocuments.theological()))
        try permitProbation(vault, fields: ["focus", "plan"])
        let outsider = Outsider()
        let url = ada.fixture.folder.file("partial.age")
        let refused = expectCasebookError(.refused) { try vault.exports.export(try request(outsider), armor: false, writingTo: url) }
        #expect(refused?.message.hasPrefix("the client's consent covers this export only in part") == true)
        #expect(refused?.remedy == .acceptPartialOrGrantConsent)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try vault.audit.events().last?.detail == "partial, not accepted")
        let outcome = try vault.exports.export(try request(outsider, acceptPartial: true), armor: false, writingTo: url)
        // The theological record carries religious-belief, which no provision names: withheld whole.
        #expect(!outcome.manifest.records.map(\.id).contains(theological.recordID))
        #expect(try vault.audit.events().last?.excluded == [theological.recordID])
        #expect(outcome.withheldReasons.contains { $0.contains("religious-belief") })
        // Naming the label lets it leave.
        try permitProbation(vault, fields: ["guidance"], labels: ["religious-belief"])
        let named = try vault.exports.export(try request(outsider, fields: ["guidance"], kinds: [.theologicalAdvice]), armor: false,
                                     writingTo: ada.fixture.folder.file("named.age"))
        #expect(named.manifest.records.map(\.id) == [theological.recordID])
        #expect(named.manifest.records[0].sections.keys.sorted() == ["guidance"])
    }

    @Test func aPassphraseExportOpensWithThePassphraseOnly() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii()))
        try vault.consents.record(Consent(
            id: "", version: 0, client: try ClientReference("C-0042"), recordedBy: "", recordedAt: .distantPast, method: .written,
            validFrom: validFrom, validUntil: validUntil,
            provisions: [ConsentProvision(effect: .permit, purposes: [.subjectAccess], recipients: [.role("client")], actions: [.export])]))
        func secret(_ text: String) -> SecureBytes { var bytes = Array(text.utf8); return SecureBytes(consuming: &bytes) }
        let url = ada.fixture.folder.file("sar.age")
        let outcome = try vault.exports.export(
            ExportRequest(client: try ClientReference("C-0042"),
                          recipient: try vault.exports.recipient(passphrase: secret("a passphrase for the client"), organisation: nil,
                                                                 role: "client", logN: 10),
                          purpose: .subjectAccess, markdown: true),
            armor: true, writingTo: url)
        #expect(outcome.manifest.recipient.kind == "passphrase")
        #expect(try vault.audit.events().last?.recipients == ["passphrase"])
        let files = try entries(url, AgeScryptIdentity(passphrase: secret("a passphrase for the client")))
        #expect(files.count == 7)
        #expect(throws: AgeError.self) { _ = try Age.decrypt(try [UInt8](Data(contentsOf: url)), identities: [AgeScryptIdentity(passphrase: secret("wrong horse battery staple"))]) }
    }

    @Test func plaintextIsAuditedWithTheDigestOfExactlyWhatWasPrinted() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra crossing")))
        try permitProbation(vault)
        let outsider = Outsider()
        for markdown in [false, true] {
            var plain = try request(outsider, markdown: markdown)
            plain.recipient = plain.recipient.forPlaintext
            let (outcome, document) = try vault.exports.exportPlaintext(plain)
            let text = String(decoding: document, as: UTF8.self)
            #expect(text.contains("Zebra crossing"))
            #expect(markdown ? text.hasPrefix("# Casebook export: records of C-0042") : (try ExportManifest.decode(Array(document.dropLast()))) == outcome.manifest)
            #expect(outcome.manifest.delivery == "plaintext")
            let event = try #require(try vault.audit.events().last)
            #expect(event.action == .exportPlaintext)
            #expect(event.digest == Hex.encode(SHA256.hash(document)))
        }
        // A plaintext request cannot be sealed by mistake.
        var plain = try request(outsider)
        plain.recipient = plain.recipient.forPlaintext
        #expect(expectCasebookError(.invalidArgument) { try vault.exports.export(plain, armor: false, writingTo: ada.fixture.folder.file("x.age")) } != nil)
    }

    @Test func anExportThatCannotBeWrittenIsAuditedAsAborted() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii()))
        try permitProbation(vault)
        let url = ada.fixture.folder.file("no-such-folder/export.age")
        let error = expectCasebookError(.environment) { try vault.exports.export(try request(Outsider()), armor: false, writingTo: url) }
        #expect(error != nil)
        let events = try vault.audit.events()
        #expect(events.last?.action == .exportRefused)
        #expect(events.last?.detail?.hasPrefix("aborted: cannot create") == true)
        #expect(!events.contains { $0.action == .exportSealed })
    }

    @Test func badRequestsAreRefusedBeforeAnythingHappens() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii()))
        try permitProbation(vault)
        let outsider = Outsider()
        let url = ada.fixture.folder.file("bad.age")
        let before = try ada.fixture.databaseBytes()
        #expect(expectCasebookError(.invalidInput) { _ = try ExportRecipient.age("age1notarecipient", organisation: nil, role: nil) } != nil)
        #expect(expectCasebookError(.invalidInput) { try vault.exports.export(try request(outsider, fields: ["no-such-section"]), armor: false, writingTo: url) } != nil)
        #expect(expectCasebookError(.invalidInput) { try vault.exports.export(try request(outsider, fields: []), armor: false, writingTo: url) } != nil)
        var reason = try request(outsider)
        reason.reason = "two\nlines"
        #expect(expectCasebookError(.invalidInput) { try vault.exports.export(reason, armor: false, writingTo: url) } != nil)
        var other = try request(outsider)
        other.client = try ClientReference("C-0100")
        #expect(expectCasebookError(.notFound) { try vault.exports.export(other, armor: false, writingTo: url) } != nil)
        #expect(expectCasebookError(.notFound) { try vault.exports.export(try request(outsider, kinds: [.mentorLog]), armor: false, writingTo: url) } != nil)
        // Organisation and role follow the consent provisions' token rule, whatever the recipient.
        #expect(expectCasebookError(.invalidInput) { _ = try ExportRecipient.age(outsider.recipient, organisation: "Probation North!", role: nil) } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try ExportRecipient.age(outsider.recipient, organisation: nil, role: "Offender\nManager") } != nil)
        #expect(expectCasebookError(.invalidInput) { _ = try ExportRecipient.contact(ada.party, organisation: "# heading") } != nil)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try ada.fixture.databaseBytes() == before)
    }

    @Test func exportManifestsMustBeCanonical() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii()))
        try permitProbation(vault)
        let outcome = try vault.exports.export(try request(Outsider()), armor: false, writingTo: ada.fixture.folder.file("e.age"))
        let json = String(decoding: outcome.manifest.encoded(), as: UTF8.self)
        #expect(try ExportManifest.decode(outcome.manifest.encoded()) == outcome.manifest)
        for variant in [
            json.replacingOccurrences(of: "{\"basis\"", with: "{ \"basis\""),
            json.replacingOccurrences(of: "\"format\"", with: "\"extra\":1,\"format\""),
            json.replacingOccurrences(of: "casebook-export/v1", with: "casebook-export/v2"),
            json + "\n",
            String(json.dropLast()),
            "",
        ] {
            #expect(throws: WireFormatError.self) { _ = try ExportManifest.decode(Array(variant.utf8)) }
        }
    }

    /// Ada and her supervisor Sam, each the other's contact; Ada has two HII notes and a
    /// theological record of C-0042 and no consent at all.
    private func overridePair() throws -> (ada: Party, sam: Party, theological: String) {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let vault = try ada.vault()
        _ = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra crossing")))
        _ = try vault.records.create(parse(SampleDocuments.hii(start: "2026-11-10T10:00:00Z")))
        let theological = try vault.records.create(parse(SampleDocuments.theological()))
        try vault.contacts.add(card: sam.card, confirmation: .fingerprint(sam.card.fingerprint.description))
        try sam.vault().contacts.add(card: ada.card, confirmation: .fingerprint(ada.card.fingerprint.description))
        return (ada, sam, theological.recordID)
    }

    /// Ada requests an override for `outsider` and Sam approves it; returns the approval's bytes.
    private func approvedOverride(_ ada: Party, _ sam: Party, to outsider: Outsider, fields: [String] = ["risk-actions", "plan"],
                                  specialCategories: [String] = []) throws -> [UInt8] {
        let requestURL = ada.fixture.folder.file("request-\(UUID().uuidString).txt")
        try ada.vault().overrides.request(
            client: try ClientReference("C-0042"), to: try OverrideRecipient(ageRecipient: outsider.recipient), purpose: .riskManagement,
            fields: fields, specialCategories: specialCategories, citation: "Crime and Disorder Act 1998 s.115",
            justification: "Imminent risk to an identified person; MAPPA level 3.", consentSought: .unsafe,
            reason: "Seeking consent would alert the client to the police operation.", clientInformed: .deferred,
            expires: Date().addingTimeInterval(7 * 86_400), writingTo: requestURL)
        let approvalURL = sam.fixture.folder.file("approval-\(UUID().uuidString).txt")
        try sam.vault().overrides.approve(try [UInt8](Data(contentsOf: requestURL)), requester: { $0 == ada.card.fingerprint ? ada.party : nil },
                                        writingTo: approvalURL)
        return try [UInt8](Data(contentsOf: approvalURL))
    }

    /// Consent covers `plan`; the override adds `risk-immediate-concern`: both bases are recorded.
    @Test func consentAndAnOverrideTogether() throws {
        let (ada, sam, _) = try overridePair()
        let outsider = Outsider()
        let approval = try approvedOverride(ada, sam, to: outsider, fields: ["risk-immediate-concern"])
        let vault = try ada.vault()
        let consent = try permitProbation(vault, fields: ["plan"])
        var both = try request(outsider, fields: ["plan", "risk-immediate-concern"], kinds: [.hiiSession])
        both.overrideApproval = approval
        let outcome = try vault.exports.export(both, armor: false, writingTo: ada.fixture.folder.file("both.age"))
        #expect(outcome.manifest.basis.count == 2)
        #expect(outcome.manifest.basis[0] == "\(consent.id) v1 sha256:\(consent.canonicalHash)")
        #expect(outcome.manifest.basis[1].hasPrefix("override "))
        // Consent alone covers plan: the override is not relied on, and not recorded.
        var consentOnly = try request(outsider, fields: ["plan"], kinds: [.hiiSession])
        consentOnly.overrideApproval = approval
        let plain = try vault.exports.export(consentOnly, armor: false, writingTo: ada.fixture.folder.file("plan.age"))
        #expect(plain.manifest.basis == ["\(consent.id) v1 sha256:\(consent.canonicalHash)"])
        #expect(try vault.audit.events().last?.override == nil)
    }

    @Test func anApprovedOverrideIsTheBasisWhenThereIsNoConsent() throws {
        let (ada, sam, theological) = try overridePair()
        let outsider = Outsider()
        let approval = try approvedOverride(ada, sam, to: outsider)
        let vault = try ada.vault()
        // Without the override: no consent, refused.
        #expect(expectCasebookError(.refused) { try vault.exports.export(try request(outsider), armor: false, writingTo: ada.fixture.folder.file("none.age")) } != nil)
        var withOverride = try request(outsider)
        withOverride.overrideApproval = approval
        // The theological record carries religious-belief, which the override does not name.
        let partial = expectCasebookError(.refused) { try vault.exports.export(withOverride, armor: false, writingTo: ada.fixture.folder.file("p.age")) }
        #expect(partial?.message.contains("cover this export only in part") == true)
        #expect(partial?.message.contains("the override does not name religious-belief") == true)
        withOverride.acceptPartial = true
        let url = ada.fixture.folder.file("override.age")
        let outcome = try vault.exports.export(withOverride, armor: false, writingTo: url)
        #expect(outcome.manifest.records.count == 2)
        #expect(!outcome.manifest.records.map(\.id).contains(theological))
        #expect(outcome.manifest.records.allSatisfy { Set($0.sections.keys).isSubset(of: ["risk-actions", "plan"]) })
        #expect(outcome.manifest.basis.count == 1)
        #expect(outcome.manifest.basis[0].hasPrefix("override "))
        #expect(outcome.manifest.basis[0].hasSuffix("\"Crime and Disorder Act 1998 s.115\" approved by \(sam.card.fingerprint)"))
        let event = try #require(try vault.audit.events().last)
        #expect(event.action == .exportSealed)
        #expect(event.basis == outcome.manifest.basis)
        #expect(event.override != nil && outcome.manifest.basis[0].contains(event.override!))
        #expect(event.excluded == [theological])
        #expect(event.detail == "sealed, json" && event.approval == Hex.encode(SHA256.hash(approval)))
        #expect(event.shownDetail == "sealed, json; override approval sha256:\(Hex.encode(SHA256.hash(approval)))")
        let files = try entries(url, outsider.identity)
        #expect(try ExportManifest.decode(files[0].contents) == outcome.manifest)
    }

    @Test func anOverrideThatDoesNotCoverTheExportIsRefusedAndAudited() throws {
        let (ada, sam, _) = try overridePair()
        let outsider = Outsider()
        let approval = try approvedOverride(ada, sam, to: outsider, specialCategories: ["religious-belief"])
        let vault = try ada.vault()
        let url = ada.fixture.folder.file("x.age")
        func attempt(_ change: (inout ExportRequest) throws -> Void) throws -> CasebookError? {
            var attempt = try request(outsider)
            attempt.overrideApproval = approval
            try change(&attempt)
            let before = try vault.audit.events().count
            let error = expectCasebookError(.refused) { try vault.exports.export(attempt, armor: false, writingTo: url) }
            let events = try vault.audit.events()
            #expect(events.count == before + 1)
            #expect(events.last?.action == .exportRefused)
            #expect(events.last?.detail?.hasPrefix("override refused: ") == true)
            #expect(!FileManager.default.fileExists(atPath: url.path))
            return error
        }
        let otherRecipient = try attempt { $0.recipient = try .age(Outsider().recipient, organisation: nil, role: nil) }
        #expect(otherRecipient?.message.contains("is for age recipient \(outsider.recipient)") == true)
        let otherPurpose = try attempt { $0.purpose = .court }
        #expect(otherPurpose?.message.contains("purpose risk-management, not court") == true)
        let otherFields = try attempt { $0.fields = ["risk-actions", "client-report"] }
        #expect(otherFields?.message.contains("section 'client-report' is covered by neither consent nor the override") == true)
        func secret(_ text: String) -> SecureBytes { var bytes = Array(text.utf8); return SecureBytes(consuming: &bytes) }
        let passphrase = try attempt {
            $0.recipient = try vault.exports.recipient(passphrase: secret("a long export passphrase"), organisation: nil, role: nil, logN: 10)
        }
        #expect(passphrase?.message.contains("cannot cover an export sealed to a passphrase") == true)
        // The request alone (Ada's signature only) is not an approval; nor is garbage.
        let requestOnly = Array(String(decoding: approval, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast(2)
            .joined(separator: "\n").utf8) + [10]
        #expect(try attempt { $0.overrideApproval = requestOnly }?.message.contains("not an approval") == true)
        // An altered approval, or a file that is not one, is bad input, not a policy
        // refusal: refused, and the vault is exactly as it was (no event either).
        var tampered = approval
        tampered[40] ^= 1
        for (code, file) in [(CasebookError.Code.integrity, tampered), (.invalidInput, Array("not an override\n".utf8)), (.invalidInput, [])] {
            var attempt = try request(outsider)
            attempt.overrideApproval = file
            let before = try ada.fixture.databaseBytes()
            let events = try vault.audit.events().count
            #expect(expectCasebookError(code) { try vault.exports.export(attempt, armor: false, writingTo: url) } != nil, "\(code)")
            #expect(try ada.fixture.databaseBytes() == before)
            #expect(try vault.audit.events().count == events)
            #expect(!FileManager.default.fileExists(atPath: url.path))
        }
        // With everything matching, it goes (the theological record is named this time).
        var good = try request(outsider, acceptPartial: true)
        good.overrideApproval = approval
        #expect(try vault.exports.export(good, armor: false, writingTo: url).manifest.records.count == 3)
    }
}
