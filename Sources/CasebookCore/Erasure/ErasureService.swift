public import CasebookFormat
import Foundation
import CasebookCrypto

/// Erasing a client (crypto-shredding): the client's data key is deleted, so every
/// revision, summary and filter of their records can never be decrypted again, while the
/// ciphertext rows (append-only) and the audit log stay as they were and still verify.
/// A sealed erasure record tells listings to skip those records, and refuses the
/// reference for new records. See docs/vault-format.md §8.1. Reached as `vault.erasure`.
public struct ErasureService: VaultService {
    let context: VaultContext

    /// Erases every record of `client`: destroys the client's data key and audits it.
    /// Returns how many records became unreadable.
    @discardableResult
    public func erase(_ client: ClientReference, reason: String) throws -> Int {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500, !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CasebookError(.invalidInput, "an erasure needs a reason: one line of at most 500 characters",
                                remedy: .giveReason(example: "client's erasure request of 2026-11-20, ref DP-114"))
        }
        let clientID = keys.clientID(for: client.rawValue)
        if let erased = try erasure(of: clientID) {
            throw CasebookError(.alreadyExists, "client \(client) was already erased on \(erased.erasedAt)")
        }
        let count = try listings(RecordFilter(client: client)).count
        guard count > 0 else {
            throw CasebookError(.notFound, "this vault holds no records of client \(client)", remedy: .listRecords(client: nil))
        }
        let info = Vault.Erasure(erasedAt: Timestamp.string(clock.now()), reason: reason)
        try store.write { writer in
            try writer.eraseClient(id: clientID, sealedInfo: sealErasure(info, clientID: clientID))
            try append(.clientErased(client: client, count: count, reason: reason), in: writer)
        }
        clientKeys[clientID] = nil
        return count
    }
}

extension Vault {
    /// What an erasure record says.
    public struct Erasure: Equatable, Sendable {
        /// When the client was erased (RFC 3339 UTC).
        public let erasedAt: String
        public let reason: String
    }
}

/// Erasure records, shared: reading a record, a consent or an override checks whether
/// its client was erased under these names.
extension VaultService {

    /// The erasure record of a client id, if that client was erased (checked: a record
    /// that does not open is an integrity error, never taken at its word).
    func erasure(of clientID: [UInt8]) throws -> Vault.Erasure? {
        guard let sealed = try store.erasedClients().first(where: { $0.id == clientID })?.sealedInfo else { return nil }
        return try openErasure(sealed, clientID: clientID)
    }

    /// Every erased client id, each record checked.
    func erasedClientIDs() throws -> Set<[UInt8]> {
        Set(try store.erasedClients().map { row in
            _ = try openErasure(row.sealedInfo, clientID: row.id)
            return row.id
        })
    }

    fileprivate func sealErasure(_ info: Vault.Erasure, clientID: [UInt8]) -> [UInt8] {
        let plaintext = Array((info.erasedAt + "\n" + info.reason).utf8)
        return XChaCha20Poly1305.seal(plaintext, using: keys.clientKeyWrapping,
                                      authenticating: AssociatedData.make("client-erased", [header.vaultID, clientID]))
    }

    private func openErasure(_ sealed: [UInt8], clientID: [UInt8]) throws -> Vault.Erasure {
        guard let plaintext = try? XChaCha20Poly1305.open(sealed, using: keys.clientKeyWrapping,
                                                          authenticating: AssociatedData.make("client-erased", [header.vaultID, clientID])),
              let text = String(validating: plaintext, as: UTF8.self),
              let newline = text.firstIndex(of: "\n") else {
            throw CasebookError.integrity("a client's erasure record does not decrypt")
        }
        return Vault.Erasure(erasedAt: String(text[..<newline]), reason: String(text[text.index(after: newline)...]))
    }
}
