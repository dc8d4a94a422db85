import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// Known-answer data published with golang.org/x/mod/sumdb/note (its package documentation and
/// tests): the PeterNeumann key pair and the note it signs. Ed25519 is deterministic, so our
/// signer must reproduce the note byte for byte.
enum GoNoteExample {
    static let vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    /// `PRIVATE+KEY+PeterNeumann+c74f20a3+` followed by base64(0x01 ‖ 32-byte seed).
    static let signerKeyData = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let otherVkey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let note = text + "\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    static func privateKey() throws -> Ed25519.PrivateKey {
        var raw = try #require(Base64.decode(signerKeyData))
        try #require(raw.count == 33 && raw[0] == 0x01)
        var seed = Array(raw[1...])
        Memory.wipe(&raw)
        return try Ed25519.PrivateKey(seed: SecureBytes(consuming: &seed))
    }
}

/// A throwaway key for tests (fixed seed so that failures repeat).
func testNoteKey(_ byte: UInt8) throws -> Ed25519.PrivateKey {
    var seed = [UInt8](repeating: byte, count: 32)
    return try Ed25519.PrivateKey(seed: SecureBytes(consuming: &seed))
}

@Suite struct SignedNoteTests {
    @Test func goExampleSignsAndVerifiesByteForByte() throws {
        let verifier = try NoteVerifier(parsing: GoNoteExample.vkey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f20a3)
        #expect(verifier.vkey == GoNoteExample.vkey)
        let key = try GoNoteExample.privateKey()
        #expect(key.publicKey == verifier.publicKey)
        let signed = try SignedNote.sign(text: GoNoteExample.text, keyName: "PeterNeumann", privateKey: key)
        #expect(signed.string == GoNoteExample.note)
        let parsed = try SignedNote(parsing: GoNoteExample.note)
        #expect(parsed == signed)
        let verified = try parsed.verify([verifier])
        #expect(verified.text == GoNoteExample.text)
        #expect(verified.verifiedBy == [verifier])
        #expect(verified.unknownSignatures.isEmpty)
        // A one-character change in the text breaks the signature.
        let altered = try SignedNote(parsing: GoNoteExample.note.replacingOccurrences(of: "cryptography", with: "cryptographY"))
        #expect(throws: SignedNoteError.badSignature(name: "PeterNeumann", keyID: 0xc74f20a3)) { try altered.verify([verifier]) }
    }

    @Test func specExamplesParse() throws {
        // c2sp.org/signed-note's example (its key is not published): well-formed, unknown signer.
        let spec = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n\u{2014} quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
        let note = try SignedNote(parsing: spec)
        #expect(note.text == "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n")
        #expect(note.signatures.count == 1 && note.signatures[0].name == "quasimodo.example/salvatore")
        #expect(note.string == spec)
        let peter = try NoteVerifier(parsing: GoNoteExample.vkey)
        #expect(throws: SignedNoteError.noKnownSignature(unknown: ["quasimodo.example/salvatore+" + NoteVerifier.hex(note.signatures[0].keyID)])) {
            try note.verify([peter])
        }
        // c2sp.org/tlog-checkpoint's example.
        let checkpointNote = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        let parsed = try SignedNote(parsing: checkpointNote)
        let checkpoint = try Checkpoint(parsing: parsed.text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.rootHash.base64 == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
        #expect(checkpoint.text == parsed.text)
    }

    @Test func unknownKeysAreIgnoredNotBad() throws {
        let peter = try NoteVerifier(parsing: GoNoteExample.vkey)
        let enoch = try NoteVerifier(parsing: GoNoteExample.otherVkey)
        let other = try testNoteKey(7)
        let note = try SignedNote(parsing: GoNoteExample.note).addingSignature(keyName: "casebook.example/other", privateKey: other)
        #expect(note.signatures.count == 2)
        let verified = try note.verify([peter, enoch])
        #expect(verified.verifiedBy == [peter])
        #expect(verified.unknownSignatures.map(\.name) == ["casebook.example/other"])
        // Same name, different key ID: unknown, not bad.
        let sameName = try testNoteKey(8)
        let impostor = try SignedNote.sign(text: "hello\n", keyName: "PeterNeumann", privateKey: sameName)
        let impostorID = try NoteVerifier(name: "PeterNeumann", publicKey: sameName.publicKey).keyID
        #expect(throws: SignedNoteError.noKnownSignature(unknown: ["PeterNeumann+" + NoteVerifier.hex(impostorID)])) { try impostor.verify([peter]) }
        // No verifiers at all.
        #expect(throws: SignedNoteError.noKnownSignature(unknown: ["PeterNeumann+c74f20a3"])) { try SignedNote(parsing: GoNoteExample.note).verify([]) }
        // Same name and key ID as a known key but a different signature: bad, whole note refused.
        var raw = Array(GoNoteExample.note.utf8)
        let lastSignatureByte = raw.count - 6
        raw[lastSignatureByte] = raw[lastSignatureByte] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SignedNoteError.badSignature(name: "PeterNeumann", keyID: 0xc74f20a3)) { try SignedNote(parsing: raw).verify([peter]) }
        // A known key's bad signature refuses the note even when another known key verified.
        let key7 = try NoteVerifier(name: "casebook.example/other", publicKey: other.publicKey)
        let mixed = try SignedNote(parsing: String(decoding: raw, as: UTF8.self) + note.signatures[1].line + "\n")
        #expect(throws: SignedNoteError.badSignature(name: "PeterNeumann", keyID: 0xc74f20a3)) { try mixed.verify([key7, peter]) }
        #expect(try mixed.verify([key7]).verifiedBy == [key7])
    }

    @Test func duplicatesAreRefused() throws {
        let peter = try NoteVerifier(parsing: GoNoteExample.vkey)
        let line = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        let twice = try SignedNote(parsing: GoNoteExample.note + line)
        #expect(throws: SignedNoteError.duplicateSignature(name: "PeterNeumann", keyID: 0xc74f20a3)) { try twice.verify([peter]) }
        let key = try GoNoteExample.privateKey()
        #expect(throws: SignedNoteError.duplicateSignature(name: "PeterNeumann", keyID: 0xc74f20a3)) {
            try SignedNote(parsing: GoNoteExample.note).addingSignature(keyName: "PeterNeumann", privateKey: key)
        }
        // An unknown key signing twice is ignored like any unknown signature.
        let enoch = try NoteVerifier(parsing: GoNoteExample.otherVkey)
        let other = try testNoteKey(3)
        let unknownTwice = try SignedNote.sign(text: "x\n", keyName: "EnochRoot", privateKey: try testNoteKey(4))
            .addingSignature(keyName: "u", privateKey: other)
        let doubled = try SignedNote(parsing: unknownTwice.string + unknownTwice.signatures[1].line + "\n")
        #expect(throws: SignedNoteError.noKnownSignature(unknown: doubled.signatures.map { $0.name + "+" + NoteVerifier.hex($0.keyID) })) { try doubled.verify([enoch]) }
        // Two different public keys under one name and key ID.
        let a = try NoteVerifier(name: "n", publicKey: try testNoteKey(1).publicKey)
        let b = NoteVerifierForgery.make(name: "n", keyID: a.keyID, publicKey: try testNoteKey(2).publicKey)
        #expect(throws: SignedNoteError.ambiguousVerifiers(name: "n", keyID: a.keyID)) { try twice.verify([a, b]) }
    }

    @Test func malformedNotesAreRefused() throws {
        let good = GoNoteExample.note
        let sig = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        let cases: [(String, [UInt8], SignedNoteError)] = [
            ("no blank line", Array((GoNoteExample.text + sig + "\n").utf8), .missingBlankLine),
            ("no final newline", Array(good.dropLast().utf8), .missingFinalNewline),
            ("no signatures", Array((GoNoteExample.text + "\n").utf8), .noSignatures),
            ("empty", [], .missingFinalNewline),
            ("just newlines", Array("\n\n".utf8), .noSignatures),
            ("CR", Array((GoNoteExample.text + "\n" + sig + "\r\n").utf8), .controlCharacter(offset: good.utf8.count - 1)),
            ("tab in text", Array(("a\tb\n\n" + sig + "\n").utf8), .controlCharacter(offset: 1)),
            ("NUL", [0x61, 0x00, 0x0A, 0x0A] + Array((sig + "\n").utf8), .controlCharacter(offset: 1)),
            ("invalid UTF-8", [0x61, 0xC3, 0x28, 0x0A, 0x0A] + Array((sig + "\n").utf8), .notUTF8),
            ("overlong UTF-8", [0xC0, 0xAF, 0x0A, 0x0A] + Array((sig + "\n").utf8), .notUTF8),
            ("hyphen not em dash", Array((GoNoteExample.text + "\n- PeterNeumann AAAAAAA=\n").utf8), .malformedSignatureLine(line: 4)),
            ("no space after dash", Array((GoNoteExample.text + "\n\u{2014}PeterNeumann AAAAAAA=\n").utf8), .malformedSignatureLine(line: 4)),
            ("no signature field", Array((GoNoteExample.text + "\n\u{2014} PeterNeumann\n").utf8), .malformedSignatureLine(line: 4)),
            ("empty name", Array((GoNoteExample.text + "\n\u{2014}  AAAAAAA=\n").utf8), .invalidKeyName("")),
            ("plus in name", Array((GoNoteExample.text + "\n\u{2014} a+b AAAAAAA=\n").utf8), .invalidKeyName("a+b")),
            ("NBSP in name", Array((GoNoteExample.text + "\n\u{2014} a\u{00A0}b AAAAAAA=\n").utf8), .invalidKeyName("a\u{00A0}b")),
            ("empty base64", Array((GoNoteExample.text + "\n\u{2014} a \n").utf8), .badBase64(line: 4)),
            ("two spaces", Array((GoNoteExample.text + "\n\u{2014} a  AAAAAAA=\n").utf8), .badBase64(line: 4)),
            ("trailing space", Array((good.dropLast() + " \n").utf8), .badBase64(line: 4)),
            ("unpadded base64", Array((GoNoteExample.text + "\n\u{2014} a AAAAAAA\n").utf8), .badBase64(line: 4)),
            ("non-canonical base64", Array((GoNoteExample.text + "\n\u{2014} a AAAAAAB=\n").utf8), .badBase64(line: 4)),
            ("4-byte signature", Array((GoNoteExample.text + "\n\u{2014} a AAAAAA==\n").utf8), .badBase64(line: 4)),
            ("line too long", Array((String(repeating: "a", count: SignedNote.maxLineBytes + 1) + "\n\n" + sig + "\n").utf8), .lineTooLong(line: 1, limit: SignedNote.maxLineBytes)),
            ("too large", Array((String(repeating: "a\n", count: SignedNote.maxNoteBytes / 2) + "\n" + sig + "\n").utf8), .tooLarge(byteCount: SignedNote.maxNoteBytes + sig.utf8.count + 2, limit: SignedNote.maxNoteBytes)),
            ("too many signatures", Array((GoNoteExample.text + "\n" + String(repeating: sig + "\n", count: SignedNote.maxSignatures + 1)).utf8), .tooManySignatures(limit: SignedNote.maxSignatures)),
        ]
        for (what, bytes, expected) in cases {
            #expect(throws: expected, "\(what)") { try SignedNote(parsing: bytes) }
        }
        // A blank line after a signature: the last blank line separates, so the first signature
        // line becomes part of the text, and the remaining signature no longer verifies.
        let moved = try SignedNote(parsing: good + "\n" + sig + "\n")
        #expect(moved.text == good)
        #expect(throws: SignedNoteError.badSignature(name: "PeterNeumann", keyID: 0xc74f20a3)) { try moved.verify([NoteVerifier(parsing: GoNoteExample.vkey)]) }
        // The limit is inclusive and at least the 16 signatures the spec requires.
        #expect(SignedNote.maxSignatures >= 16)
        let many = try SignedNote(parsing: GoNoteExample.text + "\n" + String(repeating: sig + "\n", count: SignedNote.maxSignatures))
        #expect(many.signatures.count == SignedNote.maxSignatures)
        print("signed note: \(cases.count) malformed notes refused with the expected error")
    }

    @Test func textThatCannotBeSignedIsRefused() throws {
        let key = try testNoteKey(9)
        for (text, why) in [("", "empty"), ("no newline", "newline"), ("a\rb\n", "control"), ("a\u{0}\n", "control")] {
            #expect(throws: SignedNoteError.self, "\(why)") { try SignedNote.sign(text: text, keyName: "k", privateKey: key) }
        }
        for name in ["", "a b", "a+b", "a\tb", "a\u{2003}b", "a\nb"] {
            #expect(throws: SignedNoteError.invalidKeyName(name)) { try SignedNote.sign(text: "x\n", keyName: name, privateKey: key) }
        }
        // Text with blank lines and a text that ends in a blank line still round-trip.
        for text in ["a\n\nb\n", "a\n\n", "\n", "a\n\n\n", "\u{2014} x AAAAAAA=\n"] {
            let note = try SignedNote.sign(text: text, keyName: "k", privateKey: key)
            let parsed = try SignedNote(parsing: note.bytes)
            #expect(parsed.text == text)
            #expect(try parsed.verify([NoteVerifier(name: "k", publicKey: key.publicKey)]).text == text)
        }
    }

    @Test func verifierKeysParseStrictly() throws {
        let good = GoNoteExample.vkey
        #expect(try NoteVerifier(parsing: GoNoteExample.otherVkey).vkey == GoNoteExample.otherVkey)
        // A key whose base64 contains '+' (from transparency-dev/formats' tests).
        #expect(try NoteVerifier(parsing: "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6").name == "TEST")
        let bad: [String] = [
            "", "PeterNeumann", "PeterNeumann+c74f20a3", "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // upper-case hex
            "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a30+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // wrong key ID
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",
            "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3+AhpcZQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // type 0x02
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ",
            "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        ]
        for text in bad {
            #expect(throws: SignedNoteError.self, "\(text)") { try NoteVerifier(parsing: text) }
        }
        // Every proper substring and every single-byte change of a good key is refused.
        let bytes = Array(good.utf8)
        var refused = 0
        for start in 0..<bytes.count {
            for end in (start + 1)...bytes.count where (start, end) != (0, bytes.count) {
                #expect(throws: SignedNoteError.self) { try NoteVerifier(parsing: String(decoding: bytes[start..<end], as: UTF8.self)) }
                refused += 1
            }
        }
        for index in bytes.indices {
            var changed = bytes
            changed[index] &+= 1
            #expect(throws: SignedNoteError.self) { try NoteVerifier(parsing: String(decoding: changed, as: UTF8.self)) }
            refused += 1
        }
        print("verifier keys: \(bad.count + refused) malformed keys refused")
    }
}

/// Builds a verifier with an arbitrary key ID (bypassing the computation) to test ambiguity.
enum NoteVerifierForgery {
    static func make(name: String, keyID: UInt32, publicKey: Ed25519.PublicKey) -> NoteVerifier {
        NoteVerifier(uncheckedName: name, keyID: keyID, publicKey: publicKey)
    }
}
