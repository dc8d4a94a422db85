import CasebookCrypto
import CasebookFormat
import Testing

@Suite struct AgeHeaderTests {
    static let mac = [UInt8](repeating: 0xAB, count: 32)

    @Test func serialisesBodiesAtSixtyFourColumns() throws {
        let header = AgeHeader(stanzas: [
            AgeStanza(type: "empty", arguments: [], body: []),
            AgeStanza(type: "short", arguments: ["a", "b+/="], body: [1, 2, 3]),
            AgeStanza(type: "full", arguments: ["x"], body: [UInt8](repeating: 9, count: 48)),
            AgeStanza(type: "long", arguments: [], body: [UInt8](repeating: 7, count: 100)),
        ], mac: Self.mac)
        let encoded = try header.encoded()
        let text = String(decoding: encoded, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "age-encryption.org/v1")
        #expect(lines[1] == "-> empty")
        #expect(lines[2] == "")
        #expect(lines[3] == "-> short a b+/=")
        #expect(lines[4] == "AQID")
        #expect(lines[5] == "-> full x")
        #expect(lines[6].count == 64)
        #expect(lines[7] == "")  // a body of exactly 48 bytes ends with an empty line
        #expect(lines[8] == "-> long")
        #expect(lines[9].count == 64 && lines[10].count == 64 && lines[11].count == 6)  // 100 bytes: 134 characters
        #expect(lines[12].hasPrefix("--- ") && lines[12].count == 47)
        #expect(lines[13] == "")
        let parsed = try AgeHeader.parse(encoded + [1, 2, 3])
        #expect(parsed.header == header)
        #expect(parsed.byteCount == encoded.count)
        #expect(try header.encodedForMAC() == Array(encoded[0..<(encoded.count - 45)]))
    }

    @Test func refusesWhatCannotBeWritten() {
        #expect(throws: AgeError.self) { try AgeHeader(stanzas: [], mac: Self.mac).encoded() }
        #expect(throws: AgeError.self) { try AgeHeader(stanzas: [AgeStanza(type: "a b", arguments: [], body: [])], mac: Self.mac).encoded() }
        #expect(throws: AgeError.self) { try AgeHeader(stanzas: [AgeStanza(type: "t", arguments: [""], body: [])], mac: Self.mac).encoded() }
        #expect(throws: AgeError.self) { try AgeHeader(stanzas: [AgeStanza(type: "t", arguments: [], body: [])], mac: [1]).encoded() }
    }

    @Test func specificParseErrors() throws {
        let good = try AgeHeader(stanzas: [AgeStanza(type: "t", arguments: [], body: [1])], mac: Self.mac).encoded()
        let text = String(decoding: good, as: UTF8.self)
        func error(_ input: String) -> AgeError? {
            do {
                _ = try AgeHeader.parse(Array(input.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(error("") == .header("the file is empty"))
        #expect(error(String(repeating: "x", count: 5000)) == .header("not an age v1 file (the first line is not 'age-encryption.org/v1')"))
        #expect(error(text.replacingFirst("v1", with: "v2")) == .header("unsupported age format version 'v2' (expected v1)"))
        #expect(error("age-encryption.org/v1\n--- " + String(text.suffix(44))) == .header("the header has no recipient stanzas"))
        #expect(error(text.replacingFirst("-> t", with: "->  t")) == .header("a stanza has an empty or non-printable argument"))
        #expect(error(text.replacingFirst("-> t", with: "-> t\u{7F}")) == .header("a stanza has an empty or non-printable argument"))
        #expect(error(text.replacingFirst("AQ\n", with: "AR\n")) == .header("a stanza body is not canonical unpadded base64"))
        #expect(error(text.replacingFirst("AQ\n", with: "AQ==\n")) == .header("a stanza body is not canonical unpadded base64"))
        #expect(error(String(text.dropLast())) == .header("the header is truncated (the file ends inside the header)"))
        let huge = "age-encryption.org/v1\n-> t\n" + String(repeating: String(repeating: "A", count: 64) + "\n", count: 17_000) + "\n"
        #expect(error(huge) == .header("the header is larger than 1024 KiB"))
    }
}
