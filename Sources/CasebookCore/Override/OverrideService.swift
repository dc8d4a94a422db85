public import Foundation
public import CasebookFormat
import CasebookCrypto
import Logging

/// Lawful-basis overrides (docs/consent.md §4, docs/formats.md §8): the requester's vault
/// signs a request, a supervisor's vault countersigns it, and the requester's vault accepts
/// the approval for an export only when both signatures are by two different people it
/// knows, the second a supervisor, before the expiry. Two people, two keys: no one vault
/// can make an approval it would accept. Reached as `vault.overrides`.
public struct OverrideService: VaultService {
    let context: VaultContext

    /// Resolves what a person typed after `--to`: an `age1…` recipient as itself, anything
    /// else as the name of a contact of this vault (by its card fingerprint). Export's `--to`
    /// resolves the same way (`age1…` first, else a contact's name), so an export's recipient
    /// compares equal to the override's.
    public func recipient(_ text: String) throws -> OverrideRequest.Recipient {
        switch TypedRecipient(text) {
        case .age(let encoded):
            return OverrideRequest.Recipient(target: try OverrideRecipient.age(checking: encoded), name: nil)
        case .contactName(let name):
            let found = try contacts.contact(named: name)
            return OverrideRequest.Recipient(target: .contact(found.fingerprint), name: found.name)
        }
    }

    /// Makes, signs and writes an override request (never overwriting `url`, `0600`),
    /// audited as `override.requested` in the same transaction. A contact recipient must be
    /// a contact here (its name is taken from this vault); `expires` (rounded down to a
    /// whole second) must be in the future and at most 30 days away. Text is trimmed of surrounding spaces; fields and special
    /// categories are sorted and de-duplicated.
    @discardableResult
    public func request(
        client: ClientReference, to recipient: OverrideRecipient, purpose: ConsentPurpose, fields: [String],
        specialCategories: [String] = [], citation: String, justification: String,
        consentSought: OverrideRequest.ConsentSought, reason: String, clientInformed: OverrideRequest.ClientInformed,
        expires: Date, writingTo url: URL
    ) throws -> (request: OverrideRequest, file: [UInt8]) {
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        // Times are whole seconds; an expiry is never moved later than asked.
        let expires = Date(timeIntervalSince1970: expires.timeIntervalSince1970.rounded(.down))
        guard expires > now else {
            throw CasebookError(.invalidInput, "the expiry \(Timestamp.string(expires)) has already passed",
                                remedy: .giveExpiryWithin(days: 30))
        }
        let latest = now.addingTimeInterval(OverrideRequest.maximumValidity)
        guard expires <= latest else {
            throw CasebookError(.invalidInput, "the expiry \(Timestamp.string(expires)) is more than 30 days ahead; the latest is \(Timestamp.string(latest))",
                                hint: "an override is short-lived: request a new one if it is still needed when it expires")
        }
        if try erasedClientIDs().contains(keys.clientID(for: client.rawValue)) {
            throw CasebookError(.invalidInput, "client \(client) was erased; nothing of theirs can be disclosed")
        }
        let resolved: OverrideRequest.Recipient
        switch recipient {
        case .contact(let fingerprint):
            guard let found = try contacts.contact(withFingerprint: fingerprint) else {
                throw CasebookError(.notFound, "no contact with the fingerprint \(fingerprint) in this vault",
                                    remedy: .listContacts)
            }
            resolved = .init(target: recipient, name: found.name)
        case .age(let text):
            resolved = .init(target: try OverrideRecipient.age(checking: text), name: nil)
        }
        let request = try OverrideRequest(
            id: Hex.encode(SecureRandom.bytes(16)), created: now, expires: expires,
            requester: .init(fingerprint: ownFingerprint, name: profile.name, role: profile.role.rawValue),
            client: client, recipient: resolved, purpose: purpose, fields: Array(Set(fields)).sorted(),
            specialCategories: Array(Set(specialCategories)).sorted(),
            citation: citation.trimmingCharacters(in: .whitespaces), justification: justification.trimmingCharacters(in: .whitespaces),
            consentSought: consentSought, reason: reason.trimmingCharacters(in: .whitespaces), clientInformed: clientInformed
        ).validated()
        let note: SignedNote
        do {
            note = try SignedNote.sign(text: OverrideNote.text(for: request), keyName: OverrideNote.keyName(for: ownFingerprint),
                                       privateKey: identity.signing)
        } catch let error as WireFormatError {
            throw CasebookError(error)
        } catch {
            throw CasebookError(.internalError, "cannot sign the override request: \(error)")
        }
        let file = note.bytes
        try writeAuditedFile(at: url) { writer in
            try append(.overrideRequested(Self.auditMention(request, file: file)), in: writer)
            return file
        }
        logger.debug("override requested")
        return (request, file)
    }

    /// Countersigns someone else's override request in this (a supervisor's) vault, after
    /// checking that: it is a well-formed request with exactly one signature; it is not this
    /// vault's own (by fingerprint or by signing key); this vault's role is supervisor; the
    /// requester is a contact here whose key made the signature; it has not expired. Writes
    /// the approval (the request with this vault's signature added) to `url` (never
    /// overwriting, `0600`), audited as `override.approved` in the same transaction.
    @discardableResult
    public func approve(
        _ file: [UInt8], requester lookUp: (IdentityFingerprint) throws -> HandoverParty?, writingTo url: URL
    ) throws -> (request: OverrideRequest, requester: HandoverParty, file: [UInt8]) {
        // Integrity before policy: an altered file is refused as altered, whoever reads it.
        let parsed = try OverrideNote(parsing: file)
        try inspection(of: parsed, file: file, contacts: lookUp).requireKnownSignaturesVerify()
        let request = parsed.request
        guard parsed.signers.count == 1 else {
            throw CasebookError(.invalidInput, "this override file is already approved: it carries a second signature",
                                remedy: .showOverride)
        }
        let me = ownFingerprint
        guard request.requester.fingerprint != me else {
            throw CasebookError(.refused, "you cannot approve your own override request: an override needs a second person's key",
                                remedy: .askSupervisorToApprove)
        }
        guard profile.role == .supervisor else {
            throw CasebookError(.refused, "only a supervisor can approve an override; this vault's role is \(profile.role.rawValue)",
                                hint: "overrides need a supervisor's approval: send the request to a supervisor")
        }
        let claimed = "\(Vault.displayed(request.requester.name)) (\(request.requester.fingerprint))"
        guard let requester = try lookUp(request.requester.fingerprint) else {
            throw CasebookError(.notFound, "this override request says it is from \(claimed), who is not in your contacts",
                                remedy: .addTheirCard)
        }
        guard requester.card.minisignKey.key != identity.minisignPublicKey.key else {
            throw CasebookError(.refused, "the requester's contact card carries your own signing key: you cannot approve your own request",
                                hint: "an override needs two people with two keys")
        }
        try verify(parsed.note, with: [OverrideNote.verifier(for: requester.card)], signedBy: requester.name)
        let now = clock.now()
        guard now < request.expires else {
            throw CasebookError(.refused, "this override request expired at \(Timestamp.string(request.expires))",
                                hint: "ask \(requester.name) for a new request")
        }
        let approval: [UInt8]
        do {
            approval = try parsed.note.addingSignature(keyName: OverrideNote.keyName(for: me), privateKey: identity.signing).bytes
        } catch {
            throw CasebookError(.internalError, "cannot countersign the override request: \(error)")
        }
        try writeAuditedFile(at: url) { writer in
            try append(.overrideApproved(Self.auditMention(request, file: approval),
                                          requester: .init(name: requester.name, fingerprint: requester.card.fingerprint.description)),
                       in: writer)
            return approval
        }
        logger.debug("override approved")
        return (request, requester, approval)
    }

    /// Checks an approval file in the requester's vault, for export: a well-formed override
    /// with exactly two signatures, the first by this vault's own key (it requested it), the
    /// second by a contact here (looked up by the fingerprint its key name gives, verified
    /// with that contact's card) whose card role is supervisor and whose key is not this
    /// vault's; unexpired now. Reads only: nothing is written or audited here (export
    /// audits the use).
    public func verified(_ file: [UInt8], approver lookUp: (IdentityFingerprint) throws -> HandoverParty?) throws -> ApprovedOverride {
        let parsed = try OverrideNote(parsing: file)
        try inspection(of: parsed, file: file, contacts: lookUp).requireKnownSignaturesVerify()
        let request = parsed.request
        let me = ownFingerprint
        guard parsed.signers.count == 2 else {
            throw CasebookError(.refused, "this is an override request, not an approval: only the requester has signed it",
                                remedy: .useAnApproval)
        }
        guard request.requester.fingerprint == me else {
            throw CasebookError(.refused, "this override was requested by someone else (\(Vault.displayed(request.requester.name)), \(request.requester.fingerprint)); only its requester can use it",
                                remedy: .requestOwnOverride)
        }
        let selfApproval = CasebookError(.refused, "this override is approved with your own key: an override needs a supervisor's approval (two people, two keys)",
                                         remedy: .supervisorMustApprove)
        guard parsed.signers[1] != me else { throw selfApproval }
        guard let approver = try lookUp(parsed.signers[1]) else {
            throw CasebookError(.notFound, "this override was approved by \(parsed.signers[1]), who is not in your contacts",
                                remedy: .addApproverCard)
        }
        guard approver.card.minisignKey.key != identity.minisignPublicKey.key else { throw selfApproval }
        try verify(parsed.note, with: [ownVerifier, OverrideNote.verifier(for: approver.card)], signedBy: "you and \(approver.name)")
        guard approver.card.role == PractitionerRole.supervisor.rawValue else {
            throw CasebookError(.refused, "this override was approved by \(approver.name), whose card gives the role \(approver.card.role), not supervisor",
                                hint: "overrides need a supervisor's approval: ask your supervisor to approve the request")
        }
        guard clock.now() < request.expires else {
            throw CasebookError(.refused, "override \(request.id) expired at \(Timestamp.string(request.expires))",
                                hint: "request a new override if the disclosure is still needed")
        }
        return ApprovedOverride(request: request, approver: approver, digest: Hex.encode(SHA256.hash(file)))
    }

    /// What `override show` prints: the request and, for each signature, whether it
    /// verifies with this vault's own key or a contact's. Never refuses a signature; only
    /// a malformed file.
    public func inspect(_ file: [UInt8], contacts lookUp: (IdentityFingerprint) throws -> HandoverParty?) throws -> OverrideInspection {
        try inspection(of: try OverrideNote(parsing: file), file: file, contacts: lookUp)
    }

    /// The inspection of a file already parsed (approval and use check it first: integrity
    /// before policy).
    private func inspection(of parsed: OverrideNote, file: [UInt8],
                            contacts lookUp: (IdentityFingerprint) throws -> HandoverParty?) throws -> OverrideInspection {
        let me = ownFingerprint
        var signers: [OverrideInspection.Signer] = []
        for (index, fingerprint) in parsed.signers.enumerated() {
            let contact = fingerprint == me ? nil : try lookUp(fingerprint)
            let verifier = fingerprint == me ? try ownVerifier : try contact.map { party throws(CasebookError) in try OverrideNote.verifier(for: party.card) }
            let signature = parsed.note.signatures[index]
            let verified = verifier.map { verifier in
                signature.name == verifier.name && signature.keyID == verifier.keyID && signature.signature.count == Ed25519.signatureByteCount
                    && verifier.publicKey.isValidSignature(signature.signature, for: Array(parsed.note.text.utf8))
            } ?? false
            signers.append(.init(fingerprint: fingerprint, isThisVault: fingerprint == me, contact: contact, verified: verified))
        }
        return OverrideInspection(request: parsed.request, signers: signers, digest: Hex.encode(SHA256.hash(file)),
                                  expired: clock.now() >= parsed.request.expires)
    }

    // MARK: Helpers

    /// The audit event's account of a request written to `file` (signed or countersigned).
    static func auditMention(_ request: OverrideRequest, file: [UInt8]) -> AuditEntry.OverrideMention {
        .init(id: request.id, client: request.client, digest: Hex.encode(SHA256.hash(file)), citation: request.citation,
              recipient: auditName(of: request.recipient.target), purpose: request.purpose, fields: request.fields)
    }

    /// What the audit event lists as the recipient: the card fingerprint or the `age1…` string.
    static func auditName(of recipient: OverrideRecipient) -> String {
        switch recipient {
        case .contact(let fingerprint): fingerprint.description
        case .age(let text): text
        }
    }

    /// The verifier for this vault's own signatures.
    var ownVerifier: NoteVerifier {
        get throws(CasebookError) {
            do {
                return try NoteVerifier(name: OverrideNote.keyName(for: ownFingerprint), publicKey: identity.minisignPublicKey.key)
            } catch {
                throw CasebookError(.internalError, "cannot make this vault's note verifier: \(error)")
            }
        }
    }

    /// Every signature must verify with the verifier its key name and key ID select, and
    /// every verifier must have signed: an altered note, or a signature by another key under
    /// a contact's name, is an integrity failure.
    private func verify(_ note: SignedNote, with verifiers: [NoteVerifier], signedBy who: String) throws {
        let failure = CasebookError(.integrity, "the override's signatures do not verify with the keys of \(Vault.displayed(who)): it was altered, or was not signed by them",
                                    hint: "do not use it; ask for a new copy")
        do {
            let verified = try note.verify(verifiers)
            guard verified.unknownSignatures.isEmpty, Set(verified.verifiedBy) == Set(verifiers) else { throw failure }
        } catch let error as CasebookError {
            throw error
        } catch {
            throw failure
        }
    }
}
