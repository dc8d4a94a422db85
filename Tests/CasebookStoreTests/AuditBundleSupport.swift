import Foundation
import Testing
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

/// A person with a vault whose identity the test keeps, so that it can play the vault's owner
/// turned adversary: decrypt what was sealed to them, and sign checkpoints with their key.
final class AuditParty {
    let name: String
    let raw: SecureBytes
    let card: IdentityCard
    let fixture: VaultFixture
    let vault: Vault

    /// A new person, or (`sameKeysAs`) a second vault of an existing one.
    init(_ name: String, role: PractitionerRole, sameKeysAs other: AuditParty? = nil) throws {
        self.name = name
        let secrets = try other.map { try IdentitySecrets(rawSecret: $0.raw) } ?? IdentitySecrets.generate()
        raw = secrets.rawSecret()
        card = try IdentityCard.make(name: name, role: role.rawValue, created: "2026-11-24T09:00:00Z", identity: secrets)
        fixture = try VaultFixture(name: name, role: role, identity: IdentitySecrets(rawSecret: raw))
        vault = try fixture.open()
    }

    var fingerprint: String { card.fingerprint.description }
    /// The signer part of a saved checkpoint's file name.
    var keyPrefix: String { String(fingerprint.replacingOccurrences(of: "-", with: "").prefix(8)) }

    func ageIdentity() throws -> AgeX25519Identity {
        AgeX25519Identity(privateKey: try X25519.PrivateKey(rawRepresentation: raw.extracting(0..<32)))
    }

    func recipient() throws -> AgeX25519Recipient { try AgeX25519Recipient(encoded: card.ageRecipient) }

    /// A checkpoint signed with this person's key.
    func sign(_ checkpoint: Checkpoint) throws -> [UInt8] {
        let secrets = try IdentitySecrets(rawSecret: raw)
        return try checkpoint.signed(privateKey: secrets.signing).bytes
    }

    func knows(_ other: AuditParty) throws {
        try vault.contacts.add(card: other.card, confirmation: .fingerprint(other.card.fingerprint.description))
    }

    /// Writes `count` records (one audit event each).
    func write(_ count: Int) throws {
        for index in 0..<count {
            _ = try vault.records.create(parse(SampleDocuments.hii(start: "2026-11-\(String(format: "%02d", 3 + index % 20))T10:00:00Z")))
        }
    }

    /// The signed checkpoint `casebook audit checkpoint` prints now.
    func checkpoint() throws -> [UInt8] { try vault.audit.checkpoint().note.bytes }

    func export(to contact: AuditParty, in folder: TemporaryDirectory) throws -> [UInt8] {
        let url = folder.file("bundle-\(UUID().uuidString).age")
        _ = try vault.audit.exportBundle(to: vault.contacts.contact(named: contact.name), writingTo: url)
        return try [UInt8](Data(contentsOf: url))
    }

    func verify(_ bundle: [UInt8], trusted: TemporaryDirectory? = nil, report: Bool = false) throws -> AuditVerification {
        try vault.audit.verifyBundle(from: ArraySource(bundle), trustedDirectory: trusted?.url, collectingReport: report)
    }
}

/// An audit bundle's plaintext taken apart, to be altered and put back together.
struct BundleParts {
    var header: [String]
    var events: [[UInt8]]
    var checkpoint: [UInt8]

    init(_ bundle: [UInt8], openedBy reader: AuditParty) throws {
        let plaintext = try Age.decrypt(bundle, identities: [try reader.ageIdentity()])
        var lines = plaintext.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        header = lines.prefix(AuditBundleHeader.lineCount).map { String(decoding: $0, as: UTF8.self) }
        lines.removeFirst(AuditBundleHeader.lineCount)
        let count = try #require(Int(header[3].dropFirst("events: ".count)))
        events = Array(lines.prefix(count))
        checkpoint = Array(lines.dropFirst(count).joined(separator: [0x0A]))
    }

    var plaintext: [UInt8] {
        Array(header.map { $0 + "\n" }.joined().utf8) + events.flatMap { $0 + [0x0A] } + checkpoint
    }

    func sealed(to party: AuditParty) throws -> [UInt8] {
        try Age.encrypt(plaintext, to: [try party.recipient()])
    }

    var origin: String { String(header[1].dropFirst("origin: ".count)) }

    /// What the log's owner can do: renumber the events, make the last (export) event count
    /// them, and sign a fresh checkpoint over the result.
    mutating func resign(by owner: AuditParty) throws {
        events = try events.enumerated().map { index, line in
            var event = try JSONDecoder().decode(AuditEvent.self, from: Data(line))
            event.sequence = index
            if index == events.count - 1 && event.action == .auditExported { event.count = events.count }
            return event.canonicalBytes()
        }
        header[3] = "events: \(events.count)"
        let root = MerkleTree(leafHashes: events.map { MerkleTree.leafHash($0) }).rootHash
        checkpoint = try owner.sign(Checkpoint(origin: origin, size: UInt64(events.count), rootHash: root))
    }

    /// Event `index` with its `records` value changed, keeping everything else.
    mutating func edit(_ index: Int) {
        let text = String(decoding: events[index], as: UTF8.self)
        let edited = text.replacingOccurrences(of: #""records":[""#, with: #""records":["X"#)
        precondition(edited != text, "event \(index) has no records to edit")
        events[index] = Array(edited.utf8)
    }
}

extension TemporaryDirectory {
    func put(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: file(name))
    }
}

/// The failure a verification returned (nil if it verified, recording an issue if it threw).
func verdict(_ body: () throws -> AuditVerification) -> AuditLogFailure? {
    do {
        return try body().failure
    } catch {
        Issue.record("verification threw instead of returning a verdict: \(error)")
        return nil
    }
}
