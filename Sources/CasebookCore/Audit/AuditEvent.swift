import Foundation
import CasebookCrypto

/// What happened, recorded without any note text: identifiers, kinds, counts and
/// digests only. Each event's canonical bytes (JSON, sorted keys, no insignificant
/// whitespace) are one leaf of the audit Merkle tree: leaf hash = SHA-256(0x00 ‖ bytes),
/// as RFC 6962 defines, computed when the event is appended and stored beside it.
/// New optional fields can be added without changing old leaves.
public struct AuditEvent: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public var version: Int
    /// 0-based position in the log; also the Merkle leaf index.
    public var sequence: Int
    /// RFC 3339 UTC.
    public var time: String
    /// The acting identity: minisign key id (hex) of the vault owner.
    public var actor: String
    public var action: AuditAction
    public var records: [String]?
    public var revision: Int?
    public var kinds: [String]?
    public var client: String?
    public var count: Int?
    /// SHA-256 (hex) of exactly what the action concerned, when it concerns bytes.
    public var digest: String?
    public var detail: String?

    public init(sequence: Int, time: String, actor: String, action: AuditAction,
                records: [String]? = nil, revision: Int? = nil, kinds: [String]? = nil, client: String? = nil,
                count: Int? = nil, digest: String? = nil, detail: String? = nil) {
        self.version = Self.currentVersion
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.records = records
        self.revision = revision
        self.kinds = kinds
        self.client = client
        self.count = count
        self.digest = digest
        self.detail = detail
    }

    /// The canonical encoding hashed into the log.
    public func canonicalBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self))
    }

    /// RFC 6962 leaf hash of the canonical encoding.
    public static func leafHash(of canonical: [UInt8]) -> [UInt8] {
        SHA256.hash([0] + canonical)
    }
}

/// Security-relevant actions. Raw values are stable: they are in signed history.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case vaultCreated = "vault.created"
    case recordCreated = "record.created"
    case recordAmended = "record.amended"
    case recordsImported = "records.imported"
    case passphraseChanged = "key.passphrase-changed"
}
