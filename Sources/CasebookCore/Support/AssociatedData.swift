/// Associated data that binds a ciphertext to what it is. Every component is
/// written as a 4-byte big-endian length followed by its bytes, after the fixed
/// label `casebook-vault-v1`, so no two different tuples encode alike.
/// See docs/vault-format.md, "Associated data".
enum AssociatedData {
    static let label = Array("casebook-vault-v1".utf8)

    static func make(_ purpose: String, _ components: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64 + components.reduce(0) { $0 + $1.count + 4 })
        append(label, to: &output)
        append(Array(purpose.utf8), to: &output)
        for component in components { append(component, to: &output) }
        return output
    }

    /// The encoding of the label, a purpose and fixed leading components, to which
    /// per-row components are appended (scans build one AD per record).
    struct Prefix {
        let bytes: [UInt8]

        init(_ purpose: String, _ components: [[UInt8]]) {
            bytes = AssociatedData.make(purpose, components)
        }
    }

    /// The associated data of a revision's or summary's ciphertext (prefix, record id,
    /// revision, client id), rebuilt in place for each row of a scan without allocating.
    struct RowBuilder {
        private let prefixCount: Int
        private(set) var bytes: [UInt8]

        init(_ prefix: Prefix) {
            bytes = prefix.bytes
            prefixCount = bytes.count
            bytes.reserveCapacity(prefixCount + 64)
        }

        /// `revision` must fit in 32 bits (the store rejects other values).
        mutating func update(recordID: String, revision: Int, clientID: [UInt8]) {
            bytes.removeSubrange(prefixCount...)
            AssociatedData.appendLength(recordID.utf8.count, to: &bytes)
            bytes.append(contentsOf: recordID.utf8)
            AssociatedData.appendLength(4, to: &bytes)
            AssociatedData.appendLength(Int(UInt32(revision)), to: &bytes)
            AssociatedData.appendLength(clientID.count, to: &bytes)
            bytes.append(contentsOf: clientID)
        }
    }

    fileprivate static func append(_ component: [UInt8], to output: inout [UInt8]) {
        appendLength(component.count, to: &output)
        output.append(contentsOf: component)
    }

    /// A 4-byte big-endian number.
    fileprivate static func appendLength(_ count: Int, to output: inout [UInt8]) {
        let length = UInt32(count)
        output.append(UInt8(truncatingIfNeeded: length >> 24))
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length))
    }
}

extension FixedWidthInteger {
    /// The value's bytes, most significant first.
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }
}
