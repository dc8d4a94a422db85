import Testing
import CasebookCrypto
@testable import CasebookFormat

@Suite struct IdentityFileTests {
    private func text(_ secret: borrowing SecureBytes) -> String {
        secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    private func parse(_ text: String) throws(IdentityFile.ParseError) -> IdentitySecrets {
        var bytes = Array(text.utf8)
        return try IdentityFile.parse(SecureBytes(consuming: &bytes))
    }

    @Test func roundTripsKeys() throws {
        let identity = IdentitySecrets.generate()
        let encoded = text(IdentityFile.encode(identity, comments: ["example"]))
        #expect(encoded.hasPrefix(IdentityFile.header + "\n# example\nAGE-SECRET-KEY-1"))
        let parsed = try parse(encoded)
        #expect(parsed.ageRecipient == identity.ageRecipient)
        #expect(parsed.minisignPublicKey == identity.minisignPublicKey)
        #expect(parsed.ageRecipient.hasPrefix("age1"))
        #expect(parsed.minisignPublicKey.encoded.hasPrefix("RW"))
    }

    @Test func rawSecretRoundTrips() throws {
        let identity = IdentitySecrets.generate()
        let again = try IdentitySecrets(rawSecret: identity.rawSecret())
        #expect(again.ageRecipient == identity.ageRecipient)
        #expect(again.minisignPublicKey == identity.minisignPublicKey)
    }

    @Test func rejectsMalformedFiles() throws {
        let good = text(IdentityFile.encode(IdentitySecrets.generate(), comments: []))
        let lines = good.split(separator: "\n").map(String.init)
        let cases: [(String, String)] = [
            ("", "newline"),
            ("garbage\n", "not a Casebook identity file"),
            (lines[0] + "\n", "no AGE-SECRET-KEY"),
            ([lines[0], lines[1]].joined(separator: "\n") + "\n", "no CASEBOOK-SIGNING-KEY"),
            ([lines[0], lines[2]].joined(separator: "\n") + "\n", "no AGE-SECRET-KEY"),
            (good.dropLast() + "", "newline"),
            ([lines[0], lines[1], lines[1], lines[2]].joined(separator: "\n") + "\n", "repeats"),
            ([lines[0], lines[1].lowercased(), lines[2]].joined(separator: "\n") + "\n", "upper case"),
            ([lines[0], String(lines[1].dropLast()) + (lines[1].last == "Q" ? "P" : "Q"), lines[2]].joined(separator: "\n") + "\n", "checksum"),
            ([lines[0], lines[1] + "\r", lines[2]].joined(separator: "\n") + "\n", "carriage return"),
            ([lines[0], lines[1], "AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQ5D7SQH", lines[2]].joined(separator: "\n") + "\n", "Bech32"),
        ]
        for (input, expected) in cases {
            do {
                _ = try parse(input)
                Issue.record("accepted malformed identity file (\(expected))")
            } catch {
                #expect(error.message.contains(expected) || expected == "Bech32" && error.message.contains("key"), "\(error.message) vs \(expected)")
            }
        }
    }

    @Test func randomAndTruncatedInputNeverCrashes() {
        let good = Array(text(IdentityFile.encode(IdentitySecrets.generate(), comments: [])).utf8)
        for cut in stride(from: 0, to: good.count, by: 3) {
            var prefix = Array(good[0..<cut])
            #expect(throws: IdentityFile.ParseError.self) { _ = try IdentityFile.parse(SecureBytes(consuming: &prefix)) }
        }
        for index in stride(from: good.count / 2, to: good.count - 1, by: 7) {
            var flipped = good
            flipped[index] ^= 0x01
            #expect(throws: IdentityFile.ParseError.self) { _ = try IdentityFile.parse(SecureBytes(consuming: &flipped)) }
        }
    }
}

@Suite struct MinisignPublicKeyTests {
    @Test func parsesReferenceKey() throws {
        // From the reference minisign's example.pub in the project's interop vectors.
        let key = try MinisignPublicKey(encoded: "RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ")
        #expect(key.keyIDHex == "A309580D3B53714A")
        #expect(MinisignPublicKey(keyID: key.keyID, key: key.key).encoded == "RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ")
    }

    @Test(arguments: ["", "RWQ", "RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZA", "UlVRZjZMUkNHQTlpNTNtbFllY080SXpUNTFUR1BwdldVY05T",
                      "RXRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ", "RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ="])
    func rejectsMalformed(_ text: String) {
        #expect(throws: MinisignPublicKey.ParseError.self) { try MinisignPublicKey(encoded: text) }
    }
}
