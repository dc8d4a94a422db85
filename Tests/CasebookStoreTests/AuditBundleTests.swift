import Foundation
import Testing
import GRDB
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// Audit bundles from export to verification, and every way of tampering with one: Ada
/// (psychologist) exports her log to Chris (compliance); the tests play Ada turned adversary
/// (she holds her signing key) and a naive tamperer (who does not).
@Suite struct AuditBundleTests {
    /// Ada and Chris, each the other's contact: events 0 (vault.created) and 1 (contact.added) in Ada's log.
    private func pair() throws -> (ada: AuditParty, chris: AuditParty, files: TemporaryDirectory, trusted: TemporaryDirectory) {
        let ada = try AuditParty("Dr Ada Example", role: .psychologist)
        let chris = try AuditParty("Chris Example", role: .compliance)
        try ada.knows(chris)
        try chris.knows(ada)
        return (ada, chris, try TemporaryDirectory(), try TemporaryDirectory())
    }

    @Test func aGenuineBundleVerifiesAndTheVerificationIsRecorded() throws {
        let (ada, chris, files, trusted) = try pair()
        try ada.write(3)
        let bundle = try ada.export(to: chris, in: files)
        // The export is the log's last event, inside the bundle.
        let exported = try #require(try ada.vault.audit.events().last)
        #expect(exported.action == .auditExported)
        #expect(exported.sequence == 5 && exported.count == 6)
        #expect(exported.recipients == [chris.fingerprint])
        #expect(exported.contact == "Chris Example")

        let verification = try chris.verify(bundle)
        #expect(verification.isVerified, "\(String(describing: verification.failure))")
        #expect(verification.eventCount == 6)
        #expect(verification.ownerName == "Dr Ada Example")
        #expect(verification.ownerFingerprint == ada.card.fingerprint)
        #expect(verification.origin == ada.vault.audit.origin)
        #expect(verification.exported == exported.time)
        #expect(verification.checkpoint?.checkpoint.size == 6)
        #expect(verification.rootHash == (try ada.vault.audit.treeHead().rootHash))
        let recorded = try #require(try chris.vault.audit.events().last)
        #expect(recorded.action == .auditVerified)
        #expect(recorded.sender == ada.fingerprint)
        #expect(recorded.count == 6 && recorded.digest == nil)
        #expect(recorded.origin == ada.vault.audit.origin && recorded.root == verification.rootHash.base64
                && recorded.result == "verified" && recorded.failedAt == nil && recorded.for == "verify")
        #expect(recorded.shownDetail == "origin=\(ada.vault.audit.origin); root=\(verification.rootHash.base64); result=verified; for=verify")

        // Saved, the checkpoint is trusted next time; saving it twice is harmless.
        let checkpoint = try #require(verification.checkpoint)
        let saved = try TrustedCheckpoints.save(checkpoint, signer: ada.card.fingerprint, in: trusted.url)
        #expect(saved.created && saved.url.lastPathComponent == TrustedCheckpoints.fileName(for: checkpoint.checkpoint, signer: ada.card.fingerprint))
        #expect(saved.url.lastPathComponent == "\(Hex.encode(ada.vault.vaultID))-\(ada.keyPrefix)-6.checkpoint")
        #expect(try TrustedCheckpoints.save(checkpoint, signer: ada.card.fingerprint, in: trusted.url).created == false)
        try ada.write(1)
        let later = try chris.verify(try ada.export(to: chris, in: files), trusted: trusted)
        #expect(later.isVerified && later.eventCount == 8)
        #expect(later.trusted.map(\.checkpoint.size) == [6])
    }

    @Test func exportingNeverOverwritesAndRecordsNothingWhenItFails() throws {
        let (ada, chris, files, _) = try pair()
        let url = files.file("bundle.age")
        _ = try ada.vault.audit.exportBundle(to: ada.vault.contacts.contact(named: "Chris Example"), armor: true, writingTo: url)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOf: url, encoding: .utf8).hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----"))
        let before = try ada.fixture.databaseBytes()
        let error = expectCasebookError(.alreadyExists) {
            _ = try ada.vault.audit.exportBundle(to: ada.vault.contacts.contact(named: "Chris Example"), writingTo: url)
        }
        #expect(error != nil)
        #expect(try ada.fixture.databaseBytes() == before)
        // The armored bundle verifies like a binary one.
        #expect(try chris.verify([UInt8](Data(contentsOf: url))).isVerified)
    }

    @Test func anEditWithoutReSigningIsFound() throws {
        let (ada, chris, files, trusted) = try pair()
        try ada.write(4)                                             // events 0–5
        try trusted.put("a.checkpoint", try ada.checkpoint())        // size 6
        try ada.write(1)                                             // event 6
        try trusted.put("b.checkpoint", try ada.checkpoint())        // size 7
        try ada.write(2)                                             // events 7, 8
        let bundle = try ada.export(to: chris, in: files)            // event 9: 10 events
        var parts = try BundleParts(bundle, openedBy: chris)
        parts.edit(6)
        let edited = try parts.sealed(to: chris)
        // Alone, the bundle's own checkpoint shows that something changed, not where.
        #expect(verdict { try chris.verify(edited) } == .checkpointRootMismatch(firstBad: 0..<10))
        // The trusted checkpoints of sizes 6 and 7 place it exactly.
        let found = verdict { try chris.verify(edited, trusted: trusted) }
        #expect(found == .inconsistent(trusted: "b.checkpoint", trustedSize: 7, firstBad: 6..<7))
        #expect(found?.firstBadIndex == 6)
        #expect(found?.message == "the audit log differs from the trusted checkpoint of size 7 (b.checkpoint); the first altered entry is 6")
        let failed = try #require(try chris.vault.audit.events().last)
        #expect(failed.result == "failed" && failed.failedAt == 6 && failed.for == "verify")
        #expect(failed.shownDetail?.hasSuffix("result=failed at 6; for=verify") == true)
        // After the last trusted checkpoint: the range from there to the end.
        var late = try BundleParts(bundle, openedBy: chris)
        late.edit(8)
        #expect(verdict { try chris.verify(try late.sealed(to: chris), trusted: trusted) } == .checkpointRootMismatch(firstBad: 7..<10))
    }

    @Test func insertedRemovedAndReorderedEventsAreFoundAtTheirIndex() throws {
        let (ada, chris, files, trusted) = try pair()
        try ada.write(4)                                             // events 0–5
        try trusted.put("t.checkpoint", try ada.checkpoint())        // size 6
        try ada.write(1)                                             // event 6
        let bundle = try ada.export(to: chris, in: files)            // 8 events
        let original = try BundleParts(bundle, openedBy: chris)
        var inserted = original
        inserted.events.insert(original.events[3], at: 4)
        #expect(verdict { try chris.verify(try inserted.sealed(to: chris)) } == .outOfSequence(index: 4, found: 3))
        var removed = original
        removed.events.remove(at: 3)
        #expect(verdict { try chris.verify(try removed.sealed(to: chris)) } == .outOfSequence(index: 3, found: 4))
        var reordered = original
        reordered.events.swapAt(3, 4)
        #expect(verdict { try chris.verify(try reordered.sealed(to: chris)) } == .outOfSequence(index: 3, found: 4))

        // Ada herself removes event 3, renumbers and re-signs: the bundle is self-consistent…
        var rewritten = original
        rewritten.events.remove(at: 3)
        try rewritten.resign(by: ada)
        let forged = try rewritten.sealed(to: chris)
        #expect(try chris.verify(forged).isVerified)
        // …and only a checkpoint compliance already holds exposes it.
        #expect(verdict { try chris.verify(forged, trusted: trusted) } == .inconsistent(trusted: "t.checkpoint", trustedSize: 6, firstBad: 0..<6))
    }

    @Test func truncationIsFound() throws {
        let (ada, chris, files, trusted) = try pair()
        try ada.write(3)                                             // events 0–4
        try trusted.put("five", try ada.checkpoint())                // size 5
        let bundle = try ada.export(to: chris, in: files)            // 6 events
        let original = try BundleParts(bundle, openedBy: chris)
        // The last two events dropped (and the header's count fixed), the checkpoint kept.
        var cut = original
        cut.events.removeLast(2)
        cut.header[3] = "events: 4"
        #expect(verdict { try chris.verify(try cut.sealed(to: chris)) } == .checkpointSizeMismatch(checkpointSize: 6, eventCount: 4))
        // Re-signed by Ada: a trusted checkpoint of 5 events shows the log was cut.
        try cut.resign(by: ada)
        let rolledBack = verdict { try chris.verify(try cut.sealed(to: chris), trusted: trusted) }
        #expect(rolledBack == .rollback(trusted: "five", trustedSize: 5, eventCount: 4))
        #expect(rolledBack?.firstBadIndex == 4)
        // The plaintext cut after three events: the header still says six.
        var short = original
        short.events.removeLast(3)
        short.checkpoint = []
        #expect(verdict { try chris.verify(try short.sealed(to: chris)) } == .truncatedBundle(expected: 6, found: 3))
        // One event too many for the header.
        var extra = original
        extra.header[3] = "events: 5"
        #expect(verdict { try chris.verify(try extra.sealed(to: chris)) } == .extraEvents(expected: 5))
        // Nothing after the events.
        var bare = original
        bare.checkpoint = []
        guard case .malformedBundle(nil, let why)? = verdict({ try chris.verify(try bare.sealed(to: chris)) }) else {
            Issue.record("a bundle without its checkpoint was not refused"); return
        }
        #expect(why.contains("checkpoint is missing"))
    }

    @Test func anOlderCheckpointSwappedInIsFound() throws {
        let (ada, chris, files, _) = try pair()
        try ada.write(2)
        let older = try ada.checkpoint()                             // size 4
        var parts = try BundleParts(try ada.export(to: chris, in: files), openedBy: chris)  // 5 events
        parts.checkpoint = older
        #expect(verdict { try chris.verify(try parts.sealed(to: chris)) } == .checkpointSizeMismatch(checkpointSize: 4, eventCount: 5))
    }

    @Test func anOldBundleAfterANewerCheckpointIsARollback() throws {
        let (ada, chris, files, trusted) = try pair()
        try ada.write(1)
        let old = try ada.export(to: chris, in: files)               // 4 events
        try ada.write(2)
        let new = try chris.verify(try ada.export(to: chris, in: files), trusted: trusted)  // 7 events
        try TrustedCheckpoints.save(try #require(new.checkpoint), signer: ada.card.fingerprint, in: trusted.url)
        let name = "\(Hex.encode(ada.vault.vaultID))-\(ada.keyPrefix)-7.checkpoint"
        let rollback = verdict { try chris.verify(old, trusted: trusted) }
        #expect(rollback == .rollback(trusted: name, trustedSize: 7, eventCount: 4))
        #expect(rollback?.message == "the audit log has 4 events but the trusted checkpoint \(name) has 7: entries 4 to 6 were removed, or an older copy of the log was presented (rollback)")
    }

    @Test func twoCheckpointsOfOneSizeWithDifferentRootsAreEquivocation() throws {
        let (ada, chris, files, trusted) = try pair()
        try ada.write(2)
        let real = try ada.checkpoint()                              // size 4
        let origin = ada.vault.audit.origin
        try trusted.put("real", real)
        try trusted.put("forged", try ada.sign(Checkpoint(origin: origin, size: 4, rootHash: MerkleTree.leafHash([1, 2, 3]))))
        let bundle = try ada.export(to: chris, in: files)            // 5 events
        #expect(verdict { try chris.verify(bundle, trusted: trusted) } == .equivocation(size: 4, first: "forged", second: "real"))
        // A bundle re-signed at the size of a checkpoint compliance saved.
        let held = try TemporaryDirectory()
        try TrustedCheckpoints.save(try #require(try chris.verify(bundle).checkpoint), signer: ada.card.fingerprint, in: held.url)
        var rewritten = try BundleParts(bundle, openedBy: chris)
        rewritten.edit(2)
        try rewritten.resign(by: ada)
        #expect(verdict { try chris.verify(try rewritten.sealed(to: chris), trusted: held) }
                == .equivocation(size: 5, first: "\(Hex.encode(ada.vault.vaultID))-\(ada.keyPrefix)-5.checkpoint", second: "the bundle's checkpoint"))
    }

    @Test func trustedCheckpointsFromOtherKeysAndOtherLogs() throws {
        let (ada, chris, files, _) = try pair()
        let eve = try AuditParty("Eve Other", role: .mentor)
        let bundle = try ada.export(to: chris, in: files)            // 3 events
        let origin = ada.vault.audit.origin
        // A checkpoint of Ada's log signed by Eve.
        let forged = try TemporaryDirectory()
        try forged.put("eve-signed", try eve.sign(Checkpoint(origin: origin, size: 2, rootHash: MerkleTree.leafHash([7]))))
        guard case .trustedNotSigned(let name, _)? = verdict({ try chris.verify(bundle, trusted: forged) }) else {
            Issue.record("a checkpoint of this log signed by another key was accepted"); return
        }
        #expect(name == "eve-signed")
        // A second vault with Ada's keys: another log by the same signer.
        let second = try AuditParty("Dr Ada Example", role: .psychologist, sameKeysAs: ada)
        let restarted = try TemporaryDirectory()
        try restarted.put("second-vault", try second.checkpoint())
        #expect(verdict { try chris.verify(bundle, trusted: restarted) }
                == .otherLogOfSigner(trusted: "second-vault", origin: second.vault.audit.origin))
        // Someone else's log: ignored, and listed.
        let shared = try TemporaryDirectory()
        try shared.put("eve.checkpoint", try eve.checkpoint())
        try FileManager.default.createDirectory(at: shared.file("archive"), withIntermediateDirectories: false)
        try shared.put(".hidden", [0, 1, 2])
        let verification = try chris.verify(bundle, trusted: shared)
        #expect(verification.isVerified)
        #expect(verification.ignored == ["eve.checkpoint"])
        #expect(verification.trusted.isEmpty)
    }

    @Test func theOwnerCannotBeBypassedWithABadCheckpoint() throws {
        let (ada, chris, files, _) = try pair()
        let eve = try AuditParty("Eve Other", role: .mentor)
        let bundle = try ada.export(to: chris, in: files)
        let original = try BundleParts(bundle, openedBy: chris)
        var garbage = original
        garbage.checkpoint = Array("hello\n".utf8)
        guard case .checkpointUnverified? = verdict({ try chris.verify(try garbage.sealed(to: chris)) }) else {
            Issue.record("a garbage checkpoint was accepted"); return
        }
        // Signed by someone else, over the right tree.
        var signedByEve = original
        let root = MerkleTree(leafHashes: original.events.map { MerkleTree.leafHash($0) }).rootHash
        signedByEve.checkpoint = try eve.sign(Checkpoint(origin: original.origin, size: 3, rootHash: root))
        guard case .checkpointUnverified(let why)? = verdict({ try chris.verify(try signedByEve.sealed(to: chris)) }) else {
            Issue.record("a checkpoint signed by another key was accepted"); return
        }
        #expect(why.contains("no signature by a known key"))
        // A non-canonical event.
        var spaced = original
        spaced.events[1] = Array(String(decoding: spaced.events[1], as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        guard case .malformedEvent(1, _)? = verdict({ try chris.verify(try spaced.sealed(to: chris)) }) else {
            Issue.record("a non-canonical event was accepted"); return
        }
    }

    /// A newer Casebook's event (unknown action and keys) verifies: nothing but the sequence
    /// number and the hash is needed of it.
    @Test func eventsWithUnknownFieldsVerify() throws {
        let (ada, chris, files, _) = try pair()
        var parts = try BundleParts(try ada.export(to: chris, in: files), openedBy: chris)
        let future = #"{"action":"future.thing","actor":"0000000000000000","nested":{"list":[1,true]},"salt":"00112233445566778899aabbccddeeff","sequence":2,"time":"2030-01-01T00:00:00Z","version":3,"zebra":"z"}"#
        parts.events.insert(Array(future.utf8), at: 2)
        try parts.resign(by: ada)
        let verification = try chris.verify(try parts.sealed(to: chris), report: true)
        #expect(verification.isVerified, "\(String(describing: verification.failure))")
        #expect(verification.eventCount == 4)
    }
}

/// Bundles that cannot be attributed to a contact, or are not bundles: one clear error, and
/// the compliance vault is left exactly as it was.
@Suite struct AuditBundleInputTests {
    private func expectRefusal(_ code: CasebookError.Code, _ party: AuditParty, _ bundle: [UInt8], trusted: TemporaryDirectory? = nil,
                               _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try party.fixture.databaseBytes()
        let error = expectCasebookError(code) { _ = try party.verify(bundle, trusted: trusted) }
        #expect(error?.message.contains(text) == true, "expected '\(text)', got \(String(describing: error))", sourceLocation: sourceLocation)
        #expect(try party.fixture.databaseBytes() == before, "the vault changed", sourceLocation: sourceLocation)
    }

    @Test func garbageAndDamagedFiles() throws {
        let ada = try AuditParty("Dr Ada Example", role: .psychologist)
        let chris = try AuditParty("Chris Example", role: .compliance)
        try ada.knows(chris)
        try chris.knows(ada)
        let files = try TemporaryDirectory()
        let bundle = try ada.export(to: chris, in: files)
        var state: UInt64 = 0xA0D1_7001
        let random = (0..<500).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        // Not an age file at all: invalid input, as from every reader of age files.
        try expectRefusal(.invalidInput, chris, random, "not a valid age file")
        try expectRefusal(.integrity, chris, Array(bundle.prefix(bundle.count - 20)), "damaged")
        var flipped = bundle
        flipped[flipped.count - 40] ^= 0x10
        try expectRefusal(.integrity, chris, flipped, "damaged")
        func sealed(_ text: String) throws -> [UInt8] { try Age.encrypt(Array(text.utf8), to: [try chris.recipient()]) }
        try expectRefusal(.integrity, chris, try sealed(""), "it is empty")
        try expectRefusal(.invalidInput, chris, try sealed("hello\n"), "not an audit bundle")
        try expectRefusal(.invalidInput, chris, try sealed("hello"), "not an audit bundle")
        try expectRefusal(.invalidInput, chris, try sealed("casebook-audit-bundle/v2\nwhatever\n"), "newer format")
        let parts = try BundleParts(bundle, openedBy: chris)
        let header: [(Int, String, String)] = [
            (1, "origin: casebook.example/vault/XYZ", "at line 2"),
            (1, "origin:casebook.example/vault/" + String(repeating: "0", count: 32), "at line 2"),
            (2, "created: 2026-11-24 10:00:00", "at line 3"),
            (3, "events: 0", "at line 4"),
            (3, "events: 03", "at line 4"),
            (3, "events: -3", "at line 4"),
            (5, "name: Mallory", "at line 5"),
        ]
        for (line, text, expected) in header {
            var altered = parts
            altered.header[line] = text
            try expectRefusal(.integrity, chris, try altered.sealed(to: chris), expected)
        }
        try expectRefusal(.integrity, chris, try sealed(parts.header.prefix(3).map { $0 + "\n" }.joined()), "header stops")
    }

    @Test func bundlesNotForThisVaultOrNotFromAContact() throws {
        let ada = try AuditParty("Dr Ada Example", role: .psychologist)
        let chris = try AuditParty("Chris Example", role: .compliance)
        let dana = try AuditParty("Dana Example", role: .compliance)
        try ada.knows(chris)
        try chris.knows(ada)
        let bundle = try ada.export(to: chris, in: try TemporaryDirectory())
        // Not sealed to Dana.
        try expectRefusal(.invalidInput, dana, bundle, "not addressed to you")
        // Sealed to Dana, but Ada is not her contact.
        let plaintext = try BundleParts(bundle, openedBy: chris)
        let forwarded = try plaintext.sealed(to: dana)
        let unknown = expectCasebookError(.notFound) { _ = try dana.verify(forwarded) }
        #expect(unknown?.message == "this audit bundle is from Dr Ada Example (\(ada.fingerprint)), who is not in your contacts")
        #expect(unknown?.remedy == .addTheirCard)
        // Ada is her contact: the bundle still names Chris as its recipient.
        try dana.knows(ada)
        try expectRefusal(.invalidInput, dana, forwarded, "not meant for you: Dr Ada Example exported it to Chris Example")
    }

    @Test func trustedFoldersThatAreNotCheckpoints() throws {
        let ada = try AuditParty("Dr Ada Example", role: .psychologist)
        let chris = try AuditParty("Chris Example", role: .compliance)
        try ada.knows(chris)
        try chris.knows(ada)
        let bundle = try ada.export(to: chris, in: try TemporaryDirectory())
        let checkpoint = try ada.checkpoint()
        for (name, bytes, expected) in [("notes.txt", Array("shopping list\n".utf8), "not a signed checkpoint"),
                                        ("cut", Array(checkpoint.dropLast(10)), "not a signed checkpoint"),
                                        ("big", [UInt8](repeating: 0x41, count: 70_000), "larger than")] {
            let folder = try TemporaryDirectory()
            try folder.put("good", checkpoint)
            try folder.put(name, bytes)
            try expectRefusal(.invalidInput, chris, bundle, trusted: folder, expected)
        }
        let missing = try TemporaryDirectory()
        try FileManager.default.removeItem(at: missing.url)
        try expectRefusal(.notFound, chris, bundle, trusted: missing, "does not exist")
    }
}

/// `audit verify` of a vault's own log against trusted checkpoints.
@Suite struct OwnAuditLogTests {
    /// A checkpoint in the trusted folder that names this log but whose owner signature does
    /// not verify — the signature bytes changed, or the tree head under it — is refused
    /// by name, however the rest of the log checks out.
    @Test func aTrustedCheckpointWithABrokenOwnerSignatureIsRefused() throws {
        let ada = try AuditParty("Dr Ada Example", role: .psychologist)
        try ada.write(2)
        let genuine = String(decoding: try ada.checkpoint(), as: UTF8.self)
        var lines = genuine.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // lines: origin, size, root, "", "— name base64", ""
        let signatureLine = try #require(lines.firstIndex { $0.hasPrefix("\u{2014} ") })
        let parts = lines[signatureLine].split(separator: " ")
        var signature = try #require(Data(base64Encoded: String(parts[2])))
        signature[20] ^= 0x01
        var flipped = lines
        flipped[signatureLine] = "\(parts[0]) \(parts[1]) \(signature.base64EncodedString())"
        // The root of another tree under the genuine signature.
        lines[2] = Data(repeating: 7, count: 32).base64EncodedString()
        for (name, text) in [("flipped-signature", flipped.joined(separator: "\n")), ("other-root", lines.joined(separator: "\n"))] {
            let trusted = try TemporaryDirectory()
            try trusted.put(name, Array(text.utf8))
            let verification = try ada.vault.audit.verify(trustedDirectory: trusted.url, collectingReport: false)
            guard case .trustedNotSigned(trusted: name, _) = verification.failure else {
                Issue.record("\(name): \(String(describing: verification.failure))")
                continue
            }
        }
    }

    @Test func theOwnLogIsMeasuredAgainstTrustedCheckpoints() throws {
        let ada = try AuditParty("Dr Ada Example", role: .psychologist)
        let trusted = try TemporaryDirectory()
        try ada.write(2)                                             // events 0–2
        let backup = try ada.fixture.databaseBytes()
        try trusted.put("three", try ada.checkpoint())
        try ada.write(2)                                             // events 3, 4
        try trusted.put("five", try ada.checkpoint())
        let verification = try ada.vault.audit.verify(trustedDirectory: trusted.url, collectingReport: false)
        #expect(verification.isVerified && verification.eventCount == 5)
        #expect(verification.trusted.map(\.checkpoint.size) == [3, 5])
        // The database restored from the backup: the checkpoint of five shows it.
        try backup.write(to: ada.fixture.databaseURL)
        let restored = try ada.fixture.open()
        #expect(try restored.audit.verify(trustedDirectory: trusted.url, collectingReport: false).failure
                == .rollback(trusted: "five", trustedSize: 5, eventCount: 3))
        #expect(try restored.audit.verify(trustedDirectory: nil, collectingReport: false).isVerified)
        // An event deleted from the middle, behind Casebook's back.
        let queue = try DatabaseQueue(path: ada.fixture.databaseURL.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_append_only_delete; DELETE FROM audit_events WHERE sequence = 1")
        }
        #expect(try restored.audit.verify(trustedDirectory: nil, collectingReport: false).failure == .missingEntry(index: 1, next: 2))
    }
}
