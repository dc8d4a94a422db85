import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// The reference minisign vectors (Vectors/minisign, made with minisign 0.11).
@Suite struct MinisignVectorTests {
    let publicKey: MinisignPublicKey

    init() throws {
        publicKey = try MinisignPublicKeyFile(parsing: FormatVectors.minisign("example.pub")).key
    }

    private func signature(_ name: String) throws -> MinisignSignature {
        try MinisignSignature(parsing: FormatVectors.minisign(name))
    }

    @Test func publicKeyFileParsesAndRendersIdentically() throws {
        let bytes = try FormatVectors.minisign("example.pub")
        let file = try MinisignPublicKeyFile(parsing: bytes)
        #expect(file.key.keyIDHex == "A309580D3B53714A")
        #expect(file.untrustedComment == "minisign public key A309580D3B53714A")
        #expect(Array(file.rendered().utf8) == bytes)
        #expect(MinisignPublicKeyFile(key: file.key).rendered() == file.rendered())
    }

    @Test func prehashedSignatureVerifies() throws {
        let sig = try signature("message.txt.minisig")
        #expect(sig.algorithm == .prehashed)
        #expect(sig.trustedComment == "casebook interop vector")
        #expect(sig.keyIDHex == "A309580D3B53714A")
        #expect(Array(sig.rendered().utf8) == (try FormatVectors.minisign("message.txt.minisig")))
        try sig.verify(message: FormatVectors.minisign("message.txt"), publicKey: publicKey)
        print("minisign vector message.txt.minisig (ED): verified")
    }

    @Test func legacySignatureVerifiesUnlessRefused() throws {
        let sig = try signature("message.txt.legacy.minisig")
        #expect(sig.algorithm == .legacy)
        #expect(sig.trustedComment == "timestamp:1795499690\tfile:message.txt")
        let message = try FormatVectors.minisign("message.txt")
        try sig.verify(message: message, publicKey: publicKey)
        print("minisign vector message.txt.legacy.minisig (Ed): verified")
        #expect(throws: MinisignError.self) { try sig.verify(message: message, publicKey: publicKey, allowingLegacy: false) }
        do {
            try sig.verify(message: message, publicKey: publicKey, allowingLegacy: false)
        } catch {
            #expect(error.code == .unsupportedAlgorithm)
        }
        // Streaming a legacy message gives the same answer as one piece.
        try sig.verify(chunks: stride(from: 0, to: message.count, by: 7).map { Array(message[$0..<min($0 + 7, message.count)]) }, publicKey: publicKey)
    }

    @Test func largeFileVerifiesWholeAndStreamed() throws {
        let sig = try signature("large.txt.minisig")
        #expect(sig.algorithm == .prehashed)
        #expect(sig.trustedComment == "timestamp:1795499694\tfile:large.txt\thashed")
        let message = try FormatVectors.minisign("large.txt")
        try sig.verify(message: message, publicKey: publicKey)
        var verifier = try MinisignVerifier(signature: sig, publicKey: publicKey)
        for start in stride(from: 0, to: message.count, by: 4093) {
            verifier.update(message[start..<min(start + 4093, message.count)])
        }
        try verifier.finalize()
        print("minisign vector large.txt.minisig (ED, \(message.count) bytes): verified whole and in 4093-byte chunks")
    }

    @Test func tamperedFileDoesNotVerify() throws {
        let sig = try signature("tampered.txt.minisig")
        let error = try #require(throws: MinisignError.self) {
            try sig.verify(message: FormatVectors.minisign("tampered.txt"), publicKey: publicKey)
        }
        #expect(error.code == .signatureMismatch)
        print("minisign vector tampered.txt: refused (\(error))")
        // A streamed message missing its last byte is refused too.
        let message = try FormatVectors.minisign("message.txt")
        let streamed = try #require(throws: MinisignError.self) {
            try sig.verify(chunks: [message.dropLast()], publicKey: publicKey)
        }
        #expect(streamed.code == .signatureMismatch)
    }

    @Test func trustedCommentTamperingIsDetected() throws {
        let original = String(decoding: try FormatVectors.minisign("message.txt.minisig"), as: UTF8.self)
        let altered = original.replacingOccurrences(of: "trusted comment: casebook interop vector", with: "trusted comment: casebook interop vectors")
        #expect(altered != original)
        let sig = try MinisignSignature(parsing: altered)
        let error = try #require(throws: MinisignError.self) {
            try sig.verify(message: FormatVectors.minisign("message.txt"), publicKey: publicKey)
        }
        #expect(error.code == .trustedCommentMismatch)
        #expect(error.message.contains("trusted comment was altered"))
    }

    @Test func untrustedCommentIsNotAuthenticated() throws {
        let original = String(decoding: try FormatVectors.minisign("message.txt.minisig"), as: UTF8.self)
        let altered = original.replacingOccurrences(of: "signature from minisign secret key", with: "anything at all")
        let sig = try MinisignSignature(parsing: altered)
        #expect(sig.untrustedComment == "anything at all")
        try sig.verify(message: FormatVectors.minisign("message.txt"), publicKey: publicKey)
    }

    @Test func wrongKeyIsRefused() throws {
        let sig = try signature("message.txt.minisig")
        let message = try FormatVectors.minisign("message.txt")
        // Another key altogether: refused on the key id, before the message is read.
        let other = IdentitySecrets.generate().minisignPublicKey
        let mismatch = try #require(throws: MinisignError.self) { try sig.verify(message: message, publicKey: other) }
        #expect(mismatch.code == .keyMismatch)
        #expect(mismatch.message.contains("A309580D3B53714A") && mismatch.message.contains(other.keyIDHex))
        // The right key id on a different Ed25519 key: the signature itself fails.
        let impostor = MinisignPublicKey(keyID: publicKey.keyID, key: other.key)
        let forged = try #require(throws: MinisignError.self) { try sig.verify(message: message, publicKey: impostor) }
        #expect(forged.code == .signatureMismatch)
        // The signature file's key id altered: refused as another key's signature.
        var keyID = sig.keyID
        keyID[0] ^= 1
        let relabelled = try MinisignSignature(algorithm: sig.algorithm, keyID: keyID, signature: sig.signature, trustedComment: sig.trustedComment,
                                               globalSignature: sig.globalSignature, untrustedComment: sig.untrustedComment)
        let refused = try #require(throws: MinisignError.self) { try relabelled.verify(message: message, publicKey: publicKey) }
        #expect(refused.code == .keyMismatch)
    }

    /// Ed25519 is deterministic, so signing message.txt with example.key and the same
    /// trusted comment must reproduce the reference minisign's file byte for byte.
    @Test func signingReproducesTheReferenceSignature() throws {
        let (seed, keyID) = try FormatVectors.exampleSecretKey()
        var seedCopy = seed
        let key = try Ed25519.PrivateKey(seed: SecureBytes(consuming: &seedCopy))
        #expect(key.publicKey == publicKey.key)
        #expect(keyID == publicKey.keyID)
        let text = try MinisignSignature.sign(
            message: FormatVectors.minisign("message.txt"), key: key, keyID: keyID,
            trustedComment: "casebook interop vector", untrustedComment: "signature from minisign secret key")
        #expect(Array(text.utf8) == (try FormatVectors.minisign("message.txt.minisig")))
    }
}

@Suite struct MinisignSigningTests {
    @Test func signAndVerifyRoundTrip() throws {
        let identity = IdentitySecrets.generate()
        let message = Array("handover.json contents\n".utf8)
        let text = try MinisignSignature.sign(message: message, key: identity.signing, keyID: identity.signingKeyID,
                                              trustedComment: "casebook handover\tid:1", untrustedComment: "signature from casebook")
        let sig = try MinisignSignature(parsing: text)
        #expect(sig.algorithm == .prehashed)
        #expect(sig.rendered() == text)
        try sig.verify(message: message, publicKey: identity.minisignPublicKey, allowingLegacy: false)
        #expect(throws: MinisignError.self) { try sig.verify(message: message + [0], publicKey: identity.minisignPublicKey) }
        // An empty message can be signed and verified.
        let empty = try MinisignSignature(parsing: MinisignSignature.sign(message: [UInt8](), key: identity.signing, keyID: identity.signingKeyID,
                                                                          trustedComment: "", untrustedComment: ""))
        try empty.verify(message: [UInt8](), publicKey: identity.minisignPublicKey)
    }

    @Test(arguments: [("line\nbreak", "trusted"), ("cr\r", "trusted"), ("nul\u{0}", "trusted"), ("esc\u{1B}[31m", "trusted"),
                      ("c1\u{85}", "trusted"), (String(repeating: "x", count: 8001), "trusted"), ("two\nlines", "untrusted"),
                      (String(repeating: "y", count: 1001), "untrusted")])
    func signingRefusesBadComments(_ comment: String, _ which: String) {
        let identity = IdentitySecrets.generate()
        let error = #expect(throws: MinisignError.self) {
            _ = try MinisignSignature.sign(message: [1, 2, 3], key: identity.signing, keyID: identity.signingKeyID,
                                           trustedComment: which == "trusted" ? comment : "ok",
                                           untrustedComment: which == "untrusted" ? comment : "ok")
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("the \(which) comment") == true)
    }

    @Test func signingRefusesBadKeyID() {
        let identity = IdentitySecrets.generate()
        #expect(throws: MinisignError.self) {
            _ = try MinisignSignature.sign(message: [1], key: identity.signing, keyID: [1, 2, 3], trustedComment: "", untrustedComment: "")
        }
    }

    /// Our signatures verify with the reference `minisign -Vm FILE -P KEY`.
    @Test func referenceMinisignVerifiesOurSignatures() throws {
        let tool = "/usr/bin/minisign"
        guard ToolRun.available(tool) else {
            print("NOTE: \(tool) is missing (Debian package 'minisign'); interop with the reference minisign NOT checked")
            return
        }
        let identity = IdentitySecrets.generate()
        let scratch = try ScratchDirectory()
        var generator = FuzzGenerator(seed: 0x5EED_0001)
        let messages: [(String, [UInt8])] = [
            ("handover.json", Array("{\"records\":[]}\n".utf8)),
            ("empty.bin", []),
            ("random.bin", generator.bytes(100_003)),
        ]
        for (name, message) in messages {
            _ = try scratch.write(name, message)
            let comment = "timestamp:1795500000\tfile:\(name)\tcasebook"
            let text = try MinisignSignature.sign(message: message, key: identity.signing, keyID: identity.signingKeyID,
                                                  trustedComment: comment, untrustedComment: "signature from casebook")
            _ = try scratch.write(name + ".minisig", Array(text.utf8))
            let run = try ToolRun.run(tool, ["-Vm", name, "-P", identity.minisignPublicKey.encoded], in: scratch.url)
            #expect(run.status == 0, "minisign refused our signature of \(name): \(run.output)")
            #expect(run.output.contains(comment), "minisign output: \(run.output)")

            // The reference refuses it too once the trusted comment is altered.
            let altered = text.replacingOccurrences(of: "\tcasebook\n", with: "\tcasebooK\n")
            _ = try scratch.write(name + ".minisig", Array(altered.utf8))
            let refused = try ToolRun.run(tool, ["-Vm", name, "-P", identity.minisignPublicKey.encoded], in: scratch.url)
            #expect(refused.status != 0, "minisign accepted an altered trusted comment")
        }
        // minisign also reads our public key file.
        _ = try scratch.write("casebook.pub", Array(MinisignPublicKeyFile(key: identity.minisignPublicKey).rendered().utf8))
        let text = try MinisignSignature.sign(message: messages[0].1, key: identity.signing, keyID: identity.signingKeyID,
                                              trustedComment: "via key file", untrustedComment: "signature from casebook")
        _ = try scratch.write("handover.json.minisig", Array(text.utf8))
        let run = try ToolRun.run(tool, ["-Vm", "handover.json", "-p", "casebook.pub"], in: scratch.url)
        #expect(run.status == 0, "minisign refused our key file: \(run.output)")
        print("minisign interop: \(messages.count) Casebook ED signatures verified by \(tool); altered trusted comments refused by it")
    }

    /// Signatures the reference minisign makes now (prehashed and legacy, trusted
    /// comments with tabs) verify with ours.
    @Test func weVerifyFreshReferenceSignatures() throws {
        let tool = "/usr/bin/minisign"
        guard ToolRun.available(tool) else {
            print("NOTE: \(tool) is missing (Debian package 'minisign'); fresh reference signatures NOT checked")
            return
        }
        let scratch = try ScratchDirectory()
        _ = try scratch.write("example.key", FormatVectors.minisign("example.key"))
        let publicKey = try MinisignPublicKeyFile(parsing: FormatVectors.minisign("example.pub")).key
        var generator = FuzzGenerator(seed: 0x5EED_0002)
        let message = generator.bytes(70_000)
        _ = try scratch.write("data.bin", message)
        for legacy in [false, true] {
            let arguments = ["-S", "-s", "example.key", "-m", "data.bin", "-t", "fresh\treference"] + (legacy ? ["-l"] : [])
            let run = try ToolRun.run(tool, arguments, in: scratch.url)
            try #require(run.status == 0, "minisign -S failed: \(run.output)")
            let sig = try MinisignSignature(parsing: scratch.read("data.bin.minisig"))
            #expect(sig.algorithm == (legacy ? .legacy : .prehashed))
            #expect(sig.trustedComment == "fresh\treference")
            try sig.verify(message: message, publicKey: publicKey)
            #expect(throws: MinisignError.self) { try sig.verify(message: Array(message.dropFirst()), publicKey: publicKey) }
        }
    }
}

@Suite struct MinisignParserTests {
    static let good = "untrusted comment: signature from minisign secret key\n"
        + "RURKcVM7DVgJozdzlbFiLxMfvqvdaMsUVvfDJ3tvdwZWLluhA3ivNygoPh2G5lWU/Wp3yyblmtBOsI6mCTd+Dof28PIepmkeNQs=\n"
        + "trusted comment: casebook interop vector\n"
        + "VaohReLMmgUVtDiYuoLSjGF+OitMcbJS7hik7dgmX+NyJUTST07JiT27dyny9h9VQjeeBER4lsfkuKRNiI1WDQ==\n"

    static func lines() -> [String] { good.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    static func with(_ index: Int, _ line: String) -> String {
        var all = lines()
        all[index] = line
        return all.joined(separator: "\n") + "\n"
    }

    @Test func acceptsTheReferenceShape() throws {
        #expect(try MinisignSignature(parsing: Self.good).rendered() == Self.good)
    }

    @Test(arguments: [
        ("", nil, "empty"),
        (String(good.dropLast()), 4, "does not end with a newline"),
        (good.replacingOccurrences(of: "\n", with: "\r\n"), 1, "carriage return"),
        (good + "\n", 5, "more than four lines"),
        (good + "extra\n", 5, "more than four lines"),
        (with(0, "Untrusted comment: x"), 1, "must start with 'untrusted comment: '"),
        (with(0, "untrusted comment:x"), 1, "must start with 'untrusted comment: '"),
        (with(0, "untrusted comment: bell\u{7}"), 1, "control character U+0007"),
        (with(1, String(lines()[1].dropLast())), 2, "not canonical base64"),
        (with(1, " " + lines()[1]), 2, "not canonical base64"),
        (with(1, "RURKcVM7DVgJozdzlbFiLxMfvqvdaMsUVvfDJ3tvdwZWLluhA3ivNygoPh2G5lWU/Wp3yyblmtBOsI6mCTd+Dof28PIepmkeNQt="), 2, "not canonical base64"),
        (with(1, "RURKcVM7DVgJozdzlbFiLxMfvqvdaMsUVvfDJ3tvdwZWLluhA3ivNygoPh2G5lWU/Wp3yyblmtBOsI6mCTd+Dof28PIepmke"), 2, "holds 72 bytes, expected 74"),
        (with(1, Base64.encode(Array("XY".utf8) + Base64.decode(lines()[1])!.dropFirst(2))), 2, "not ED (prehashed) or Ed (legacy)"),
        (with(1, Base64.encode(Array("ed".utf8) + Base64.decode(lines()[1])!.dropFirst(2))), 2, "not ED (prehashed) or Ed (legacy)"),
        (with(2, "trusted comment:no space"), 3, "must start with 'trusted comment: '"),
        (with(2, "trusted comment: \u{1B}[2J"), 3, "control character U+001B"),
        (with(2, "trusted comment: " + String(repeating: "z", count: 8001)), 3, "at most 8000"),
        (with(3, "VaohReLMmgUVtDiYuoLSjGF+OitMcbJS7hik7dgmX+NyJUTST07JiT27dyny9h9VQjeeBER4lsfkuKRNiI1WDQ="), 4, "not canonical base64"),
        (with(3, "VaohReLMmgUVtDiYuoLSjGF+OitMcbJS7hik7dgmX+NyJUTST07JiT27dyny9h9VQjeeBER4lsfkuKRNiI1WDR=="), 4, "not canonical base64"),
        (with(3, "VaohReLMmgUVtDiYuoLSjGF+OitMcbJS7hik7dgmX+NyJUTST07JiT27dyny9h9VQjeeBER4lsfkuKRN"), 4, "holds 60 bytes, expected 64"),
        (lines()[0] + "\n" + lines()[1] + "\n", 3, "ends before the trusted comment"),
        (lines()[0] + "\n", 2, "ends before the signature line"),
        (Array(lines()[0...2]).joined(separator: "\n") + "\n", 4, "ends before the global signature"),
    ] as [(String, Int?, String)])
    func rejects(_ text: String, _ line: Int?, _ fragment: String) {
        do {
            _ = try MinisignSignature(parsing: text)
            Issue.record("accepted a malformed signature (\(fragment))")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(fragment), "\(error.message) — expected '\(fragment)'")
        }
    }

    /// Prefixes are matched byte for byte, not by grapheme cluster: a comment may
    /// start with a combining mark, and the file still renders back identically.
    @Test func commentsMayStartWithACombiningMark() throws {
        let text = Self.with(2, "trusted comment: \u{301}accent") .replacingOccurrences(of: "untrusted comment: signature", with: "untrusted comment: \u{308}signature")
        let sig = try MinisignSignature(parsing: text)
        #expect(sig.trustedComment.unicodeScalars.first == "\u{301}")
        #expect(sig.untrustedComment.unicodeScalars.first == "\u{308}")
        #expect(Array(sig.rendered().utf8) == Array(text.utf8))
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array(Self.good.utf8)
        bytes[20] = 0xFF
        let error = #expect(throws: MinisignError.self) { try MinisignSignature(parsing: bytes) }
        #expect(error?.line == 1)
        #expect(error?.message.contains("UTF-8") == true)
    }
}

@Suite struct MinisignPublicKeyFileTests {
    static let good = "untrusted comment: minisign public key A309580D3B53714A\nRWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ\n"

    @Test func roundTripsWithAChosenComment() throws {
        let key = try MinisignPublicKeyFile(parsing: Self.good).key
        let file = try MinisignPublicKeyFile(key: key, untrustedComment: "Dr Amira Example\t(casebook)")
        #expect(try MinisignPublicKeyFile(parsing: file.rendered()) == file)
        #expect(throws: MinisignError.self) { try MinisignPublicKeyFile(key: key, untrustedComment: "two\nlines") }
    }

    @Test(arguments: [
        ("", nil, "empty"),
        (String(good.dropLast()), 2, "does not end with a newline"),
        ("untrusted comment: minisign public key A309580D3B53714A\n", 2, "ends before the key line"),
        (good + "RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ\n", 3, "more than two lines"),
        ("RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ\n", 1, "must start with 'untrusted comment: '"),
        (good.replacingOccurrences(of: "\n", with: "\r\n"), 1, "carriage return"),
        ("untrusted comment: x\nRWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3C\n", 2, "not canonical base64"),
        ("untrusted comment: x\nRWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ \n", 2, "not canonical base64"),
        ("untrusted comment: x\nRURKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ\n", 2, "not an Ed25519 (Ed) key"),
        ("untrusted comment: x\nRWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZAAAA\n", 2, "has 45 bytes"),
    ] as [(String, Int?, String)])
    func rejects(_ text: String, _ line: Int?, _ fragment: String) {
        do {
            _ = try MinisignPublicKeyFile(parsing: text)
            Issue.record("accepted a malformed key file (\(fragment))")
        } catch {
            #expect(error.code == .malformedPublicKey)
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(fragment), "\(error.message) — expected '\(fragment)'")
        }
    }
}
