import Foundation
import CasebookCrypto
import CasebookFormat
import Logging

/// One unlocked vault's state, shared by the vault and all its services (records,
/// contacts, consents, …): the store, the key record, the purpose keys, the identity, the
/// clock, the cache of unwrapped client keys, and the audit log's one way in and one check.
final class VaultContext {
    let store: any VaultStore
    var header: VaultHeaderRow
    let keys: VaultKeys
    let identity: IdentitySecrets
    /// Recognises the passphrase that unlocked the vault (or the one it was changed to), so it
    /// is never handed to someone else, without keeping it in memory.
    var unlockPassphrase: SecretWitness
    let profile: PractitionerProfile
    let clock: Clock
    /// Client data keys unwrapped so far, by client id; dropped when a client is erased.
    var clientKeys: [[UInt8]: ClientKey] = [:]
    let logger = Logger(label: "casebook.vault")
    /// The log folded (`ledger(records:)`), and whether with the record events; kept until the next append.
    private var cachedLedger: (state: AuditLogState, records: Bool)?

    init(store: any VaultStore, header: VaultHeaderRow, keys: VaultKeys, identity: consuming IdentitySecrets,
         unlockPassphrase: consuming SecretWitness, profile: PractitionerProfile, clock: Clock) {
        self.store = store
        self.header = header
        self.keys = keys
        self.identity = identity
        self.unlockPassphrase = unlockPassphrase
        self.profile = profile
        self.clock = clock
    }

    /// The actor recorded in audit events.
    var actorID: String { identity.minisignPublicKey.keyIDHex }

    /// Appends `entry` to the audit log inside the caller's transaction, sealed under its
    /// position and leaf hash; returns the event as written.
    @discardableResult
    func append(_ entry: AuditEntry, in writer: any VaultStoreWriter) throws -> AuditEvent {
        cachedLedger = nil
        let sequence = try writer.auditCount()
        let event = entry.event(sequence: sequence, time: Timestamp.string(clock.now()), actor: actorID)
        let canonical = event.canonicalBytes()
        let leaf = AuditEvent.leafHash(of: canonical)
        try writer.appendAudit(AuditRow(sequence: sequence, leafHash: leaf,
                                        sealedEvent: XChaCha20Poly1305.seal(canonical, using: keys.audit,
                                                                            authenticating: auditAD(sequence, leaf))))
        return event
    }

    /// The one check of a stored audit row, used by every reader of the log: it is in its
    /// place (row `index` has sequence `index`), decrypts under its own position and leaf
    /// hash, and matches that hash. Returns the event's canonical bytes.
    func checkedAuditRow(_ row: AuditRow, at index: Int) throws(AuditLogFailure) -> [UInt8] {
        guard row.sequence == index else { throw .missingEntry(index: UInt64(index), next: UInt64(row.sequence)) }
        guard let canonical = try? XChaCha20Poly1305.open(row.sealedEvent, using: keys.audit,
                                                          authenticating: auditAD(row.sequence, row.leafHash)),
              ConstantTime.equals(AuditEvent.leafHash(of: canonical), row.leafHash)
        else { throw .undecryptable(index: UInt64(index)) }
        return canonical
    }

    /// What the audit log says this vault holds (`AuditLogState`), read through the one
    /// row check: the source of truth the tables are checked against before a decision.
    /// A log that does not verify is an integrity error. Without `records`, the record
    /// writes (most of a log) are checked but not decoded, and the state's records are not
    /// to be used: consents and contacts do not need them.
    func ledger(records: Bool) throws -> AuditLogState {
        if let cachedLedger, cachedLedger.records || !records { return cachedLedger.state }
        var state = AuditLogState()
        do {
            for (index, row) in try store.auditRows().enumerated() {
                let canonical = try checkedAuditRow(row, at: index)
                let fields: AuditEventLine.Fields
                do {
                    fields = try AuditEventLine.scan(canonical)
                } catch {
                    throw AuditLogFailure.malformedEvent(index: UInt64(index), reason: error.description)
                }
                guard fields.sequence == UInt64(index) else { throw AuditLogFailure.outOfSequence(index: UInt64(index), found: fields.sequence) }
                let action = AuditAction(rawValue: String(decoding: canonical[fields.action], as: UTF8.self))
                guard AuditLogState.actions.contains(action),
                      records || !Self.recordWrites.contains(action) else { continue }
                guard let event = try? JSONDecoder().decode(AuditEvent.self, from: Data(canonical)) else {
                    throw AuditLogFailure.malformedEvent(index: UInt64(index), reason: "its fields are not those of an audit event")
                }
                state.apply(event)
            }
        } catch let failure as AuditLogFailure {
            throw failure.casebookError
        }
        cachedLedger = (state, records)
        return state
    }

    /// Keeps `state`, folded by the caller from every row of this log with every event
    /// `AuditLogState` reads (`audit verify`'s own pass), so the table checks that follow do
    /// not read and decrypt the log a second time.
    func adoptLedger(_ state: AuditLogState) {
        cachedLedger = (state, true)
    }

    /// The events that only tell which records exist.
    private static let recordWrites: Set<AuditAction> = [.recordCreated, .recordAmended, .recordsImported]

    private func auditAD(_ sequence: Int, _ leaf: [UInt8]) -> [UInt8] {
        AssociatedData.make("audit-event", [header.vaultID, UInt64(sequence).bigEndianBytes, leaf])
    }
}

/// A part of an unlocked vault (records, contacts, …): reaches the shared state through
/// its context, under the same names the vault itself uses, so code reads the same in both.
protocol VaultService {
    var context: VaultContext { get }
}

extension VaultService {
    var store: any VaultStore { context.store }
    var header: VaultHeaderRow { context.header }
    var keys: VaultKeys { context.keys }
    var identity: IdentitySecrets { _read { yield context.identity } }
    var clock: Clock { context.clock }
    var logger: Logger { context.logger }
    var clientKeys: [[UInt8]: ClientKey] {
        get { context.clientKeys }
        nonmutating _modify { yield &context.clientKeys }
    }
    var actorID: String { context.actorID }
    var profile: PractitionerProfile { context.profile }
    /// The vault's contacts, for the services that check senders, signers and recipients.
    var contacts: ContactService { ContactService(context: context) }
    var vaultID: [UInt8] { context.header.vaultID }
    var ageRecipient: String { context.identity.ageRecipient }
    var minisignPublicKey: MinisignPublicKey { context.identity.minisignPublicKey }

    @discardableResult
    func append(_ entry: AuditEntry, in writer: any VaultStoreWriter) throws -> AuditEvent {
        try context.append(entry, in: writer)
    }
}
