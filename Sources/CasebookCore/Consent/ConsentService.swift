public import CasebookFormat
import CasebookCrypto
import Foundation
import Logging

/// Stored consents (docs/vault-format.md §16, docs/consent.md): append-only, one row per
/// version. A row's id is a keyed hash of the consent id and version (client-index key,
/// domain "consent:"), so neither is stored in clear; its canonical bytes are sealed under
/// the client's data key, so erasing the client (crypto-shredding) makes its consents
/// unreadable with its records. Listings skip erased clients' consents, as they skip their
/// records. Reached as `vault.consents`.
public struct ConsentService: VaultService {
    let context: VaultContext

    static let consentPurpose = "consent"

    /// Records a new consent: assigns a fresh id and version 1, records it as made now by
    /// this vault's practitioner, validates it and stores it, audited as `consent.granted`.
    /// The fields `id`, `version`, `recordedBy`, `recordedAt` and `withdrawal` of `draft`
    /// are replaced.
    @discardableResult
    public func record(_ draft: Consent) throws -> Consent {
        var consent = draft
        consent.id = RecordID.generate()
        consent.version = 1
        consent.recordedBy = context.profile.name
        consent.recordedAt = wholeSecondNow()
        consent.withdrawal = nil
        do {
            consent = try consent.validated()
        } catch {
            // Nothing was recorded: do not name the id that was drawn for it.
            let message = error.message.hasPrefix(consent.label + " ")
                ? "the consent " + error.message.dropFirst(consent.label.count + 1) : error.message
            throw CasebookError(error.code, message, hint: error.hint)
        }
        let clientID = keys.clientID(for: consent.client.rawValue)
        var pending: [[UInt8]: ClientKey] = [:]
        let recorded = try store.write { writer in
            let key = try clientKeyForWriting(clientID, writer: writer, pending: &pending)
            // Ids are 50 random bits; draw again on the (unlikely) collision.
            while try writer.consentRow(id: keys.consentRowID(id: consent.id, version: 1)) != nil {
                consent.id = RecordID.generate()
            }
            try writer.insertConsent(sealConsent(consent, clientID: clientID, key: key))
            try append(.consentGranted(.init(consent)), in: writer)
            return consent
        }
        clientKeys.merge(pending) { current, _ in current }
        logger.debug("consent recorded")
        return recorded
    }

    /// The latest version of every consent (of one client when `client` is set), sorted by
    /// client, then by the time that version was recorded, then by id; erased clients' are skipped.
    public func list(client: ClientReference? = nil) throws -> [Consent] {
        try consents(client: client)
    }

    /// The latest version of a consent. `.notFound` when there is none (or its client was erased).
    public func consent(id: String) throws -> Consent {
        try history(id: id).last!
    }

    /// Every version of a consent, oldest first.
    public func history(id: String) throws -> [Consent] {
        let id = try Self.normalizedConsentID(id)
        var rows: [ConsentRow] = []
        while let row = try store.consentRow(id: keys.consentRowID(id: id, version: rows.count + 1)) {
            rows.append(row)
        }
        let state = try ledger()
        guard let first = rows.first else {
            if let logged = state.consents[id] {
                throw Self.disagreement("consent \(id) v1 is missing from the consents table (the log recorded it; its latest version is at audit event \(logged.sequence))")
            }
            throw CasebookError(.notFound, "no consent \(id) in this vault", remedy: .listConsents)
        }
        if try store.wrappedClientKey(id: first.clientID) == nil, let erased = try erasure(of: first.clientID) {
            throw CasebookError(.notFound, "consent \(id) belonged to a client who was erased on \(erased.erasedAt); it can no longer be read")
        }
        let versions = try rows.map(openConsent)
        guard versions.allSatisfy({ $0.id == id }) else { throw Self.consentIntegrity }
        let history = try Self.checkedHistory(versions)
        try checkConsentContents([history.last!], against: state)
        return history
    }

    /// Withdraws a consent: records its next version carrying the withdrawal, made now by
    /// this vault's practitioner, audited as `consent.withdrawn`. Refused (`.refused`) when
    /// it is already withdrawn; `.notFound` when there is no such consent.
    @discardableResult
    public func withdraw(id: String, reason: String) throws -> Consent {
        let current = try consent(id: id)
        let withdrawn = try current.withdrawn(at: wholeSecondNow(), reason: reason, recordedBy: context.profile.name)
        let clientID = keys.clientID(for: withdrawn.client.rawValue)
        let key = try clientKey(clientID)
        try store.write { writer in
            guard try writer.consentRow(id: keys.consentRowID(id: withdrawn.id, version: withdrawn.version)) == nil else {
                throw CasebookError(.refused, "\(current.label) changed while it was being withdrawn; nothing was recorded",
                                    remedy: .showConsent(id: withdrawn.id))
            }
            try writer.insertConsent(sealConsent(withdrawn, clientID: clientID, key: key))
            try append(.consentWithdrawn(.init(withdrawn)), in: writer)
        }
        logger.debug("consent withdrawn")
        return withdrawn
    }

    // MARK: Checks and sealing

    /// Accepts what a person types (as record ids: any case, `O` for 0, `I`/`L` for 1).
    static func normalizedConsentID(_ text: String) throws(CasebookError) -> String {
        do {
            return try RecordID.normalized(text)
        } catch {
            throw CasebookError(.invalidInput, "'\(Vault.displayed(String(text.prefix(40))))' is not a consent id",
                                remedy: .consentIDForm)
        }
    }

    /// The versions of one consent, sorted: they must be 1, 2, … n, of one client, recorded
    /// in order, and a withdrawal, once made, carried by every later version.
    static func checkedHistory(_ versions: [Consent]) throws(CasebookError) -> [Consent] {
        let sorted = versions.sorted { $0.version < $1.version }
        for (offset, consent) in sorted.enumerated() {
            guard consent.version == offset + 1, consent.id == sorted[0].id, consent.client == sorted[0].client else {
                throw consentIntegrity
            }
            if offset > 0 {
                let previous = sorted[offset - 1]
                guard consent.recordedAt >= previous.recordedAt,
                      previous.withdrawal == nil || previous.withdrawal == consent.withdrawal else { throw consentIntegrity }
            }
        }
        guard !sorted.isEmpty else { throw consentIntegrity }
        return sorted
    }

    static var consentIntegrity: CasebookError {
        CasebookError(.integrity, "consent integrity check failed: a consent does not decrypt or does not match its row",
                      hint: "the vault database was altered or damaged outside Casebook; restore it from a backup")
    }

    private func wholeSecondNow() -> Date {
        Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
    }

    private func sealConsent(_ consent: Consent, clientID: [UInt8], key: ClientKey) -> ConsentRow {
        let rowID = keys.consentRowID(id: consent.id, version: consent.version)
        let sealed = XChaCha20Poly1305.seal(consent.canonicalBytes(), using: key.key,
                                            authenticating: consentAssociatedData(rowID: rowID, clientID: clientID))
        return ConsentRow(id: rowID, clientID: clientID, sealedConsent: sealed)
    }
}

/// Reading stored consents, shared: the consent gate of handovers and exports reads them
/// under these names from any service.
extension VaultService {
    /// The latest version of every consent (of one client when `client` is set), sorted by
    /// client, then by the time that version was recorded, then by id. Consents of erased
    /// clients are skipped; any other row that does not open is an integrity error.
    /// The rows are checked against the audit log first (a deleted withdrawal or denial is
    /// an integrity error, never a consent that silently counts again).
    func consents(client: ClientReference? = nil) throws -> [Consent] {
        let erased = try erasedClientIDs()
        let wantedClient = client.map { keys.clientID(for: $0.rawValue) }
        let state = try ledger()
        let rows = try store.consentRows()
        try checkConsentRows(rows, against: state)
        var byID: [String: [Consent]] = [:]
        for row in rows {
            if let wantedClient, row.clientID != wantedClient { continue }
            if erased.contains(row.clientID) { continue }
            let consent = try openConsent(row)
            byID[consent.id, default: []].append(consent)
        }
        let latest = try byID.values.map { versions in try ConsentService.checkedHistory(versions).last! }
        try checkConsentContents(latest, against: state)
        return latest.sorted { a, b in
            if a.client != b.client { return a.client < b.client }
            if a.recordedAt != b.recordedAt { return a.recordedAt < b.recordedAt }
            return a.id < b.id
        }
    }

    func consentAssociatedData(rowID: [UInt8], clientID: [UInt8]) -> [UInt8] {
        AssociatedData.make(ConsentService.consentPurpose, [header.vaultID, rowID, clientID])
    }

    /// Opens a row and checks what it claims: it decrypts under its client's key with its
    /// row id bound in, is canonical and valid, and its id, version and client hash to the
    /// row's ids (so a row copied under another id or client fails).
    func openConsent(_ row: ConsentRow) throws -> Consent {
        let key = try clientKey(row.clientID)
        guard row.id.count == 16,
              let plaintext = try? XChaCha20Poly1305.open(row.sealedConsent, using: key.key,
                                                          authenticating: consentAssociatedData(rowID: row.id, clientID: row.clientID)),
              let consent = try? Consent.decodeCanonical(plaintext),
              ConstantTime.equals(keys.consentRowID(id: consent.id, version: consent.version), row.id),
              ConstantTime.equals(keys.clientID(for: consent.client.rawValue), row.clientID)
        else {
            throw ConsentService.consentIntegrity
        }
        return consent
    }
}
