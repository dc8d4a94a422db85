import Testing
import CasebookCrypto
@testable import CasebookFormat

@Suite struct Bech32Tests {
    // BIP 173 valid Bech32 strings (checksum only; data round-trips).
    @Test(arguments: ["A12UEL5L", "a12uel5l",
                      "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
                      "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                      "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"])
    func acceptsBIP173Vectors(_ text: String) throws {
        let decoded = try Bech32.decode(Array(text.utf8))
        let again = Bech32.encode(hrp: decoded.hrp, data: decoded.data, uppercase: text.first!.isUppercase)
        #expect(String(decoding: again, as: UTF8.self) == text)
    }

    @Test(arguments: [
        ("A1G7SGD8", "checksum"),          // checksum calculated with uppercase HRP
        ("10a06t8", "separator"),          // empty HRP
        ("1qzzfhee", "separator"),
        ("a12UEL5L", "case"),              // mixed case
        ("pzry9x0s0muk", "separator"),     // no separator
        ("x1b4n0q5v", "alphabet"),         // invalid data character
        ("li1dgmt3", "short"),             // too short checksum
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx", "checksum"),
    ])
    func rejectsInvalidStrings(_ text: String, _ why: String) {
        #expect(throws: Bech32.DecodingError.self, "\(why)") { try Bech32.decode(Array(text.utf8)) }
    }

    @Test func ageRecipientFromKnownScalar() throws {
        // The CCTV age vectors' X25519 identity; its recipient as the reference `age-keygen -y` prints it.
        let identity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
        let decoded = try Bech32.decode(Array(identity.utf8))
        #expect(decoded.hrp == "age-secret-key-")
        var scalar = decoded.data
        let key = try X25519.PrivateKey(rawRepresentation: SecureBytes(consuming: &scalar))
        let recipient = String(decoding: Bech32.encode(hrp: "age", data: key.publicKey.rawRepresentation), as: UTF8.self)
        #expect(recipient == "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef")
    }
}

@Suite struct Base64Tests {
    @Test func roundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decodeUnpadded(Array(Base64.encode(bytes, padded: false).utf8)) == bytes)
        }
    }

    @Test(arguments: ["Zg", "Zg=", "Zh==", "Zm9=", "Zm9v\n", " Zm9v", "Zm9v====", "Z===", "Zm9v!A==", "Zg==Zg=="])
    func rejectsNonCanonicalPaddedInput(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func knownValues() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm8=") == Array("fo".utf8))
        #expect(Base64.decodeUnpadded(Array("Zm9".utf8)) == nil) // non-zero trailing bits
    }
}
