import Testing
import Foundation
import GRDB
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// Records a consent of `client` permitting supervision handovers to `party` (every section).
@discardableResult
func permitSupervision(_ vault: Vault, client: String, to party: Party, fields: Set<String> = []) throws -> Consent {
    try vault.consents.record(Consent(
        id: "", version: 0, client: try ClientReference(client), recordedBy: "", recordedAt: .distantPast, method: .written,
        validFrom: Date(timeIntervalSince1970: 1_767_225_600), validUntil: Date(timeIntervalSince1970: 4_102_444_800),
        provisions: [ConsentProvision(effect: .permit, purposes: [.supervision], recipients: [.contact(name: party.name, fingerprint: party.card.fingerprint)],
                                      fields: fields)]))
}

@Suite struct HandoverTests {
    private func contacts(_ parties: Party...) -> (IdentityFingerprint) -> HandoverParty? {
        { fingerprint in parties.first { $0.card.fingerprint == fingerprint }?.party }
    }

    /// Ada writes two records and seals them (focus and plan only) to Sam.
    private func sealed(_ ada: Party, to recipients: [Party], fields: [String]? = ["focus", "plan"]) throws -> (URL, [String]) {
        let vault = try ada.vault()
        let first = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra crossing")))
        let second = try vault.records.create(parse(SampleDocuments.ddp(client: "C-0077")))
        for recipient in recipients {
            try permitSupervision(vault, client: "C-0042", to: recipient)
            try permitSupervision(vault, client: "C-0077", to: recipient)
        }
        let url = ada.fixture.folder.file("handover-\(UUID().uuidString).age")
        try vault.handovers.seal(recordIDs: [first.recordID, second.recordID], to: recipients.map(\.party),
                               purpose: .supervision, reason: "clinical supervision", fields: fields, armor: false, writingTo: url)
        return (url, [first.recordID, second.recordID])
    }

    @Test func aSupervisorOpensAndImportsWhatWasSealedToThem() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let (url, ids) = try sealed(ada, to: [sam])
        let file = try [UInt8](Data(contentsOf: url))
        let supervisor = try sam.vault()
        let opened = try supervisor.handovers.open(file, sender: contacts(ada))
        #expect(opened.sender.name == "Dr Ada Example")
        #expect(opened.manifest.records.map(\.id) == ids)
        #expect(opened.manifest.purpose == "supervision")
        #expect(opened.manifest.reason == "clinical supervision")
        #expect(opened.importedAt == nil)
        // Only the requested sections travelled; the others are listed as withheld.
        let hii = opened.manifest.records[0]
        #expect(Set(hii.sections.keys).isSubset(of: ["focus", "plan"]))
        #expect(hii.withheld.contains("session-number"))
        #expect(!hii.withheld.contains("focus"))
        let imported = try supervisor.handovers.importRecords(opened)
        #expect(imported.count == 2)
        let record = try supervisor.records.revision(id: imported[0], revision: nil)
        #expect(record.metadata.origin == .received)
        #expect(record.metadata.author == "Dr Ada Example")
        #expect(record.metadata.provenance?.handoverID == opened.manifest.id)
        #expect(record.metadata.provenance?.source == "\(ids[0])/1")
        #expect(record.metadata.provenance?.sender == "Dr Ada Example (\(ada.card.fingerprint))")
        #expect(record.content.sections["session-number"] == nil)
        #expect(record.content.header.client.rawValue == "C-0042")
        #expect(try supervisor.records.search("zebra").map(\.recordID) == [imported[0]])
        // Both sides audited it.
        let sealedEvent = try #require(try ada.vault().audit.events().last)
        #expect(sealedEvent.action == .handoverSealed)
        #expect(sealedEvent.records == ids)
        #expect(sealedEvent.recipients == [sam.card.fingerprint.description])
        #expect(sealedEvent.fields == ["focus", "plan"])
        #expect(sealedEvent.basis?.count == 2)
        #expect(sealedEvent.digest == Hex.encode(SHA256.hash(opened.manifest.encoded())))
        #expect(sealedEvent.clients == ["C-0042", "C-0077"])
        #expect(sealedEvent.withheld?.contains("session-number") == true)
        // The package carries that very event, proven into a checkpoint Ada signed just after it.
        #expect(opened.audit.event == sealedEvent)
        #expect(opened.audit.checkpoint.size == UInt64(sealedEvent.sequence + 1))
        #expect(opened.audit.checkpoint.rootHash == (try ada.vault().audit.treeHead().rootHash))
        #expect(opened.audit.checkpoint.origin == (try ada.vault().audit.origin))
        let importedEvent = try #require(try supervisor.audit.events().last)
        #expect(importedEvent.action == .handoverImported)
        #expect(importedEvent.handover == opened.manifest.id)
        #expect(importedEvent.sender == ada.card.fingerprint.description)
        // A second import is refused, and nothing more is stored.
        let again = try sam.vault().handovers.open(file, sender: contacts(ada))
        #expect(again.importedAt != nil)
        let before = try sam.fixture.databaseBytes()
        let error = expectCasebookError(.alreadyExists) { _ = try sam.vault().handovers.importRecords(again) }
        #expect(error?.message.contains("already imported") == true)
        #expect(try sam.fixture.databaseBytes() == before)
        // Received records stay as sent.
        #expect(expectCasebookError(.invalidInput) {
            _ = try supervisor.records.amend(id: imported[0], content: parse(SampleDocuments.hii(marker: "x")), reason: "mine")
        } != nil)
    }

    /// The package's audit evidence is checked: a proof, checkpoint or event that is not the
    /// sender's record of this very package is refused, even inside a correctly signed archive.
    @Test func theAuditProofInsideAHandoverIsChecked() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let (url, _) = try sealed(ada, to: [sam])
        let (other, _) = try sealed(ada, to: [sam])
        let supervisor = try sam.vault()
        let identity = try sam.ageIdentity()
        func entries(_ url: URL) throws -> [UstarArchive.Entry] {
            let archive = try Age.decrypt(try [UInt8](Data(contentsOf: url)), identities: [identity])
            return try UstarArchive.read(archive, limits: .init(maximumEntryCount: 8, maximumTotalByteCount: 1 << 24))
        }
        let genuine = try entries(url)
        #expect(genuine.map { $0.name } == PackageLayout.handover.entryNames(markdown: false))
        let otherEntries = try entries(other)
        func reseal(_ entries: [UstarArchive.Entry]) throws -> [UInt8] {
            try Age.encrypt(try UstarArchive.write(entries), to: [try AgeX25519Recipient(encoded: sam.card.ageRecipient)])
        }
        #expect(try supervisor.handovers.open(try reseal(genuine), sender: contacts(ada)).records.count == 2)
        func replacing(_ index: Int, with contents: [UInt8]) -> [UstarArchive.Entry] {
            var copy = genuine
            copy[index] = UstarArchive.Entry(name: copy[index].name, contents: contents, modificationTime: copy[index].modificationTime)
            return copy
        }
        var proof = try InclusionProofFile.decode(genuine[3].contents)
        proof.hashes[0] = MerkleHash(bytes: [UInt8](repeating: 7, count: 32))!
        var shortProof = try InclusionProofFile.decode(genuine[3].contents)
        shortProof.hashes.removeLast()
        let ben = try Party("Ben Other", role: .psychologist)
        let foreignCheckpoint = try Checkpoint(parsing: try SignedNote(parsing: genuine[4].contents).text)
            .signed(privateKey: try IdentitySecrets(rawSecret: ben.raw).signing)
        let cases: [(String, [UstarArchive.Entry])] = [
            ("another package's event", replacing(2, with: otherEntries[2].contents)),
            ("another package's proof", replacing(3, with: otherEntries[3].contents)),
            ("a later checkpoint", replacing(4, with: otherEntries[4].contents)),
            ("an altered proof hash", replacing(3, with: proof.encoded())),
            ("a shortened proof", replacing(3, with: shortProof.encoded())),
            ("a checkpoint signed by someone else", replacing(4, with: foreignCheckpoint.bytes)),
            ("an event with one byte changed", replacing(2, with: Array(String(decoding: genuine[2].contents, as: UTF8.self)
                .replacingOccurrences(of: "handover.sealed", with: "handover.seales").utf8))),
            ("garbage proof", replacing(3, with: Array("{}".utf8))),
            ("no audit evidence", Array(genuine.prefix(2))),
        ]
        let before = try sam.fixture.databaseBytes()
        for (what, entries) in cases {
            let error = expectCasebookError(what == "no audit evidence" ? .invalidInput : .integrity) {
                _ = try supervisor.handovers.open(try reseal(entries), sender: contacts(ada))
            }
            #expect(error != nil, "\(what) was accepted")
        }
        #expect(try sam.fixture.databaseBytes() == before)
    }

    @Test func refusesWhatWasNotSentToThisVaultOrByAContact() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let eve = try Party("Eve Other", role: .mentor)
        let (url, _) = try sealed(ada, to: [sam])
        let file = try [UInt8](Data(contentsOf: url))
        // Not addressed to Eve.
        let notMine = expectCasebookError(.invalidInput) { _ = try eve.vault().handovers.open(file, sender: self.contacts(ada)) }
        #expect(notMine?.message.contains("not addressed to you") == true)
        // Sender unknown to Sam.
        let unknown = expectCasebookError(.notFound) { _ = try sam.vault().handovers.open(file, sender: self.contacts()) }
        #expect(unknown?.message.contains("not in your contacts") == true)
        #expect(unknown?.remedy == .addTheirCard)
        // A contact with Ada's name but another key: the signature does not verify.
        let impostor = HandoverParty(name: "Dr Ada Example", card: eve.card)
        let badSignature = expectCasebookError(.integrity) { _ = try sam.vault().handovers.open(file, sender: { _ in impostor }) }
        #expect(badSignature?.message.contains("signature does not verify") == true)
        // Truncated and bit-flipped files.
        for damaged in [Array(file.prefix(file.count - 10)), file.enumerated().map { $0.offset == file.count - 30 ? $0.element ^ 1 : $0.element }] {
            let error = expectCasebookError(.integrity) { _ = try sam.vault().handovers.open(damaged, sender: self.contacts(ada)) }
            #expect(error?.message.contains("damaged") == true)
        }
    }

    @Test func refusesAForwardedOrResealedHandover() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let eve = try Party("Eve Other", role: .mentor)
        let (url, _) = try sealed(ada, to: [sam])
        // Sam decrypts the genuine archive and re-seals it: to Eve, and to himself and Eve.
        let archive = try Age.decrypt(try [UInt8](Data(contentsOf: url)), identities: [try sam.ageIdentity()])
        let toEve = try Age.encrypt(archive, to: [try AgeX25519Recipient(encoded: eve.card.ageRecipient)])
        let forwarded = expectCasebookError(.invalidInput) { _ = try eve.vault().handovers.open(toEve, sender: self.contacts(ada)) }
        #expect(forwarded?.message.contains("not meant for you") == true)
        let toBoth = try Age.encrypt(archive, to: [try AgeX25519Recipient(encoded: sam.card.ageRecipient),
                                                   try AgeX25519Recipient(encoded: eve.card.ageRecipient)])
        let resealed = expectCasebookError(.invalidInput) { _ = try sam.vault().handovers.open(toBoth, sender: self.contacts(ada)) }
        #expect(resealed?.message.contains("re-sealed") == true)
        // An archive with an altered manifest but the original signature.
        var entries = try UstarArchive.read(archive, limits: .init(maximumTotalByteCount: 1 << 20))
        var json = entries[0].contents
        let index = try #require(json.firstIndex(of: UInt8(ascii: "Z")))
        json[index] = UInt8(ascii: "Y")
        entries[0] = UstarArchive.Entry(name: "handover.json", contents: json, modificationTime: entries[0].modificationTime)
        let altered = try Age.encrypt(try UstarArchive.write(entries), to: [try AgeX25519Recipient(encoded: sam.card.ageRecipient)])
        let error = expectCasebookError(.integrity) { _ = try sam.vault().handovers.open(altered, sender: self.contacts(ada)) }
        #expect(error?.message.contains("signature does not verify") == true)
    }

    @Test func sealingChecksItsInputsAndNeverOverwrites() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let vault = try ada.vault()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        try permitSupervision(vault, client: "C-0042", to: sam)
        let url = ada.fixture.folder.file("out.age")
        func seal(ids: [String] = [record.recordID], to: [HandoverParty]? = nil, reason: String? = nil, fields: [String]? = nil) throws {
            try vault.handovers.seal(recordIDs: ids, to: to ?? [sam.party], purpose: .supervision, reason: reason, fields: fields, armor: true, writingTo: url)
        }
        #expect(expectCasebookError(.invalidInput) { try seal(reason: "  ") } != nil)
        #expect(expectCasebookError(.invalidInput) { try seal(to: []) } != nil)
        #expect(expectCasebookError(.invalidInput) { try seal(ids: []) } != nil)
        #expect(expectCasebookError(.invalidInput) { try seal(fields: ["no-such-section"]) } != nil)
        #expect(expectCasebookError(.notFound) { try seal(ids: ["ZZZZZZZZZZ"]) } != nil)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let events = try vault.audit.events().count
        try seal()
        #expect(try String(contentsOf: url, encoding: .utf8).hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----"))
        #expect(expectCasebookError(.alreadyExists) { try seal() } != nil)
        #expect(try vault.audit.events().count == events + 1)
    }
}

/// The reference tools open a handover: `age -d -i KEY FILE | tar -x` gives the manifest and
/// its signature, and `minisign -Vm handover.json -P KEY` verifies it (Debian packages `age`
/// and `minisign`; `scripts/install-deps.sh --test` installs them).
@Suite struct HandoverInteropTests {
    private func run(_ path: String, _ arguments: [String], in folder: URL, input: URL? = nil) throws -> (status: Int32, output: String) {
        #expect(ReferenceTool.isAvailable(path), "\(path) is missing: run scripts/install-deps.sh --test")
        let result = try ReferenceTool.run(path, arguments, in: folder, input: input)
        return (result.status, result.output)
    }

    @Test func theReferenceToolsOpenAndVerifyAHandover() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let vault = try ada.vault()
        let record = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra crossing")))
        try permitSupervision(vault, client: "C-0042", to: sam)
        let folder = sam.fixture.folder.url
        let file = folder.appendingPathComponent("handover.age")
        for armor in [false, true] {
            try? FileManager.default.removeItem(at: file)
            let manifest = try vault.handovers.seal(recordIDs: [record.recordID], to: [sam.party], purpose: .supervision,
                                                  fields: nil, armor: armor, writingTo: file)
            // Sam's age identity, as `whoami --export-age-identity` writes it.
            let key = folder.appendingPathComponent("key.txt")
            try? FileManager.default.removeItem(at: key)
            let encoded = try sam.ageIdentity().encoded().withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            try (encoded + "\n").write(to: key, atomically: false, encoding: .utf8)
            let archive = folder.appendingPathComponent("handover.tar")
            let decrypted = try run("/usr/bin/age", ["-d", "-i", key.path, "-o", archive.path, file.path], in: folder)
            #expect(decrypted.status == 0, "\(decrypted.output)")
            let extract = folder.appendingPathComponent("extract-\(armor)")
            try FileManager.default.createDirectory(at: extract, withIntermediateDirectories: false)
            let untar = try run("/usr/bin/tar", ["-x", "-f", archive.path], in: extract)
            #expect(untar.status == 0, "\(untar.output)")
            let json = try Data(contentsOf: extract.appendingPathComponent("handover.json"))
            #expect([UInt8](json) == manifest.encoded())
            let verified = try run("/usr/bin/minisign", ["-Vm", "handover.json", "-P", ada.card.minisignKey.encoded], in: extract)
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("casebook handover \(manifest.id)"))
            // And a changed manifest does not verify.
            var altered = [UInt8](json)
            altered[altered.count / 2] ^= 1
            try Data(altered).write(to: extract.appendingPathComponent("handover.json"))
            #expect(try run("/usr/bin/minisign", ["-Vm", "handover.json", "-P", ada.card.minisignKey.encoded], in: extract).status != 0)
        }
    }
}

@Suite struct HandoverFuzzTests {
    @Test func damagedHandoversEndInOneClearErrorAndChangeNothing() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let vault = try ada.vault()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        try permitSupervision(vault, client: "C-0042", to: sam)
        let url = ada.fixture.folder.file("h.age")
        try vault.handovers.seal(recordIDs: [record.recordID], to: [sam.party], purpose: .supervision, fields: nil, armor: false, writingTo: url)
        let file = try [UInt8](Data(contentsOf: url))
        let supervisor = try sam.vault()
        let contacts: (IdentityFingerprint) -> HandoverParty? = { $0 == ada.card.fingerprint ? ada.party : nil }
        let before = try sam.fixture.databaseBytes()
        var state: UInt64 = 0xF022_0001
        func next(_ bound: Int) -> Int {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
        }
        var inputs: [[UInt8]] = []
        for length in stride(from: 0, to: file.count, by: max(1, file.count / 60)) { inputs.append(Array(file.prefix(length))) }
        for _ in 0..<150 {
            var flipped = file
            flipped[next(file.count)] ^= UInt8(1 << next(8))
            inputs.append(flipped)
        }
        for _ in 0..<30 { inputs.append((0..<next(400)).map { _ in UInt8(next(256)) }) }
        for input in inputs {
            do {
                _ = try supervisor.handovers.open(input, sender: contacts)
                Issue.record("a damaged handover was accepted")
            } catch let error as CasebookError {
                #expect(!error.message.isEmpty)
            } catch let error as WireFormatError {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(try sam.fixture.databaseBytes() == before)
        // The genuine file still opens.
        #expect(try supervisor.handovers.open(file, sender: contacts).records.count == 1)
    }

    @Test func manifestsMustBeCanonical() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let vault = try ada.vault()
        let record = try vault.records.create(parse(SampleDocuments.hii()))
        try permitSupervision(vault, client: "C-0042", to: sam)
        let manifest = try vault.handovers.seal(recordIDs: [record.recordID], to: [sam.party], purpose: .supervision, fields: nil,
                                              armor: false, writingTo: ada.fixture.folder.file("h.age"))
        let json = String(decoding: manifest.encoded(), as: UTF8.self)
        #expect(try HandoverManifest.decode(manifest.encoded()) == manifest)
        for variant in [
            json.replacingOccurrences(of: "{\"created\"", with: "{ \"created\""),            // whitespace
            json.replacingOccurrences(of: "\"format\"", with: "\"extra\":1,\"format\""),     // unknown key
            json.replacingOccurrences(of: "\"revision\":1", with: "\"revision\":1.0"),         // number spelling
            json.replacingOccurrences(of: "casebook-handover/v2", with: "casebook-handover/v1"),
            json.replacingOccurrences(of: "casebook-handover/v2", with: "casebook-handover/v3"),
            json + "\n",
            String(json.dropLast()),
        ] {
            #expect(throws: WireFormatError.self) { _ = try HandoverManifest.decode(Array(variant.utf8)) }
        }
    }
}

@Suite struct HandoverConsentGateTests {
    @Test func onlyWhatConsentCoversLeaves() throws {
        let ada = try Party("Dr Ada Example", role: .psychologist)
        let sam = try Party("Sam Supervisor", role: .supervisor)
        let vault = try ada.vault()
        let record = try vault.records.create(parse(SampleDocuments.hii(marker: "Zebra")))
        var url = ada.fixture.folder.file("a.age")
        func seal(acceptPartial: Bool = false) throws -> HandoverManifest {
            try vault.handovers.seal(recordIDs: [record.recordID], to: [sam.party], purpose: .supervision, fields: nil,
                                   acceptPartial: acceptPartial, armor: false, writingTo: url)
        }
        // No consent: refused, nothing written, the refusal audited.
        let none = expectCasebookError(.refused) { _ = try seal() }
        #expect(none?.message.contains("no consent covers this handover") == true)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try vault.audit.events().last?.action == .handoverRefused)
        // A consent for two sections only: refused unless the partial result is accepted.
        let consent = try permitSupervision(vault, client: "C-0042", to: sam, fields: ["focus", "plan"])
        let partial = expectCasebookError(.refused) { _ = try seal() }
        #expect(partial?.message.contains("only in part") == true)
        #expect(partial?.remedy == .acceptPartialOrGrantConsent)
        let manifest = try seal(acceptPartial: true)
        let sent = try #require(manifest.records.first)
        #expect(Set(sent.sections.keys) == ["focus", "plan"])
        #expect(sent.withheld.contains("session-number") && sent.withheld.contains("client-report"))
        let event = try #require(try vault.audit.events().last)
        #expect(event.action == .handoverSealed)
        #expect(event.basis == ["\(consent.id) v1 sha256:\(consent.canonicalHash)"])
        // Asking only for what the consent covers is a full result: no --accept-partial needed.
        url = ada.fixture.folder.file("fields.age")
        let exact = try vault.handovers.seal(recordIDs: [record.recordID], to: [sam.party], purpose: .supervision, fields: ["focus", "plan"],
                                           armor: false, writingTo: url)
        #expect(Set(try #require(exact.records.first).sections.keys) == ["focus", "plan"])
        // Withdrawn: refused again (not retroactive: the handover above stays sent).
        _ = try vault.consents.withdraw(id: consent.id, reason: "client asked")
        url = ada.fixture.folder.file("b.age")
        #expect(expectCasebookError(.refused) { _ = try seal(acceptPartial: true) } != nil)
        // Another recipient than the one named is not covered.
        let eve = try Party("Eve Other", role: .supervisor)
        #expect(expectCasebookError(.refused) {
            _ = try vault.handovers.seal(recordIDs: [record.recordID], to: [eve.party], purpose: .supervision, fields: nil,
                                       acceptPartial: true, armor: false, writingTo: ada.fixture.folder.file("c.age"))
        } != nil)
    }
}
