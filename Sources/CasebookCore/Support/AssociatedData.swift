/// Associated data that binds a ciphertext to what it is. Every component is
/// written as a 4-byte big-endian length followed by its bytes, after the fixed
/// label `casebook-vault-v1`, so no two different tuples encode alike.
/// See docs/vault-format.md, "Associated data".
enum AssociatedData {
    static let label = Array("casebook-vault-v1".utf8)

    static func make(_ purpose: String, _ components: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        for component in [label, Array(purpose.utf8)] + components {
            output += UInt32(component.count).bigEndianBytes
            output += component
        }
        return output
    }
}

extension FixedWidthInteger {
    /// The value's bytes, most significant first.
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }
}
