public import Foundation
public import CasebookFormat
import CasebookCrypto

/// What `AuditService.exportBundle` wrote.
public struct AuditBundleExport: Sendable {
    /// Events in the bundle, its own `audit.exported` event (the last) included.
    public let eventCount: UInt64
    /// The checkpoint over all of them, as signed into the bundle.
    public let checkpoint: Checkpoint
}

/// Audit bundles (docs/formats.md §9): the whole log, sealed with age to a compliance
/// contact, verifiable without the practitioner's passphrase.
extension AuditService {
    /// Seals the whole audit log to `contact` as an audit bundle written to `url` (never
    /// overwriting, `0600`). In one transaction: the `audit.exported` event is appended, the
    /// checkpoint over every event including it is signed, and the file is written; if the
    /// file cannot be made, nothing is recorded.
    public func exportBundle(to contact: Contact, armor: Bool = false, writingTo url: URL) throws -> AuditBundleExport {
        let recipient: AgeX25519Recipient
        do {
            recipient = try AgeX25519Recipient(encoded: contact.card.ageRecipient)
        } catch {
            throw CasebookError(.internalError, "the contact's age recipient cannot be used: \(error)")
        }
        var created = false
        do {
            return try store.write { writer in
                let count = try writer.auditCount() + 1
                let event = try append(.auditExported(count: count, to: .init(name: contact.name, fingerprint: contact.card.fingerprint.description)),
                                       in: writer)
                let rows = try writer.auditRows()
                guard rows.count == count else { throw CasebookError(.internalError, "the audit log changed while it was exported") }
                let root = try MerkleTree.rootHash(contiguousLeafHashes: rows.flatMap(\.leafHash))
                let (checkpoint, note) = try signedCheckpoint(size: UInt64(count), rootHash: root)
                let card = try senderCard(created: event.time)
                let header = AuditBundleHeader(origin: auditOrigin, created: event.time, eventCount: UInt64(count), card: card)
                var source = AuditBundleSource(header: header, checkpoint: note) { index in
                    do throws(AuditLogFailure) {
                        return try self.context.checkedAuditRow(rows[Int(index)], at: Int(index))
                    } catch {
                        throw error.casebookError
                    }
                }
                let fd = try ExclusiveFile.create(url)
                created = true
                defer { close(fd) }
                var sink = FileDescriptorSink(fileDescriptor: fd)
                do {
                    try Age.encrypt(from: &source, to: &sink, recipients: [recipient], armor: armor)
                } catch {
                    if let failure = source.failure { throw failure }
                    throw CasebookError(.environment, "cannot write \(url.path): \(error)")
                }
                guard fsync(fd) == 0 else { throw CasebookError(.environment, "cannot write \(url.path)") }
                return AuditBundleExport(eventCount: UInt64(count), checkpoint: checkpoint)
            }
        } catch {
            if created { unlink(url.path) }
            throw error
        }
    }

    /// Reads an audit bundle sealed to this vault and verifies it (see `AuditLogVerifier`),
    /// with no access to the exporter's vault: the bundle decrypts with this vault's identity,
    /// its exporter must be one of this vault's contacts (by the card's fingerprint), and the
    /// checkpoints are checked with that contact's key. `trustedDirectory` holds the
    /// checkpoints of this log already held. With `collectingReport`, the disclosure and
    /// refusal events are kept for a report.
    ///
    /// Once the exporter is known, the verdict — verified, or the tampering found — is
    /// recorded in this vault as `audit.verified` (origin, size, root and result only; not a
    /// hash of the file, which would cost a second pass over it) and returned,
    /// also when it is a failure (`failure` set). Problems before that (not addressed to this
    /// vault, not from a contact, not an audit bundle, an unreadable trusted folder) throw and
    /// record nothing.
    public func verifyBundle(
        from input: some ByteSource, trustedDirectory: URL?, collectingReport: Bool, purpose: String = "verify"
    ) throws -> AuditVerification {
        let me = ownFingerprint
        var exporter: Contact?
        var trustedSet = TrustedCheckpointSet.empty
        var events: [AuditEvent] = []
        var exportEvent: AuditEvent?
        var eventCount: UInt64 = 0
        var review = DisclosureReview()
        let pinned = try ledger().verifiedOrigins
        let reader = AuditBundleReader(onHeader: { header in
            eventCount = header.eventCount
            guard let contact = try self.contacts.contact(withFingerprint: header.card.fingerprint) else {
                throw CasebookError(.notFound, "this audit bundle is from \(Vault.displayed(header.card.name)) (\(header.card.fingerprint)), who is not in your contacts",
                                    remedy: .addTheirCard)
            }
            exporter = contact
            // An origin belongs to the key whose bundle first verified under it.
            if let first = pinned[header.origin], first.sender != contact.fingerprint.description {
                throw AuditLogFailure.originOfAnotherSigner(origin: header.origin, pinned: first.sender, sequence: first.sequence,
                                                            signer: "\(contact.name) (\(contact.fingerprint))")
            }
            if let trustedDirectory {
                trustedSet = try TrustedCheckpoints.load(directory: trustedDirectory, origin: header.origin, signer: contact.card.minisignKey.key)
            }
        }, onEvent: { index, line, fields in
            let last = index + 1 == eventCount
            let reviewed = Self.action(of: line, fields).map(DisclosureReview.actions.contains) ?? false
            guard last || reviewed || (collectingReport && AuditReport.isReported(line, fields.action)) else { return }
            let event = try Self.decodeEvent(line, index: index)
            if reviewed { review.apply(event) }
            if last { exportEvent = event }
            if collectingReport && AuditReport.actions.contains(event.action) { events.append(event) }
        })
        var outcome: Result<[UInt8], any Error>
        var ageSource = input
        var sink: AuditBundleReader = reader
        do {
            try Age.decrypt(from: &ageSource, to: &sink, identities: [ageIdentity()])
            outcome = Result { try reader.finish() }
        } catch {
            outcome = .failure(reader.failure ?? Self.ageFailure(error))
        }
        // Not yet known whose log it is: nothing to record.
        guard let exporter, let header = reader.header else {
            if case .failure(let error) = outcome { throw Self.userFacing(error) }
            throw CasebookError(.internalError, "the audit bundle was read without a header")
        }
        var failure: AuditLogFailure?
        var signed: TrustedCheckpoint?
        var trusted = trustedSet.checkpoints
        switch outcome {
        case .failure(let error as AuditLogFailure):
            failure = error
        case .failure(let error):
            throw Self.userFacing(error)
        case .success(let note):
            do {
                let verifier = try NoteVerifier(name: header.origin, publicKey: exporter.card.minisignKey.key)
                let opened = try Checkpoint.open(note, origin: header.origin, verifiers: [verifier])
                signed = TrustedCheckpoint(name: "the bundle's checkpoint", checkpoint: opened.checkpoint, note: note)
            } catch {
                failure = .checkpointUnverified("\(error)")
            }
            do {
                trusted = try reader.verifier.finish(trusted: trusted, signed: signed)
                if failure == nil { try Self.checkExportEvent(exportEvent, header: header, me: me, exporter: exporter) }
            } catch let error as AuditLogFailure {
                failure = error
            }
        }
        let verification = AuditVerification(
            origin: header.origin, ownerName: exporter.name, ownerFingerprint: exporter.fingerprint, exported: header.created,
            eventCount: reader.verifier.count, rootHash: reader.verifier.tree.rootHash, checkpoint: signed, trusted: trusted,
            ignored: trustedSet.ignored, failure: failure, events: events, flags: failure == nil ? review.flags : [])
        _ = try store.write { writer in
            try append(.auditVerified(.init(sender: exporter.fingerprint.description, count: Int(verification.eventCount),
                                            origin: header.origin, root: verification.rootHash.base64, verified: failure == nil,
                                            flagged: !verification.flags.isEmpty,
                                            failedAt: failure?.firstBadIndex.map { Int($0) }, purpose: purpose)), in: writer)
        }
        return verification
    }

    // MARK: Helpers

    /// The action of a scanned event line (nil when it is not UTF-8, which the scanner refuses anyway).
    static func action(of line: UnsafeRawBufferPointer, _ fields: AuditEventLine.Fields) -> AuditAction? {
        String(validating: UnsafeRawBufferPointer(rebasing: line[fields.action]), as: UTF8.self).map(AuditAction.init(rawValue:))
    }

    /// An event line as an `AuditEvent` (unknown keys are ignored).
    static func decodeEvent(_ line: UnsafeRawBufferPointer, index: UInt64) throws(AuditLogFailure) -> AuditEvent {
        do {
            return try JSONDecoder().decode(AuditEvent.self, from: Data(line))
        } catch {
            throw .malformedEvent(index: index, reason: "its fields are not those of an audit event")
        }
    }

    /// The bundle's last event must be its own export: `audit.exported`, to this vault, at
    /// the header's time, counting every event.
    static func checkExportEvent(_ event: AuditEvent?, header: AuditBundleHeader, me: IdentityFingerprint, exporter: Contact) throws {
        guard let event, event.action == .auditExported else {
            throw AuditLogFailure.exportEvent("it is '\(event.map { Vault.displayed($0.action.rawValue) } ?? "missing")', not audit.exported")
        }
        guard event.time == header.created, event.count == Int(exactly: header.eventCount) else {
            throw AuditLogFailure.exportEvent("its time or count does not match the bundle's header")
        }
        guard event.recipients?.contains(me.description) == true else {
            throw CasebookError(.invalidInput, "this audit bundle was not meant for you: \(exporter.name) exported it to \(event.contact.map(Vault.displayed) ?? "someone else") (it was forwarded or re-sealed)",
                                remedy: .exportAuditBundleToYou(exporter: exporter.name))
        }
    }

    /// Age's refusal, as the user sees it.
    static func ageFailure(_ error: AgeError) -> any Error {
        switch error {
        case .noMatch:
            CasebookError(.invalidInput, "this audit bundle is not addressed to you: none of its envelope's recipients is this vault's identity",
                          remedy: .exportAuditBundleToYou(exporter: nil))
        case .unsupportedRecipientType(let type):
            CasebookError(.invalidInput, "this audit bundle's envelope uses the unsupported recipient type '\(Vault.displayed(type))'")
        default:
            switch error.category {
            case .damaged: AuditLogFailure.damaged(error.message)
            case .environment: CasebookError(.environment, error.message)
            case .invalid: CasebookError(.invalidInput, "the audit bundle file is not a valid age file (\(error.message))",
                                         remedy: .askForAnAuditBundleFile)
            }
        }
    }

    /// Any error from reading a bundle as a `CasebookError`.
    static func userFacing(_ error: any Error) -> any Error {
        if let failure = error as? AuditLogFailure { return failure.casebookError }
        if let wire = error as? WireFormatError { return CasebookError.auditBundle(wire) }
        return error
    }
}
