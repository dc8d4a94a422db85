import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

/// The C2SP CCTV age test vectors (Tests/CasebookFormatTests/Vectors/age, with
/// their README and licence). Every vector is run; each must give exactly its
/// expected outcome, and for success and payload failure the SHA-256 of the
/// plaintext released to the sink must equal `payload`.
@Suite struct AgeVectorTests {
    static let expectedCounts: [String: Int] = [
        "success": 21, "no match": 8, "HMAC failure": 1, "header failure": 53,
        "payload failure": 19, "armor failure": 22,
    ]

    /// How decryption with the remaining (X25519) identities ends for the post-quantum
    /// vectors once their `AGE-SECRET-KEY-PQ-1…` identity has been refused. Mostly the
    /// file's own `mlkem768x25519` stanza is reported as unsupported; the exceptions are
    /// files whose header fails or matches nothing without any hybrid key, exactly as
    /// CCTV expects of them.
    static let hybridDecryptExceptions: [String: String] = [
        "hybrid_uppercase": "no match",  // the stanza type is MLKEM768X25519: unknown, ignored
        "hybrid_x25519_arg": "header failure",  // an X25519 stanza with a 1120-byte share
        "hybrid_not_canonical_body": "header failure",  // the stanza body is not canonical base64
    ]

    @Test func allVectorsGiveTheirExpectedOutcome() throws {
        let vectors = try AgeTestVector.all()
        #expect(vectors.count == 143)
        var counts: [String: Int] = [:]
        var hybridRefused = 0
        var hybridDecryptOutcomes: [String: Int] = [:]
        var mismatches: [String] = []

        for vector in vectors {
            var identities: [any AgeIdentity] = []
            var refusedIdentity: AgeError?
            for text in vector.identities {
                do {
                    identities.append(try AgeX25519Identity(encoded: AgeTestSupport.secure(text)))
                } catch {
                    refusedIdentity = error
                }
            }
            for passphrase in vector.passphrases {
                identities.append(AgeScryptIdentity(passphrase: AgeTestSupport.secure(passphrase)))
            }
            let outcome = decryptOutcome(vector.file, identities: identities, format: vector.armored ? .armored : .automatic)

            if let refusedIdentity {
                // A post-quantum hybrid identity: Casebook refuses it as an unsupported type,
                // then decrypts with whatever usable identities remain.
                guard refusedIdentity == .unsupportedRecipientType("mlkem768x25519"),
                      vector.identities.contains(where: { $0.hasPrefix("AGE-SECRET-KEY-PQ-1") })
                else {
                    mismatches.append("\(vector.name): identity refused with \(refusedIdentity)")
                    continue
                }
                let expected = Self.hybridDecryptExceptions[vector.name] ?? "unsupported recipient type"
                if outcome.expectation == "unsupported recipient type" {
                    guard outcome.error == .unsupportedRecipientType("mlkem768x25519") else {
                        mismatches.append("\(vector.name): \(String(describing: outcome.error))")
                        continue
                    }
                }
                guard outcome.expectation == expected else {
                    mismatches.append("\(vector.name): hybrid decrypt gave \(outcome.expectation), wanted \(expected)")
                    continue
                }
                hybridRefused += 1
                hybridDecryptOutcomes[outcome.expectation, default: 0] += 1
                continue
            }

            guard outcome.expectation == vector.expect else {
                mismatches.append("\(vector.name): got \(outcome.expectation) (\(outcome.error?.message ?? "")), expected \(vector.expect)")
                continue
            }
            if vector.expect == "success" || vector.expect == "payload failure" {
                let hash = AgeTestSupport.sha256Hex(outcome.released)
                guard hash == vector.payloadHash else {
                    mismatches.append("\(vector.name): released plaintext hash \(hash) != \(vector.payloadHash ?? "none") (\(outcome.released.count) bytes)")
                    continue
                }
            } else if !outcome.released.isEmpty {
                mismatches.append("\(vector.name): \(vector.expect) but \(outcome.released.count) bytes were released")
                continue
            }
            counts[vector.expect, default: 0] += 1
        }

        let asExpected = counts.values.reduce(0, +)
        let order = ["success", "no match", "HMAC failure", "header failure", "payload failure", "armor failure"]
        let breakdown = order.map { "\($0) \(counts[$0, default: 0])" }.joined(separator: ", ")
        print("age CCTV vectors: \(vectors.count) (\(asExpected) as expected: \(breakdown); \(hybridRefused) hybrid refused as unsupported recipient type)")
        let hybridBreakdown = hybridDecryptOutcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("  hybrid vectors decrypted with their remaining identities: \(hybridBreakdown)")
        for mismatch in mismatches { print("  MISMATCH \(mismatch)") }

        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(asExpected == 124)
        #expect(hybridRefused == 19)
        #expect(counts == Self.expectedCounts)
        #expect(hybridDecryptOutcomes == ["unsupported recipient type": 16, "no match": 1, "header failure": 2])
    }

    /// Automatic armor detection agrees with the explicit armored reading, except where
    /// leading garbage makes the input look like a (broken) binary file.
    @Test func automaticDetectionAgreesOnArmoredVectors() throws {
        var checked = 0
        for vector in try AgeTestVector.all() where vector.armored {
            let identities: [any AgeIdentity] = vector.identities.compactMap {
                try? AgeX25519Identity(encoded: AgeTestSupport.secure($0))
            } + vector.passphrases.map { AgeScryptIdentity(passphrase: AgeTestSupport.secure($0)) }
            let explicit = decryptOutcome(vector.file, identities: identities, format: .armored)
            let automatic = decryptOutcome(vector.file, identities: identities)
            if vector.name == "armor_garbage_leading" {
                #expect(explicit.expectation == "armor failure")
                #expect(automatic.expectation == "header failure")
            } else {
                #expect(automatic.error == explicit.error, "\(vector.name)")
                #expect(automatic.released == explicit.released, "\(vector.name)")
            }
            checked += 1
        }
        #expect(checked == 33)
    }

    /// Every header that parses re-encodes to exactly its original bytes.
    @Test func headersRoundTrip() throws {
        var checked = 0
        for vector in try AgeTestVector.all() where vector.expect != "armor failure" {
            guard let binary = vector.armored ? try? AgeArmor.decode(vector.file) : vector.file,
                  let parsed = try? AgeHeader.parse(binary)
            else {
                #expect(vector.expect == "header failure", "\(vector.name): header did not parse")
                continue
            }
            #expect(try parsed.header.encoded() == Array(binary[0..<parsed.byteCount]), "\(vector.name)")
            checked += 1
        }
        #expect(checked > 80)
    }

    /// Armored vectors that decode re-armor to the canonical form of their input
    /// (surrounding whitespace removed, LF line ends).
    @Test func armorRoundTrips() throws {
        var checked = 0
        for vector in try AgeTestVector.all() where vector.armored {
            guard let binary = try? AgeArmor.decode(vector.file) else {
                #expect(vector.expect == "armor failure", "\(vector.name): armor did not decode")
                continue
            }
            #expect(vector.expect != "armor failure", "\(vector.name): armor decoded")
            var text = String(decoding: vector.file, as: UTF8.self)
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
            while let first = text.first, first.isWhitespace { text.removeFirst() }
            while let last = text.last, last.isWhitespace { text.removeLast() }
            #expect(AgeArmor.encode(binary) == Array((text + "\n").utf8), "\(vector.name)")
            checked += 1
        }
        #expect(checked == 11)
    }
}
