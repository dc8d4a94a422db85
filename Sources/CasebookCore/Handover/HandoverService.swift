public import Foundation
public import CasebookFormat
import CasebookCrypto

/// A contact a handover is sealed to, or was sent by: the name it has in this vault and its card.
public struct HandoverParty: Sendable {
    public let name: String
    public let card: IdentityCard

    public init(name: String, card: IdentityCard) {
        self.name = name
        self.card = card
    }

    /// As the consent evaluator sees a contact: its fingerprint and its card's role.
    var disclosureRecipient: DisclosureRecipient {
        DisclosureRecipient(name: name, fingerprint: card.fingerprint, role: card.role)
    }
}

/// A handover decrypted, verified and checked, ready to show or import.
public struct OpenedHandover: Sendable {
    public let manifest: HandoverManifest
    public let sender: HandoverParty
    /// The records as they will be stored, in manifest order.
    public let records: [RecordContent]
    /// SHA-256 (hex) of the handover file.
    public let digest: String
    /// When this vault imported it before (RFC 3339), if it did.
    public let importedAt: String?
    /// The sender's audit event for it, proven into the checkpoint the sender signed.
    public let audit: PackageAuditProof.Verified
}

/// Handovers (docs/formats.md), reached as `vault.handovers`: selected records, minimised
/// to the requested sections, described in a canonical `handover.json` signed with the
/// sender's minisign key, packed with the signature into a ustar archive and sealed with
/// age to every recipient.
public struct HandoverService: VaultService {
    let context: VaultContext

    /// Largest decrypted handover accepted (the archive is read into memory).
    public static let maximumBytes = 256 << 20
    /// Largest handover file read at all: an armored handover of `maximumBytes` is about
    /// 347 MiB (base64 with a line break every 64 characters).
    public static let maximumFileBytes = 384 << 20

    /// Refuses a file larger than any handover before it is read (its size from `fstat`).
    public static func checkSize(of file: InputFile) throws {
        try file.checkSize(atMost: maximumFileBytes, else: CasebookError(
            .invalidInput, "\(file.path) is larger than \(maximumFileBytes >> 20) MiB: not a handover (a handover holds at most \(maximumBytes >> 20) MiB)",
            remedy: .askForAHandoverFile))
    }

    /// Seals the latest revisions of `recordIDs` to `recipients`, keeping only the sections
    /// in `fields` (all when nil) that the clients' recorded consent lets every recipient
    /// receive for `purpose`, writes the age file to `url` (never overwriting), and audits
    /// it. A disclosure the consent denies is refused (and the refusal audited); one it
    /// covers only in part is refused unless `acceptPartial`. Returns the manifest sent.
    @discardableResult
    public func seal(
        recordIDs: [String], to recipients: [HandoverParty], purpose: ConsentPurpose, reason: String? = nil,
        fields: [String]?, acceptPartial: Bool = false, armor: Bool, writingTo url: URL
    ) throws -> HandoverManifest {
        let reason = try Self.validatedReason(reason, what: "a handover")
        var seen = Set<IdentityFingerprint>()
        let recipients = recipients.filter { seen.insert($0.card.fingerprint).inserted }
        guard !recipients.isEmpty else { throw CasebookError(.invalidInput, "a handover needs at least one recipient", remedy: .giveRecipient) }
        let ids = try recordIDs.map(RecordID.normalized)
        let wanted = try Self.wantedSections(fields)
        let revisions = try disclosableRevisions(ids)
        let recipientPrints = recipients.map(\.card.fingerprint.description).sorted()
        let clients = Set(revisions.map(\.content.header.client.rawValue)).sorted()
        // The consent gate: nothing leaves that the clients' consent does not cover.
        let gate = try consentGate(revisions, wanted: wanted, recipients: recipients.map(\.disclosureRecipient), purpose: purpose,
                                   action: .handover)
        try gate.enforce(on: revisions, acceptPartial: acceptPartial, what: "this handover", consent: "the clients' consent",
                         denyRemedy: .grantConsentForHandover(purpose: purpose.rawValue)) { detail in
            _ = try store.write { writer in
                try append(.handoverRefused(.init(records: ids, recipients: recipientPrints, purpose: purpose, fields: fields,
                                                   basis: gate.basis, considered: gate.considered, clients: clients, detail: detail)), in: writer)
            }
        }
        let minimised = Self.minimise(revisions, wanted: wanted) { revision in
            gate.excluded[revision.recordID] == nil ? (gate.allowed[revision.recordID] ?? []) : nil
        }
        let created = Timestamp.string(clock.now())
        let senderCard = try senderCard(created: created)
        let manifest = HandoverManifest(
            format: HandoverManifest.formatName, id: Hex.encode(SecureRandom.bytes(16)), created: created,
            sender: .init(card: senderCard.rendered(), fingerprint: senderCard.fingerprint.description),
            recipients: recipients.map { .init(fingerprint: $0.card.fingerprint.description, name: $0.name) }
                .sorted { $0.fingerprint < $1.fingerprint },
            purpose: purpose.rawValue, reason: reason, fields: fields, records: minimised.records)
        let json = manifest.encoded()
        let signed = try signedDocument(json, name: PackageLayout.handover.manifestName,
                                        comment: "casebook handover \(manifest.id) from \(senderCard.fingerprint) created \(created)")
        let ageRecipients: [any AgeRecipient]
        do {
            ageRecipients = try recipients.map { try AgeX25519Recipient(encoded: $0.card.ageRecipient) }
        } catch {
            throw CasebookError(.internalError, "a contact's age recipient does not parse: \(error)")
        }
        try writePackage(.handover, manifest: signed, to: ageRecipients, armor: armor, at: url) { writer in
            try append(.handoverSealed(.init(minimised, digest: Hex.encode(SHA256.hash(json)), recipients: recipientPrints,
                                              purpose: purpose, basis: gate.basis, considered: gate.considered), handover: manifest.id), in: writer)
        }
        return manifest
    }

    /// Decrypts a handover file with this vault's identity and checks everything before
    /// anything is stored: that the archive holds exactly the manifest and its signature,
    /// that `sender` (looked up by the fingerprint the manifest claims) is a contact and
    /// signed it, that this vault is a named recipient, that the envelope has exactly one
    /// recipient stanza per named recipient (a forwarded or re-sealed package does not),
    /// and that every record is valid.
    /// The file is read once, as it is decrypted (its size checked first, and decryption
    /// stopped as soon as the plaintext exceeds `maximumBytes`), and hashed on the way.
    public func open(_ file: InputFile, sender lookUp: (IdentityFingerprint) throws -> HandoverParty?) throws -> OpenedHandover {
        try Self.checkSize(of: file)
        return try open(from: file.source, sizeHint: file.size, sender: lookUp)
    }

    /// The same for a handover file already in memory.
    public func open(_ file: [UInt8], sender lookUp: (IdentityFingerprint) throws -> HandoverParty?) throws -> OpenedHandover {
        return try open(from: ArraySource(file), sizeHint: file.count, sender: lookUp)
    }

    /// Decrypts the handover in `input` with `identity` — stopping as soon as the plaintext
    /// exceeds `maximumBytes` — and reads the archive's members, hashing the file as it
    /// passes. The decrypted archive is released on return: only its members stay.
    private static func readPackage(from input: some ByteSource, sizeHint: Int?,
                                    identity: any AgeIdentity) throws -> (SignedPackage, digest: [UInt8]) {
        var source = DigestingSource(input)
        let archive: [UInt8]
        do {
            archive = try Age.decrypt(from: &source, identities: [identity], limit: maximumBytes, sizeHint: sizeHint)
        } catch .plaintextTooLarge {
            throw CasebookError(.invalidInput, "the handover is larger than \(maximumBytes >> 20) MiB")
        } catch .noMatch {
            throw CasebookError(.invalidInput, "this handover is not addressed to you: none of its envelope's recipients is this vault's identity",
                                remedy: .sealToYourCard)
        } catch .unsupportedRecipientType(let type) {
            throw CasebookError(.invalidInput, "this handover's envelope uses the unsupported recipient type '\(Vault.displayed(type))'")
        } catch where error.category == .damaged {
            throw CasebookError(.integrity, "the handover file is damaged, truncated or was altered (\(error))",
                                hint: "ask the sender for a new copy")
        } catch where error.category == .environment {
            throw CasebookError(.environment, error.message)
        } catch {
            throw CasebookError(.invalidInput, "the handover file is not a valid age file (\(error))",
                                remedy: .askForAHandoverFile)
        }
        let digest: [UInt8]
        do {
            digest = try source.finalize()
        } catch {
            throw CasebookError(.environment, "cannot read the handover file: \(error)")
        }
        return (try SignedPackage.read(archive, layout: .handover, maximumBytes: maximumBytes), digest)
    }

    private func open(from input: some ByteSource, sizeHint: Int?,
                      sender lookUp: (IdentityFingerprint) throws -> HandoverParty?) throws -> OpenedHandover {
        let recorder = StanzaRecordingIdentity(ageIdentity())
        let (package, digest) = try Self.readPackage(from: input, sizeHint: sizeHint, identity: recorder)
        let json = package.manifest.contents
        let signature: MinisignSignature
        do {
            signature = try MinisignSignature(parsing: package.manifest.signature)
        } catch {
            throw CasebookError(.invalidInput, "handover.json.minisig is not a minisign signature: \(error)")
        }
        // Parsed before it is verified only to learn whom to verify it against.
        let manifest = try HandoverManifest.decode(json)
        let claimed: IdentityFingerprint
        do {
            claimed = try IdentityFingerprint(parsing: manifest.sender.fingerprint)
        } catch {
            throw CasebookError(.invalidInput, "the handover's sender fingerprint is malformed")
        }
        let claimedName = (try? IdentityCard.parse(manifest.sender.card).name) ?? "an unknown sender"
        guard let sender = try lookUp(claimed) else {
            throw CasebookError(.notFound, "this handover says it is from \(claimedName) (\(claimed)), who is not in your contacts",
                                remedy: .addTheirCard)
        }
        do {
            try signature.verify(message: json, publicKey: sender.card.minisignKey, allowingLegacy: false)
        } catch {
            throw CasebookError(.integrity, "the handover's signature does not verify with \(sender.name)'s key: it was altered, or \(sender.name) did not sign it",
                                hint: "do not use it; ask \(sender.name) for a new copy")
        }
        try manifest.validate()
        guard let embedded = try? IdentityCard.parse(manifest.sender.card), embedded.fingerprint == sender.card.fingerprint else {
            throw CasebookError(.integrity, "the handover's sender card does not match \(sender.name)'s contact card")
        }
        let me = ownFingerprint.description
        guard manifest.recipients.contains(where: { $0.fingerprint == me }) else {
            throw CasebookError(.invalidInput, "this handover was not meant for you: \(sender.name) addressed it to \(manifest.recipients.map(\.name).joined(separator: ", ")) (it was forwarded or re-sealed)",
                                hint: "ask \(sender.name) to send it to you directly")
        }
        guard recorder.stanzaCount == manifest.recipients.count, recorder.allX25519 else {
            throw CasebookError(.invalidInput, "the handover's envelope is sealed to \(recorder.stanzaCount) recipient(s) but \(sender.name) addressed it to \(manifest.recipients.count): it was re-sealed",
                                hint: "ask \(sender.name) to send it to you directly")
        }
        let audit = try package.verifyAudit(signer: sender.card.minisignKey.key, action: .handoverSealed, packageID: manifest.id)
        var records: [RecordContent] = []
        for (index, sent) in manifest.records.enumerated() {
            records.append(try Self.content(of: sent, number: index + 1))
        }
        let register = try receivedHandover(id: manifest.id, from: sender)
        return OpenedHandover(manifest: manifest, sender: sender, records: records, digest: Hex.encode(digest),
                              importedAt: register, audit: audit)
    }

    /// Stores an opened handover's records with their provenance, in one transaction with
    /// the register entry that refuses it a second time and the audit event. Returns the
    /// new record ids, in manifest order.
    public func importRecords(_ opened: OpenedHandover) throws -> [String] {
        let manifest = opened.manifest
        if let importedAt = try opened.importedAt ?? receivedHandover(id: manifest.id, from: opened.sender) {
            throw CasebookError(.alreadyExists, "handover \(manifest.id) from \(opened.sender.name) (\(opened.sender.card.fingerprint)) was already imported on \(importedAt)",
                                remedy: .alreadyImported)
        }
        let now = Timestamp.string(clock.now())
        let senderText = "\(opened.sender.name) (\(opened.sender.card.fingerprint))"
        let senderKeyID = opened.sender.card.minisignKey.keyIDHex
        var pending: [[UInt8]: ClientKey] = [:]
        let ids = try store.write { writer -> [String] in
            var ids: [String] = []
            for (sent, content) in zip(manifest.records, opened.records) {
                // The author is who verifiably sent it (their contact card's name), never the
                // manifest's `author` text, which the sender could set to anyone's name.
                let metadata = RevisionMetadata(
                    author: opened.sender.card.name, authorKeyID: senderKeyID, recordedAt: now, origin: .received, reason: nil,
                    provenance: .init(sender: senderText, handoverID: manifest.id, source: "\(sent.id)/\(sent.revision)", withheld: sent.withheld))
                ids.append(try insertNewRecord(content, metadata: metadata, writer: writer, pending: &pending).recordID)
            }
            let (mac, sealed) = registerEntry(id: manifest.id, sender: opened.sender.card.fingerprint, info: now)
            try writer.insertReceivedHandover(idMAC: mac, sealedInfo: sealed)
            try append(.handoverImported(.init(records: ids, kinds: Set(opened.records.map(\.header.kind.rawValue)).sorted(),
                                                digest: opened.digest, handover: manifest.id,
                                                sender: opened.sender.card.fingerprint.description, purpose: manifest.purpose)),
                       in: writer)
            return ids
        }
        clientKeys.merge(pending) { current, _ in current }
        return ids
    }

    // MARK: Helpers

    /// A record as sent, as the content this vault will store (strictly checked).
    static func content(of sent: HandoverManifest.Record, number: Int) throws(CasebookError) -> RecordContent {
        func bad(_ why: String) -> CasebookError {
            CasebookError(.invalidInput, "record \(number) of the handover (\(sent.id)) is not valid: \(why)")
        }
        do {
            let kind = try RecordKind.parse(sent.kind)
            guard kind.rawValue == sent.kind else { throw bad("kind '\(sent.kind)' is not canonical") }
            let keys = Set(kind.fields.map(\.key))
            let withheld = Set(sent.withheld)
            guard withheld.count == sent.withheld.count, withheld.isSubset(of: keys), withheld.isDisjoint(with: sent.sections.keys) else {
                throw bad("its withheld sections are not sections of a \(kind.rawValue) record it leaves out")
            }
            guard sent.withheld == kind.fields.map(\.key).filter(withheld.contains) else { throw bad("withheld sections out of order") }
            let header = RecordHeader(
                kind: kind, client: try ClientReference(sent.client), start: try SessionStart(canonical: sent.start),
                durationMinutes: sent.duration, modality: try Modality.parse(sent.modality),
                attendance: try Attendance.parse(sent.attendance), labels: sent.labels, sharingSummary: sent.sharingSummary)
            let content = RecordContent(header: header, sections: sent.sections)
            let validated = try content.validated(withheld: withheld)
            guard validated == content else { throw bad("it is not in canonical form") }
            guard sent.revision >= 1, (try? RecordID.normalized(sent.id)) == sent.id else { throw bad("its id or revision is malformed") }
            return validated
        } catch let error as CasebookError {
            throw error
        } catch let error as RecordInputError {
            throw bad(error.description)
        } catch {
            throw bad("\(error)")
        }
    }

    /// The register row for a handover received from `sender`: a keyed MAC of the sender's
    /// fingerprint and the id (so neither is in clear, and a co-recipient who reuses the id
    /// cannot block it) and the sealed import time (docs/vault-format.md §9.7).
    private func registerEntry(id: String, sender: IdentityFingerprint, info: String) -> (mac: [UInt8], sealed: [UInt8]) {
        let mac = Self.registerMAC(id: id, sender: sender, key: keys.handoverRegisterIndex)
        let sealed = XChaCha20Poly1305.seal(Array(info.utf8), using: keys.handoverRegister,
                                            authenticating: AssociatedData.make("received-handover", [header.vaultID, mac]))
        return (mac, sealed)
    }

    /// `id_mac` of a register row: HMAC-SHA-256(register index key, "handover:" ‖ sender
    /// fingerprint (displayed form) ‖ ":" ‖ id); rows written before 0.2 used "handover:" ‖ id.
    static func registerMAC(id: String, sender: IdentityFingerprint?, key: borrowing SecureBytes) -> [UInt8] {
        let input = sender.map { "handover:\($0):\(id)" } ?? "handover:\(id)"
        return HMACSHA256.authenticationCode(for: Array(input.utf8), using: key)
    }

    /// When this vault imported handover `id` from `sender`, if it did: the audit log
    /// says (the register is its index, checked by `audit verify`; an emptied register
    /// does not make a handover new again).
    private func receivedHandover(id: String, from sender: HandoverParty) throws -> String? {
        try ledger().received[.init(sender: sender.card.fingerprint.description, id: id)]?.time
    }
}

/// Writes a package, report or checkpoint file: exclusive create, `0600` (what Casebook
/// writes out may name clients, so it is never left readable by others).
public enum PackageFile {
    public static func create(at url: URL, contents: [UInt8]) throws {
        try contents.withUnsafeBytes { raw in try ExclusiveFile.write(raw, to: url) }
    }
}

/// Wraps the vault's age identity and remembers the envelope's stanzas, so a handover
/// can be checked against the recipients it names.
private final class StanzaRecordingIdentity: AgeIdentity, @unchecked Sendable {
    let inner: AgeX25519Identity
    private(set) var stanzaCount = 0
    private(set) var allX25519 = true

    init(_ inner: AgeX25519Identity) { self.inner = inner }

    func unwrap(stanzas: [AgeStanza]) throws(AgeError) -> SecureBytes? {
        stanzaCount = stanzas.count
        allX25519 = stanzas.allSatisfy { $0.type == "X25519" }
        return try inner.unwrap(stanzas: stanzas)
    }
}
