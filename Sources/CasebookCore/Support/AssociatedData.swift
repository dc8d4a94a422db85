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

        func appending(_ components: [UInt8]...) -> [UInt8] {
            var output = bytes
            output.reserveCapacity(bytes.count + components.reduce(0) { $0 + $1.count + 4 })
            for component in components { AssociatedData.append(component, to: &output) }
            return output
        }
    }

    fileprivate static func append(_ component: [UInt8], to output: inout [UInt8]) {
        let length = UInt32(component.count)
        output.append(UInt8(truncatingIfNeeded: length >> 24))
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length))
        output.append(contentsOf: component)
    }
}

extension FixedWidthInteger {
    /// The value's bytes, most significant first.
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }
}
