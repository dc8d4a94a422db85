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

    /// Decodes `bytes` as `type` and requires them to be exactly its canonical encoding;
    /// `invalid` is thrown when they do not decode, `nonCanonical` when they re-encode differently.
    public static func decodeStrictly<Value: Codable>(
        _ type: Value.Type, from bytes: [UInt8], invalid: @autoclosure () -> WireFormatError,
        nonCanonical: @autoclosure () -> WireFormatError
    ) throws(WireFormatError) -> Value {
        guard let value = try? JSONDecoder().decode(type, from: Data(bytes)) else { throw invalid() }
        guard encode(value) == bytes else { throw nonCanonical() }
        return value
    }
}
