import CasebookCrypto
import Testing

@Suite("Hashes, MACs and comparisons")
struct HashTests {
    static let blake2b512OfABC = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"

    // MARK: BLAKE2b

    @Test func blake2bKnownAnswers() throws {
        #expect(hexString(try BLAKE2b.hash(Array("abc".utf8))) == Self.blake2b512OfABC)
        #expect(hexString(try BLAKE2b.hash("abc".utf8, byteCount: 64)) == Self.blake2b512OfABC)
        // BLAKE2b-256 of the empty string.
        #expect(hexString(try BLAKE2b.hash([UInt8](), byteCount: 32)) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
    }

    @Test(arguments: [16, 20, 32, 48, 64])
    func blake2bStreamingEqualsOneShot(byteCount: Int) throws {
        let data = SecureRandom.bytes(1000)
        let oneShot = try BLAKE2b.hash(data, byteCount: byteCount)
        #expect(oneShot.count == byteCount)
        for cuts in [[0], [1], [127, 128, 129], [500], [3, 200, 999]] {
            var hasher = try BLAKE2b.Hasher(byteCount: byteCount)
            var start = 0
            for cut in cuts + [data.count] {
                hasher.update(data[start..<cut])
                start = cut
            }
            #expect(hasher.finalize() == oneShot, "cuts \(cuts)")
        }
    }

    @Test(arguments: [-1, 0, 15, 65, 128])
    func blake2bRejectsInvalidLength(byteCount: Int) {
        let oneShot = thrownError { try BLAKE2b.hash([UInt8](), byteCount: byteCount) }
        let streaming = thrownError { _ = try BLAKE2b.Hasher(byteCount: byteCount) }
        #expect(oneShot == .invalidParameter("BLAKE2b output length \(byteCount)"))
        #expect(streaming == .invalidParameter("BLAKE2b output length \(byteCount)"))
    }

    // MARK: SHA-256

    @Test func sha256KnownAnswers() {
        #expect(hexString(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hexString(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hexString(SHA256.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func sha256StreamingInPiecesEqualsOneShot() {
        var abc = SHA256.Hasher()
        abc.update("a".utf8)
        abc.update([UInt8]())
        abc.update(Array("bc".utf8))
        #expect(hexString(abc.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

        let data = SecureRandom.bytes(777)
        let oneShot = SHA256.hash(data)
        for pieceSize in [1, 7, 63, 64, 65, 500] {
            var hasher = SHA256.Hasher()
            var start = 0
            while start < data.count {
                let end = min(start + pieceSize, data.count)
                hasher.update(data[start..<end])
                start = end
            }
            #expect(hasher.finalize() == oneShot, "piece size \(pieceSize)")
        }
    }

    // MARK: HMAC-SHA-256 (beyond Wycheproof)

    @Test func hmacRFC4231Case2() {
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        let message = Array("what do ya want for nothing?".utf8)
        #expect(hexString(HMACSHA256.authenticationCode(for: message, key: "Jefe".utf8)) == expected)
        let key = secure(Array("Jefe".utf8))
        #expect(hexString(HMACSHA256.authenticationCode(for: message, using: key)) == expected)
        let valid = HMACSHA256.isValid(hex(expected), for: message, using: key)
        let truncatedAccepted = HMACSHA256.isValid(Array(hex(expected).prefix(16)), for: message, using: key)
        var altered = hex(expected)
        altered[31] ^= 1
        let alteredAccepted = HMACSHA256.isValid(altered, for: message, using: key)
        #expect(valid)
        #expect(!truncatedAccepted, "isValid checks full-length MACs only")
        #expect(!alteredAccepted)
    }

    // MARK: ConstantTime

    @Test func constantTimeEquals() {
        let a: [UInt8] = [1, 2, 3, 4, 5]
        #expect(ConstantTime.equals(a, [UInt8]([1, 2, 3, 4, 5])))
        #expect(!ConstantTime.equals(a, [UInt8]([1, 2, 3, 4, 6])))
        #expect(!ConstantTime.equals(a, [UInt8]([0, 2, 3, 4, 5])))
        #expect(!ConstantTime.equals(a, [UInt8]([1, 2, 3, 4])))
        #expect(!ConstantTime.equals(a, a + [0]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(!ConstantTime.equals([UInt8](), a))
        // Mixed container types.
        #expect(ConstantTime.equals(a[1...3], [UInt8]([2, 3, 4])))
        #expect(ConstantTime.equals("abc".utf8, [UInt8]([0x61, 0x62, 0x63])))
        #expect(ConstantTime.equals("xabcx".dropFirst().dropLast().utf8, "abc".utf8))
        let long = SecureRandom.bytes(4096)
        var changed = long
        changed[4095] ^= 0x80
        #expect(ConstantTime.equals(long, long))
        #expect(!ConstantTime.equals(long, changed))
    }
}
