import Foundation

/// The one JSON encoding Casebook signs, hashes and compares byte for byte: keys sorted, no
/// insignificant white space, `/` not escaped (docs/formats.md). A strict reader decodes and
/// then requires the value to re-encode to exactly the bytes it read.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Casebook's own types always encode; a failure here is a bug, not bad input.
        return Array(try! encoder.encode(value))
    }
}
