import CasebookCore
import GRDB

/// Every client's wrapped data key, read once at the start of a scan (in the scan's own
/// read transaction) so rows need no join: each row's opaque client id is mapped to a
/// slot here, and rows of one client share a slot.
struct ClientKeyTable {
    /// A 16-byte client id as two words, hashable without allocating.
    private struct Bits: Hashable {
        let high: UInt64
        let low: UInt64

        init?(_ bytes: UnsafeRawBufferPointer) {
            guard bytes.count == 16 else { return nil }
            high = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            low = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }
    }

    private var slots: [Bits: Int] = [:]
    private var ids: [[UInt8]] = []
    private var wrapped: [[UInt8]] = []

    init(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT id, wrapped_key FROM client_keys")
        while let row = try rows.next() {
            let id = try row.blob(0)
            // A client id of another length cannot belong to any record: ignore it here;
            // records pointing at it then fail as having no key.
            guard let bits = id.withUnsafeBytes(Bits.init) else { continue }
            slots[bits] = wrapped.count
            ids.append(id)
            wrapped.append(try row.blob(1))
        }
    }

    /// The client id as a value and its slot and wrapped key (nil when it has no key). A
    /// known client's arrays are shared with the table, so rows cost no copy of them.
    func lookUp(_ clientID: UnsafeRawBufferPointer) -> (id: [UInt8], key: ScannedClientKey?) {
        guard let bits = Bits(clientID), let slot = slots[bits] else { return (Array(clientID), nil) }
        return (ids[slot], ScannedClientKey(slot: slot, wrapped: wrapped[slot]))
    }
}
