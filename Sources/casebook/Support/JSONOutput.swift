import Foundation

/// Structured output for scripts: pretty, sorted keys, one document per command.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(10)
        FileHandle.standardOutput.write(data)
    }
}
