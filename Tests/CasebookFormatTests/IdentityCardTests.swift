import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// A fixed identity so card texts are reproducible (Ed25519 signatures are deterministic).
func fixedIdentity(_ fill: UInt8 = 7) throws -> IdentitySecrets {
    var raw = (0..<72).map { UInt8(truncatingIfNeeded: Int($0) * 31 + Int(fill)) }
    return try IdentitySecrets(rawSecret: SecureBytes(consuming: &raw))
}

@Suite struct IdentityCardTests {
    static let created = "2026-11-24T06:00:00Z"

    private func card(name: String = "Dr Amira Example", role: String = "psychologist") throws -> IdentityCard {
        try IdentityCard.make(name: name, role: role, created: Self.created, identity: fixedIdentity())
    }

    private func lines(_ card: IdentityCard) -> [String] {
        card.rendered().split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    private func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    @Test func makeRenderParseRoundTrip() throws {
        let identity = try fixedIdentity()
        let card = try IdentityCard.make(name: "Dr Amira Example", role: "theological-adviser", created: Self.created, identity: identity)
        let rendered = card.rendered()
        let all = rendered.split(separator: "\n").map(String.init)
        #expect(all.count == 7)
        #expect(all[0] == "casebook-card v1")
        #expect(all[1] == "name: Dr Amira Example")
        #expect(all[2] == "role: theological-adviser")
        #expect(all[3] == "age: " + identity.ageRecipient)
        #expect(all[4] == "minisign: " + identity.minisignPublicKey.encoded)
        #expect(all[5] == "created: " + Self.created)
        #expect(all[6].hasPrefix("signature: "))
        let parsed = try IdentityCard.parse(rendered)
        #expect(parsed == card)
        #expect(parsed.rendered() == rendered)
        // The signature is a plain Ed25519 signature by the minisign key over lines 1–6.
        let signed = Array(text(Array(all[0..<6])).utf8)
        #expect(identity.minisignPublicKey.key.isValidSignature(try #require(Base64Decoding.decode(String(all[6].dropFirst(11)))), for: signed))
        // Deterministic: the same identity and values give the same text.
        #expect(try IdentityCard.make(name: "Dr Amira Example", role: "theological-adviser", created: Self.created, identity: fixedIdentity()).rendered() == rendered)
    }

    @Test func acceptsUnicodeNamesAndEveryRole() throws {
        for role in IdentityCard.roles {
            let name = "Séamus Ó Briain-Müller 李"
            let parsed = try IdentityCard.parse(card(name: name, role: role).rendered())
            #expect(parsed.name == name)
            #expect(parsed.role == role)
        }
        let longest = String(repeating: "é", count: 100)
        #expect(try IdentityCard.parse(card(name: longest).rendered()).name == longest)
    }

    @Test func makeRefusesBadValues() throws {
        let identity = try fixedIdentity()
        let cases: [(String, String, String, String)] = [
            ("", "mentor", Self.created, "name is empty"),
            (String(repeating: "a", count: 101), "mentor", Self.created, "at most 100"),
            (" Amira", "mentor", Self.created, "leading or trailing white space"),
            ("Amira\u{202E}elpmaxE", "mentor", Self.created, "U+202E"),
            ("Amira\tExample", "mentor", Self.created, "U+0009"),
            ("Amira", "Mentor", Self.created, "not a known role"),
            ("Amira", "mentor", "2026-11-24 06:00:00Z", "RFC 3339"),
        ]
        for (name, role, created, fragment) in cases {
            do {
                _ = try IdentityCard.make(name: name, role: role, created: created, identity: identity)
                Issue.record("made a card with a bad value (\(fragment))")
            } catch {
                #expect(error.code == .invalidValue)
                #expect(error.message.contains(fragment), "\(error.message) — expected '\(fragment)'")
            }
        }
    }

    @Test func refusesMalformedCards() throws {
        let good = lines(try card())
        let other = try IdentitySecrets(rawSecret: fixedIdentity(99).rawSecret())
        var alteredName = good
        alteredName[1] = "name: Dr Amira Exampel"
        var swappedKey = good
        swappedKey[4] = "minisign: " + other.minisignPublicKey.encoded
        var swappedAge = good
        swappedAge[3] = "age: " + other.ageRecipient
        let upperAge = "age: " + good[3].dropFirst(5).uppercased()
        let ageBadChecksum = String(good[3].dropLast()) + (good[3].last == "q" ? "p" : "q")
        let wrongHRP = "age: " + String(decoding: Bech32.encode(hrp: "agf", data: [UInt8](repeating: 1, count: 32)), as: UTF8.self)
        let shortAge = "age: " + String(decoding: Bech32.encode(hrp: "age", data: [UInt8](repeating: 1, count: 31)), as: UTF8.self)

        func replacing(_ index: Int, _ line: String) -> String {
            var copy = good
            copy[index] = line
            return text(copy)
        }
        let cases: [(String, IdentityCardError.Code, Int?, String)] = [
            ("", .malformed, nil, "empty"),
            (String(text(good).dropLast()), .malformed, 7, "does not end with a newline"),
            (text(good).replacingOccurrences(of: "\n", with: "\r\n"), .malformed, 1, "carriage return"),
            (replacing(0, "casebook-card v2"), .unsupportedVersion, 1, "version 'v2'"),
            (replacing(0, "casebook card v1"), .malformed, 1, "not a Casebook identity card"),
            (text([good[0], good[2], good[1]] + good[3...]), .malformed, 2, "'role:' line is out of order; expected 'name:'"),
            (text([good[0], good[1], good[1]] + good[2...]), .malformed, 3, "repeats the 'name:' line; expected 'role:'"),
            (text(good + ["note: extra"]), .malformed, 8, "unexpected line after the signature"),
            (text(good + [good[1]]), .malformed, 8, "repeats the 'name:' line after the signature"),
            (text(good + [""]), .malformed, 8, "unexpected line after the signature"),
            (text(Array(good[0..<5])), .malformed, 6, "ends before the 'created:' line"),
            (text([good[0], "email: a@example.org"] + good[1...]), .malformed, 2, "unexpected line; expected 'name: …'"),
            (replacing(1, "name:Dr Amira"), .malformed, 2, "one space after the colon"),
            (replacing(1, "name:  Dr Amira"), .invalidValue, 2, "leading or trailing white space"),
            (replacing(1, "name: "), .invalidValue, 2, "name is empty"),
            (replacing(1, "name: " + String(repeating: "n", count: 101)), .invalidValue, 2, "at most 100"),
            (replacing(1, "name: Amira\u{7F}"), .invalidValue, 2, "U+007F"),
            (replacing(1, "name: Amira\u{2066}x"), .invalidValue, 2, "U+2066"),
            (replacing(1, "name: Amira\u{3000}"), .invalidValue, 2, "leading or trailing white space"),
            (replacing(1, "name: " + "e" + String(repeating: "\u{301}", count: 600)), .invalidValue, 2, "at most 1000"),
            (replacing(1, "name \u{301}: Amira"), .malformed, 2, "unexpected line"),
            (replacing(2, "role: probation-officer"), .invalidValue, 3, "not a known role"),
            (replacing(2, "role: \u{1B}]0;pwned\u{7}"), .invalidValue, 3, "'\\u{001B}]0;pwned\\u{0007}' is not a known role"),
            (replacing(0, "casebook-card v2\u{202E}"), .unsupportedVersion, 1, "version 'v2\\u{202E}'"),
            (replacing(3, upperAge), .invalidValue, 4, "lower case"),
            (replacing(3, ageBadChecksum), .invalidValue, 4, "checksum"),
            (replacing(3, wrongHRP), .invalidValue, 4, "not 'age1'"),
            (replacing(3, shortAge), .invalidValue, 4, "31 bytes"),
            (replacing(3, "age: age1"), .invalidValue, 4, "age recipient"),
            (replacing(4, "minisign: RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3C"), .invalidValue, 5, "minisign key is not canonical base64"),
            (replacing(4, "minisign: RURKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ"), .invalidValue, 5, "not an Ed25519 (Ed) key"),
            (replacing(5, "created: 2026-11-24T06:00:00+00:00"), .invalidValue, 6, "RFC 3339"),
            (replacing(5, "created: 2026-11-24t06:00:00z"), .invalidValue, 6, "RFC 3339"),
            (replacing(5, "created: 2026-11-24T06:00:00.5Z"), .invalidValue, 6, "RFC 3339"),
            (replacing(5, "created: 2026-02-29T06:00:00Z"), .invalidValue, 6, "28 days"),
            (replacing(5, "created: 2026-13-01T06:00:00Z"), .invalidValue, 6, "month 13"),
            (replacing(5, "created: 2026-11-24T24:00:00Z"), .invalidValue, 6, "out of range"),
            (replacing(5, "created: 2026-11-24T23:59:60Z"), .invalidValue, 6, "out of range"),
            (replacing(6, "signature: AAAA"), .invalidValue, 7, "holds 3 bytes"),
            (replacing(6, String(good[6].dropLast(2)) + "="), .invalidValue, 7, "not canonical base64"),
            (text(alteredName), .badSignature, 7, "signature does not verify"),
            (text(swappedKey), .badSignature, 7, "signature does not verify"),
            (text(swappedAge), .badSignature, 7, "signature does not verify"),
        ]
        for (input, code, line, fragment) in cases {
            do {
                _ = try IdentityCard.parse(input)
                Issue.record("accepted a malformed card (\(fragment))")
            } catch {
                #expect(error.code == code, "\(error) — expected \(code) '\(fragment)'")
                #expect(error.line == line, "\(error) — expected line \(line.map(String.init) ?? "none")")
                #expect(error.message.contains(fragment), "\(error.message) — expected '\(fragment)'")
            }
        }
        // Leap day in a leap year is fine (validation only; the card would not verify after the edit).
        #expect(UTCTimestamp.problem(in: "2028-02-29T00:00:00Z") == nil)
        #expect(UTCTimestamp.problem(in: "2100-02-29T00:00:00Z") != nil)
        #expect(UTCTimestamp.problem(in: "2000-02-29T23:59:59Z") == nil)
    }

    @Test func refusesInvalidUTF8() throws {
        var bytes = Array(try card().rendered().utf8)
        bytes[23] = 0xC3  // the "D" of the name, followed by an ASCII byte
        let error = #expect(throws: IdentityCardError.self) { try IdentityCard.parse(bytes: bytes) }
        #expect(error?.line == 2)
        #expect(error?.message.contains("UTF-8") == true)
    }
}

@Suite struct IdentityCardFingerprintTests {
    /// An independent rendering: bits as a string of 0/1, sliced by 5.
    private func referenceFingerprint(_ age: String, _ minisign: String) -> String {
        let digest = SHA256.hash(Array("casebook-card-fingerprint-v1\n\(age)\n\(minisign)\n".utf8))
        let bits = digest.prefix(20).map { byte in
            let binary = String(byte, radix: 2)
            return String(repeating: "0", count: 8 - binary.count) + binary
        }.joined()
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var symbols = ""
        var index = bits.startIndex
        while index < bits.endIndex {
            let next = bits.index(index, offsetBy: 5)
            symbols.append(alphabet[Int(bits[index..<next], radix: 2)!])
            index = next
        }
        return stride(from: 0, to: 32, by: 4).map { start in
            String(symbols.dropFirst(start).prefix(4))
        }.joined(separator: "-")
    }

    @Test func fingerprintIsOverTheKeysOnly() throws {
        let identity = try fixedIdentity()
        let first = try IdentityCard.make(name: "Dr Amira Example", role: "psychologist", created: "2026-11-24T06:00:00Z", identity: identity)
        let reissued = try IdentityCard.make(name: "Dr A. Example", role: "supervisor", created: "2027-01-02T03:04:05Z", identity: identity)
        #expect(first.rendered() != reissued.rendered())
        #expect(first.fingerprint == reissued.fingerprint)
        let shown = first.fingerprint.description
        #expect(shown == referenceFingerprint(identity.ageRecipient, identity.minisignPublicKey.encoded))
        #expect(shown.count == 39)
        print("fingerprint of the fixed test identity: \(shown)")
        let stranger = try IdentityCard.make(name: "Dr Amira Example", role: "psychologist", created: "2026-11-24T06:00:00Z", identity: fixedIdentity(8))
        #expect(stranger.fingerprint != first.fingerprint)
    }

    @Test func parsesTheDisplayedFormInAnyCase() throws {
        let fingerprint = try IdentityCard.make(name: "A", role: "mentor", created: "2026-11-24T06:00:00Z", identity: fixedIdentity()).fingerprint
        #expect(try IdentityFingerprint(parsing: fingerprint.description) == fingerprint)
        #expect(try IdentityFingerprint(parsing: fingerprint.description.lowercased()) == fingerprint)
        #expect(try IdentityFingerprint(parsing: "0000-0000-0000-0000-0000-0000-0000-0000").bytes == [UInt8](repeating: 0, count: 20))
        #expect(try IdentityFingerprint(parsing: "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ").bytes == [UInt8](repeating: 255, count: 20))
    }

    @Test(arguments: [
        ("", "has 0 characters"),
        ("7KQ2M9XD-0000-0000-0000-0000-0000-00000", "expected '-' at position 5"),
        ("7KQ2-M9XD-0000-0000-0000-0000-0000-000", "has 38 characters"),
        ("7KQ2-M9XD-0000-0000-0000-0000-0000-0000-", "has 40 characters"),
        ("OKQ2-M9XD-0000-0000-0000-0000-0000-0000", "did you mean the digit 0?"),
        ("7KQ2-M9XD-0000-000l-0000-0000-0000-0000", "did you mean the digit 1?"),
        ("7KQ2-M9XD-0000-000I-0000-0000-0000-0000", "did you mean the digit 1?"),
        ("7KQ2-M9XD-0000-000U-0000-0000-0000-0000", "did you mean V?"),
        ("7KQ2-M9XD-0000-000*-0000-0000-0000-0000", "'*' at position 19"),
        (" KQ2-M9XD-0000-0000-0000-0000-0000-0000", "' ' at position 1"),
        ("\u{1B}KQ2-M9XD-0000-0000-0000-0000-0000-0000", "control character U+001B at position 1"),
    ])
    func refusesMalformedFingerprints(_ text: String, _ fragment: String) {
        let error = #expect(throws: IdentityCardError.self) { try IdentityFingerprint(parsing: text) }
        #expect(error?.code == .malformedFingerprint)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "") — expected '\(fragment)'")
    }
}
