/// Persistence behind the vault. Core decides what is stored and encrypts it;
/// a store only keeps opaque rows, atomically. `CasebookStore` implements this with
/// SQLite; the rows are described in docs/vault-format.md.
public protocol VaultStore: AnyObject {
    /// The vault's key record. Throws `.notFound` when the store holds no vault.
    func loadHeader() throws(CasebookError) -> VaultHeaderRow
    /// Runs `body` in one transaction: every write in it lands, or none does.
    func write<T>(_ body: (any VaultStoreWriter) throws -> T) throws -> T
    /// A client's wrapped data key, if the client has one.
    func wrappedClientKey(id: [UInt8]) throws(CasebookError) -> [UInt8]?
    /// All revisions of one record, oldest first (empty when the record does not exist),
    /// with the record's latest-revision pointer.
    func revisions(recordID: String) throws(CasebookError) -> RecordRevisions
    /// The same for many records, read in one transaction.
    func revisions(recordIDs: [String]) throws(CasebookError) -> [RecordRevisions]
    /// Visits the latest revision of every record (of one client when `clientID` is set),
    /// or, when `candidate` is given, first every such record's sealed search filter and then
    /// the latest revision only of the records `candidate` accepts,
    /// in no particular order, with the client's wrapped data key (see `ScannedClientKey`). A record whose latest
    /// revision cannot be read is an integrity error, never silently skipped. `body` is nil unless
    /// `includeBody`. Rows are handed over one at a time, so a scan holds one row's bytes.
    /// `visit` must not call back into the store.
    func forEachLatestRevision(
        clientID: [UInt8]?, includeBody: Bool, candidate: ((RecordFilterRow) throws -> Bool)?,
        _ visit: (LatestRevisionRow) throws -> Void
    ) throws
    /// Visits every record's sealed listing summary (of one client when `clientID` is
    /// set), with its latest revision number and the client's wrapped data key.
    /// `visit` must not call back into the store.
    func forEachRecordSummary(clientID: [UInt8]?, _ visit: (RecordSummaryRow) throws -> Void) throws
    /// Every audit row, in sequence order.
    func auditRows() throws(CasebookError) -> [AuditRow]
    /// Every `id_mac` of the register of received handovers.
    func receivedHandoverIDMACs() throws(CasebookError) -> [[UInt8]]
    /// Every record with its latest revision and its revision rows, by id.
    func recordRevisionCounts() throws(CasebookError) -> [RecordRevisionCount]
    /// Every erased client: its id and its sealed erasure record.
    func erasedClients() throws(CasebookError) -> [ErasedClientRow]
    /// The sealed register entry of a received handover, by the keyed MAC of its id.
    func receivedHandover(idMAC: [UInt8]) throws(CasebookError) -> [UInt8]?
    /// Every contact row, in no particular order.
    func contactRows() throws(CasebookError) -> [ContactRow]
    /// The contact row with this id, if there is one.
    func contactRow(id: [UInt8]) throws(CasebookError) -> ContactRow?
    /// Every consent row (every version of every consent), in no particular order.
    func consentRows() throws(CasebookError) -> [ConsentRow]
    /// The consent row with this id, if there is one.
    func consentRow(id: [UInt8]) throws(CasebookError) -> ConsentRow?
}

/// The writes a transaction may make. Revisions and audit rows are append-only.
public protocol VaultStoreWriter {
    func insertHeader(_ header: VaultHeaderRow) throws
    func replaceKeyWrapping(_ header: VaultHeaderRow) throws
    func wrappedClientKey(id: [UInt8]) throws -> [UInt8]?
    func insertClientKey(id: [UInt8], wrappedKey: [UInt8]) throws
    func insertRevision(_ row: RevisionRow) throws
    func recordExists(_ recordID: String) throws -> Bool
    func auditCount() throws -> Int
    func appendAudit(_ row: AuditRow) throws
    /// Every audit row, in sequence order, read inside the transaction (to sign a
    /// checkpoint that includes an event just appended).
    func auditRows() throws -> [AuditRow]
    /// The sealed erasure record of a client, if it was erased.
    func erasedClient(id: [UInt8]) throws -> [UInt8]?
    /// Erases a client: deletes its wrapped data key and records the erasure.
    func eraseClient(id: [UInt8], sealedInfo: [UInt8]) throws
    /// Registers a received handover; a second registration of the same id fails.
    func insertReceivedHandover(idMAC: [UInt8], sealedInfo: [UInt8]) throws
    /// Every contact row, read inside the transaction (to check names are unique).
    func contactRows() throws -> [ContactRow]
    /// Adds a contact; a row with the same id already there is an error.
    func insertContact(_ row: ContactRow) throws
    /// Removes the contact row with this id; throws unless exactly one row was removed.
    func deleteContact(id: [UInt8]) throws
    /// The consent row with this id, read inside the transaction.
    func consentRow(id: [UInt8]) throws -> ConsentRow?
    /// Appends one consent version; a row with the same id already there is an error.
    func insertConsent(_ row: ConsentRow) throws
}

/// The vault's single key record: everything needed to turn a passphrase into keys.
public struct VaultHeaderRow: Equatable, Sendable {
    public var formatVersion: Int
    public var vaultID: [UInt8]
    public var kdfOpsLimit: UInt64
    public var kdfMemLimit: UInt64
    public var kdfSalt: [UInt8]
    public var wrappedMasterKey: [UInt8]
    public var sealedIdentity: [UInt8]
    public var sealedProfile: [UInt8]

    public init(formatVersion: Int, vaultID: [UInt8], kdfOpsLimit: UInt64, kdfMemLimit: UInt64, kdfSalt: [UInt8],
                wrappedMasterKey: [UInt8], sealedIdentity: [UInt8], sealedProfile: [UInt8]) {
        self.formatVersion = formatVersion
        self.vaultID = vaultID
        self.kdfOpsLimit = kdfOpsLimit
        self.kdfMemLimit = kdfMemLimit
        self.kdfSalt = kdfSalt
        self.wrappedMasterKey = wrappedMasterKey
        self.sealedIdentity = sealedIdentity
        self.sealedProfile = sealedProfile
    }
}

/// One stored revision: opaque ids, the revision number, and its ciphertexts. When
/// written, `sealedSummary` and `sealedFilter` (the record's listing summary and search
/// filter for this revision) replace the record's current ones; rows read back from the
/// store leave them empty.
public struct RevisionRow: Equatable, Sendable {
    public var recordID: String
    public var revision: Int
    public var clientID: [UInt8]
    public var sealedMeta: [UInt8]
    public var sealedBody: [UInt8]
    public var sealedSummary: [UInt8]
    public var sealedFilter: [UInt8]

    public init(recordID: String, revision: Int, clientID: [UInt8], sealedMeta: [UInt8], sealedBody: [UInt8],
                sealedSummary: [UInt8] = [], sealedFilter: [UInt8] = []) {
        self.recordID = recordID
        self.revision = revision
        self.clientID = clientID
        self.sealedMeta = sealedMeta
        self.sealedBody = sealedBody
        self.sealedSummary = sealedSummary
        self.sealedFilter = sealedFilter
    }
}

/// All revisions of one record as stored, oldest first, with the record's latest-revision
/// pointer (`rows` is empty and `latest` 0 when the record does not exist).
public struct RecordRevisions: Equatable, Sendable {
    public var rows: [RevisionRow]
    public var latest: Int

    public init(rows: [RevisionRow], latest: Int) {
        self.rows = rows
        self.latest = latest
    }
}

/// A client's wrapped data key as a scan hands it over: `slot` is the client's position in
/// the scan's table of keys (rows of one client share it, so callers can cache by slot).
public struct ScannedClientKey: Equatable, Sendable {
    public var slot: Int
    public var wrapped: [UInt8]

    public init(slot: Int, wrapped: [UInt8]) {
        self.slot = slot
        self.wrapped = wrapped
    }
}

/// A record's sealed search filter, as a scan reads it.
public struct RecordFilterRow: Equatable, Sendable {
    public var recordID: String
    public var revision: Int
    public var clientID: [UInt8]
    /// Nil when the client's key is missing: an integrity failure.
    public var clientKey: ScannedClientKey?
    /// Nil for a record written before filters existed: it must be read.
    public var sealedFilter: [UInt8]?

    public init(recordID: String, revision: Int, clientID: [UInt8], clientKey: ScannedClientKey?, sealedFilter: [UInt8]?) {
        self.recordID = recordID
        self.revision = revision
        self.clientID = clientID
        self.clientKey = clientKey
        self.sealedFilter = sealedFilter
    }
}

/// A record's sealed listing summary, as a scan reads it.
public struct RecordSummaryRow: Equatable, Sendable {
    public var recordID: String
    public var revision: Int
    public var clientID: [UInt8]
    /// Nil when the client's key is missing: an integrity failure.
    public var clientKey: ScannedClientKey?
    public var sealedSummary: [UInt8]

    public init(recordID: String, revision: Int, clientID: [UInt8], clientKey: ScannedClientKey?, sealedSummary: [UInt8]) {
        self.recordID = recordID
        self.revision = revision
        self.clientID = clientID
        self.clientKey = clientKey
        self.sealedSummary = sealedSummary
    }
}

/// A record's latest revision, as a scan reads it.
public struct LatestRevisionRow: Equatable, Sendable {
    public var recordID: String
    public var revision: Int
    public var clientID: [UInt8]
    /// Nil when the client's key is missing: an integrity failure.
    public var clientKey: ScannedClientKey?
    public var sealedMeta: [UInt8]
    /// Nil unless the scan asked for bodies.
    public var sealedBody: [UInt8]?
    /// The record's sealed listing summary (of this, its latest, revision).
    public var sealedSummary: [UInt8]

    public init(recordID: String, revision: Int, clientID: [UInt8], clientKey: ScannedClientKey?,
                sealedMeta: [UInt8], sealedBody: [UInt8]?, sealedSummary: [UInt8]) {
        self.recordID = recordID
        self.revision = revision
        self.clientID = clientID
        self.clientKey = clientKey
        self.sealedMeta = sealedMeta
        self.sealedBody = sealedBody
        self.sealedSummary = sealedSummary
    }
}

/// An erased client: its opaque id and its sealed erasure record.
public struct ErasedClientRow: Equatable, Sendable {
    public var id: [UInt8]
    public var sealedInfo: [UInt8]

    public init(id: [UInt8], sealedInfo: [UInt8]) {
        self.id = id
        self.sealedInfo = sealedInfo
    }
}

/// One audit event as stored: its sequence number (the Merkle leaf index), the
/// leaf hash of its canonical bytes, and those bytes encrypted.
/// A record as its rows stand: the revision `records` names as latest, how many revision
/// rows it has, and the highest revision among them (0 when it has none).
public struct RecordRevisionCount: Equatable, Sendable {
    public let id: String
    public let latestRevision: Int
    public let revisionRows: Int
    public let highestRevision: Int

    public init(id: String, latestRevision: Int, revisionRows: Int, highestRevision: Int) {
        self.id = id
        self.latestRevision = latestRevision
        self.revisionRows = revisionRows
        self.highestRevision = highestRevision
    }
}

public struct AuditRow: Equatable, Sendable {
    public var sequence: Int
    public var leafHash: [UInt8]
    public var sealedEvent: [UInt8]

    public init(sequence: Int, leafHash: [UInt8], sealedEvent: [UInt8]) {
        self.sequence = sequence
        self.leafHash = leafHash
        self.sealedEvent = sealedEvent
    }
}

/// One contact as stored: an opaque id (a keyed hash of the card's fingerprint) and the
/// sealed contact (card, local name, when added). See docs/vault-format.md §15.
public struct ContactRow: Equatable, Sendable {
    public var id: [UInt8]
    public var sealedContact: [UInt8]

    public init(id: [UInt8], sealedContact: [UInt8]) {
        self.id = id
        self.sealedContact = sealedContact
    }
}

/// One version of a consent as stored: an opaque row id (a keyed hash of the consent id and
/// version), the client's opaque id, and the consent's canonical bytes sealed under that
/// client's data key. See docs/vault-format.md §16.
public struct ConsentRow: Equatable, Sendable {
    public var id: [UInt8]
    public var clientID: [UInt8]
    public var sealedConsent: [UInt8]

    public init(id: [UInt8], clientID: [UInt8], sealedConsent: [UInt8]) {
        self.id = id
        self.clientID = clientID
        self.sealedConsent = sealedConsent
    }
}
