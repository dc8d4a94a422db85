import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

/// Altering any region of a file fails with the error for that region, and never
/// releases plaintext beyond the last chunk that authenticated.
@Suite struct AgeTamperTests {
    static let chunk = 65536
    static let encryptedChunk = 65536 + 16

    struct Fixture {
        let identity = AgeX25519Identity()
        let plaintext: [UInt8]
        let file: [UInt8]
        let header: AgeHeader
        let headerLength: Int
        var payloadStart: Int { headerLength + 16 }

        init(size: Int = 3 * 65536 + 100) throws {
            plaintext = AgeTestSupport.pattern(size, seed: 42)
            file = try Age.encrypt(plaintext, to: [identity.recipient])
            (header, headerLength) = try AgeHeader.parse(file)
        }

        func with(header newHeader: AgeHeader) throws -> [UInt8] {
            try newHeader.encoded() + file[headerLength...]
        }

        func outcome(_ bytes: [UInt8]) -> AgeOutcome {
            decryptOutcome(bytes, identities: [identity])
        }
    }

    @Test func untouchedFileDecrypts() throws {
        let fixture = try Fixture()
        let outcome = fixture.outcome(fixture.file)
        #expect(outcome.error == nil)
        #expect(outcome.released == fixture.plaintext)
        #expect(fixture.file.count == fixture.payloadStart + 4 * 16 + fixture.plaintext.count)
    }

    @Test func alteredHeader() throws {
        let fixture = try Fixture()
        // The wrapped file key: it no longer decrypts for us.
        var header = fixture.header
        header.stanzas[0].body[0] ^= 1
        #expect(fixture.outcome(try fixture.with(header: header)).error == .noMatch)
        // The ephemeral share: a different shared secret.
        header = fixture.header
        var share = try #require(Base64.decodeUnpadded(header.stanzas[0].arguments[0].utf8))
        share[5] ^= 0x10
        header.stanzas[0].arguments[0] = Base64.encode(share, padded: false)
        #expect(fixture.outcome(try fixture.with(header: header)).error == .noMatch)
        // A stanza added (or removed) with the old MAC: the key unwraps, the MAC fails.
        header = fixture.header
        header.stanzas.append(AgeStanza(type: "example.com/other", arguments: ["x"], body: [1, 2, 3]))
        #expect(fixture.outcome(try fixture.with(header: header)).error == .headerMAC)
        header = fixture.header
        header.stanzas.insert(AgeStanza(type: "grease", arguments: [], body: []), at: 0)
        #expect(fixture.outcome(try fixture.with(header: header)).error == .headerMAC)
        // An extra argument on our X25519 stanza is malformed for an X25519 identity.
        header = fixture.header
        header.stanzas[0].arguments.append("extra")
        #expect(fixture.outcome(try fixture.with(header: header)).error
            == .header("an X25519 stanza must have exactly one argument, not 2"))
        // Structure: the version line, the stanza marker, the MAC line.
        for (offset, replacement) in [(0, UInt8(ascii: "A")), (20, UInt8(ascii: "2")), (22, UInt8(ascii: "+")), (23, UInt8(ascii: "X"))] {
            var bytes = fixture.file
            bytes[offset] = replacement
            #expect(fixture.outcome(bytes).expectation == "header failure", "offset \(offset)")
        }
    }

    @Test func alteredMAC() throws {
        let fixture = try Fixture()
        var header = fixture.header
        header.mac[31] ^= 0x80
        let outcome = fixture.outcome(try fixture.with(header: header))
        #expect(outcome.error == .headerMAC)
        #expect(outcome.released.isEmpty)
        // A MAC that is not canonical base64 is a header failure, not a MAC failure.
        var bytes = fixture.file
        let lastMACCharacter = fixture.headerLength - 2
        bytes[lastMACCharacter] = bytes[lastMACCharacter] == UInt8(ascii: "B") ? UInt8(ascii: "C") : UInt8(ascii: "B")
        let canonical = Base64.decodeUnpadded(bytes[(fixture.headerLength - 44)..<(fixture.headerLength - 1)]) != nil
        #expect(fixture.outcome(bytes).expectation == (canonical ? "HMAC failure" : "header failure"))
    }

    @Test func alteredNonce() throws {
        let fixture = try Fixture()
        for index in [0, 15] {
            var bytes = fixture.file
            bytes[fixture.headerLength + index] ^= 1
            let outcome = fixture.outcome(bytes)
            #expect(outcome.error == .payload("chunk 1 does not authenticate (altered, truncated or not from this file)"))
            #expect(outcome.released.isEmpty)
        }
    }

    @Test func eachAlteredChunkStopsThere() throws {
        let fixture = try Fixture()
        for chunk in 0..<4 {
            for position in [0, 1000, -1] {
                var bytes = fixture.file
                let start = fixture.payloadStart + chunk * Self.encryptedChunk
                let end = min(start + Self.encryptedChunk, bytes.count)
                bytes[position >= 0 ? min(start + position, end - 1) : end - 1] ^= 0x04
                let outcome = fixture.outcome(bytes)
                #expect(outcome.error == .payload("chunk \(chunk + 1) does not authenticate (altered, truncated or not from this file)"))
                #expect(outcome.released == Array(fixture.plaintext[0..<(chunk * Self.chunk)]), "chunk \(chunk)")
            }
        }
    }

    @Test func reorderedChunksFail() throws {
        let fixture = try Fixture()
        let start = fixture.payloadStart
        var bytes = Array(fixture.file[0..<start])
        bytes += fixture.file[(start + Self.encryptedChunk)..<(start + 2 * Self.encryptedChunk)]
        bytes += fixture.file[start..<(start + Self.encryptedChunk)]
        bytes += fixture.file[(start + 2 * Self.encryptedChunk)...]
        let outcome = fixture.outcome(bytes)
        #expect(outcome.expectation == "payload failure")
        #expect(outcome.released.isEmpty)
    }

    @Test func truncationAtEveryChunkBoundary() throws {
        let fixture = try Fixture()
        for chunks in 0..<4 {
            let bytes = Array(fixture.file[0..<(fixture.payloadStart + chunks * Self.encryptedChunk)])
            let outcome = fixture.outcome(bytes)
            #expect(outcome.expectation == "payload failure", "\(chunks) chunks")
            #expect(outcome.error == .payload(chunks == 0
                ? "the file is truncated: it has no payload after the header"
                : "the file is truncated after chunk \(chunks) (no final chunk)"))
            #expect(outcome.released == Array(fixture.plaintext[0..<(chunks * Self.chunk)]))
        }
        // Inside the final chunk, inside a full chunk, inside the nonce, inside the header.
        for cut in [fixture.file.count - 1, fixture.file.count - 17, fixture.payloadStart + 100] {
            let outcome = fixture.outcome(Array(fixture.file[0..<cut]))
            #expect(outcome.expectation == "payload failure", "cut at \(cut)")
            #expect(outcome.released.count % Self.chunk == 0)
        }
        for cut in [fixture.headerLength + 8, fixture.headerLength, fixture.headerLength - 1, 30, 0] {
            let outcome = fixture.outcome(Array(fixture.file[0..<cut]))
            #expect(outcome.expectation == "header failure", "cut at \(cut)")
            #expect(outcome.released.isEmpty)
        }
    }

    @Test func trailingData() throws {
        // After a short final chunk, extra bytes become part of it: it fails to authenticate.
        let short = try Fixture()
        let shortOutcome = short.outcome(short.file + [0])
        #expect(shortOutcome.error == .payload("chunk 4 does not authenticate (altered, truncated or not from this file)"))
        #expect(shortOutcome.released == Array(short.plaintext[0..<(3 * Self.chunk)]))
        // After a full-length final chunk, it is detected as data after the end.
        let full = try Fixture(size: 2 * Self.chunk)
        let fullOutcome = full.outcome(full.file + [0])
        #expect(fullOutcome.error == .payload("there is data after the final chunk"))
        #expect(fullOutcome.released == full.plaintext)
        // A second file appended.
        let twice = full.outcome(full.file + full.file)
        #expect(twice.expectation == "payload failure")
    }

    @Test func alteredArmor() throws {
        let identity = AgeX25519Identity()
        let plaintext = AgeTestSupport.pattern(1000)
        let armored = try Age.encrypt(plaintext, to: [identity.recipient], armor: true)
        var text = String(decoding: armored, as: UTF8.self)
        // A base64 character changed within the alphabet: the age file changes.
        var bytes = armored
        let index = 40 + 65 * 3
        bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(["header failure", "HMAC failure", "no match", "payload failure", "armor failure"]
            .contains(decryptOutcome(bytes, identities: [identity]).expectation))
        // Structural damage is an armor failure.
        let damaged: [String] = [
            text.replacingFirst("-----BEGIN AGE ENCRYPTED FILE-----", with: "-----BEGIN AGE ENCRYPTED DATA-----"),
            text.replacingFirst("-----END AGE ENCRYPTED FILE-----", with: "-----END AGE ENCRYPTED FILE----"),
            text + "x",
            "x" + text,
            text.replacingFirst("\n", with: "\n\n"),
            String(text.dropLast(33)),
        ]
        for candidate in damaged {
            #expect(decryptOutcome(Array(candidate.utf8), identities: [identity], format: .armored).expectation == "armor failure")
        }
        text = text.replacingFirst("\n", with: "\r\n")
        #expect(decryptOutcome(Array(text.utf8), identities: [identity]).error == .armor("the line endings mix LF and CRLF"))
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
