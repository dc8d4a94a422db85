import CasebookFormat
import Testing

@Suite("Strict UTF-8")
struct StrictUTF8Tests {
    @Test func agreesWithTheStandardLibrary() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        let pieces: [[UInt8]] = [
            Array("plain ascii text".utf8), Array("ä".utf8), Array("€".utf8), Array("😀".utf8),
            [0x80], [0xC0, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0],
            [0xE2, 0x82], [0xFF], [0xC2], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0x00],
        ]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 6) {
                bytes += pieces[Int(next() % UInt64(pieces.count))]
            }
            let expected = String(validating: bytes, as: UTF8.self)
            let actual = bytes.withUnsafeBytes { StrictUTF8.string($0) }
            #expect(actual == expected, "\(bytes)")
            let valid = bytes.withUnsafeBytes { StrictUTF8.isValid($0, 0..<$0.count) }
            #expect(valid == (expected != nil))
        }
    }

    @Test func checksOnlyTheGivenRange() {
        let bytes: [UInt8] = [0xFF, 0x61, 0x62, 0xFF]
        bytes.withUnsafeBytes { raw in
            #expect(StrictUTF8.isValid(raw, 1..<3))
            #expect(!StrictUTF8.isValid(raw, 0..<3))
            #expect(!StrictUTF8.isValid(raw, 1..<4))
            #expect(StrictUTF8.isValid(raw, 2..<2))
        }
    }
}
