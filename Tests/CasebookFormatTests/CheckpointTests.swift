import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// The worked example of docs/formats.md §6, regenerated and compared byte for byte.
enum TransparencyWorkedExample {
    static let origin = "casebook.example/vault/00112233445566778899aabbccddeeff"
    static let leafData = (0..<5).map { "casebook example event \($0)" }
    /// The signing key: Ed25519 seed of 32 bytes 0x42.
    static func key() throws -> Ed25519.PrivateKey { try testNoteKey(0x42) }

    static let expectedVkey = "casebook.example/vault/00112233445566778899aabbccddeeff+d56e8e72+ASFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsS"
    static let expectedNote = """
        casebook.example/vault/00112233445566778899aabbccddeeff
        5
        bVan2z0Z2lGNxnju2nx3oKP6yqBa1ozVii2wOusRki0=

        \u{2014} casebook.example/vault/00112233445566778899aabbccddeeff 1W6OctJhSRZQ1k4qZGUnnrdZ1EdJ6KIKQwWqBWvx6fbLN67VblfcZBjKfsL1fwMa/sGz2ELXmCjzuJWFXSKnmKoxJg0=

        """
    static let expectedInclusion = ["7vdxRNFE9iCwRm33H1hQu0qB4NfFjzGfGTKWCSlDpYY=", "TDH3/3AZqcfZyc6T55vNOFEnAW5LqV1HlxwHsX+QugQ=", "gpdQ7potvi2hDN6zJU86YXTapWn5a3NMMkgaRfqqK6Q="]
    static let expectedConsistency = ["8O8wnCB3x3+cEKoSOO9vqEvOpkwwDnD6Hboyhscod1Y=", "7vdxRNFE9iCwRm33H1hQu0qB4NfFjzGfGTKWCSlDpYY=", "TDH3/3AZqcfZyc6T55vNOFEnAW5LqV1HlxwHsX+QugQ=", "gpdQ7potvi2hDN6zJU86YXTapWn5a3NMMkgaRfqqK6Q="]
    static let expectedOldRoot = "OgLnCxqV6vBbgit3DuG8zpC9RJP8FMWuZnqc2v2pwIE="
    static let expectedLeaf2 = "8O8wnCB3x3+cEKoSOO9vqEvOpkwwDnD6Hboyhscod1Y="
}

@Suite struct CheckpointTests {
    @Test func workedExample() throws {
        let key = try TransparencyWorkedExample.key()
        var tree = MerkleTree()
        for data in TransparencyWorkedExample.leafData { tree.append(MerkleTree.leafHash(Array(data.utf8))) }
        let checkpoint = try Checkpoint(origin: TransparencyWorkedExample.origin, size: tree.size, rootHash: tree.rootHash)
        let note = try checkpoint.signed(privateKey: key)
        let verifier = try NoteVerifier(name: TransparencyWorkedExample.origin, publicKey: key.publicKey)
        let inclusion = try tree.inclusionProof(index: 2, size: 5).map(\.base64)
        let consistency = try tree.consistencyProof(oldSize: 3, newSize: 5).map(\.base64)
        let oldRoot = try tree.rootHash(size: 3).base64
        print("worked example vkey: \(verifier.vkey)")
        print("worked example leaf 2: \(try tree.leafHash(at: 2).base64)")
        print("worked example note:\n\(note.string)")
        print("worked example inclusion(2, 5): \(inclusion)")
        print("worked example old root (3): \(oldRoot)")
        print("worked example consistency(3, 5): \(consistency)")
        #expect(verifier.vkey == TransparencyWorkedExample.expectedVkey)
        #expect(note.string == TransparencyWorkedExample.expectedNote)
        #expect(inclusion == TransparencyWorkedExample.expectedInclusion)
        #expect(consistency == TransparencyWorkedExample.expectedConsistency)
        #expect(oldRoot == TransparencyWorkedExample.expectedOldRoot)
        #expect(try tree.leafHash(at: 2).base64 == TransparencyWorkedExample.expectedLeaf2)
        let (opened, verified) = try Checkpoint.open(Array(TransparencyWorkedExample.expectedNote.utf8), origin: TransparencyWorkedExample.origin, verifiers: [verifier])
        #expect(opened == checkpoint)
        #expect(verified.verifiedBy == [verifier])
    }

    /// docs/formats.md §6.4 shows exactly these values.
    @Test func documentationShowsTheWorkedExample() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/formats.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.range(of: "### 6.4 Worked example")).upperBound
        let example = String(text[section...])
        #expect(example.contains("```\n" + TransparencyWorkedExample.expectedNote + "```"))
        #expect(example.contains("    " + TransparencyWorkedExample.expectedVkey + "\n"))
        #expect(example.contains(TransparencyWorkedExample.expectedInclusion.map { "    " + $0 + "\n" }.joined()))
        #expect(example.contains(TransparencyWorkedExample.expectedConsistency.map { "    " + $0 + "\n" }.joined()))
        #expect(example.contains(TransparencyWorkedExample.expectedOldRoot))
        #expect(example.contains(TransparencyWorkedExample.expectedLeaf2))
    }

    @Test func checkpointTextIsStrict() throws {
        let root = "bVan2z0Z2lGNxnju2nx3oKP6yqBa1ozVii2wOusRki0="
        let good = "o.example/x\n5\n\(root)\n"
        #expect(try Checkpoint(parsing: good).text == good)
        #expect(try Checkpoint(parsing: "o\n0\n\(root)\next one\nx\n").extensionLines == ["ext one", "x"])
        #expect(try Checkpoint(parsing: "o\n18446744073709551615\n\(root)\n").size == UInt64.max)
        let cases: [(String, CheckpointError)] = [
            ("o\n5\n\(root)", .missingFinalNewline),
            ("", .missingFinalNewline),
            ("o\n5\n", .tooFewLines),
            ("\n5\n\(root)\n", .emptyLine(line: 1)),
            ("o\n\n\(root)\n", .emptyLine(line: 2)),
            ("o\n5\n\(root)\n\n", .emptyLine(line: 4)),
            ("o\n5\n\(root)\n\next\n", .emptyLine(line: 4)),
            ("o x\n5\n\(root)\n", .invalidOrigin("o x")),
            ("o+x\n5\n\(root)\n", .invalidOrigin("o+x")),
            ("o\r\n5\n\(root)\n", .invalidOrigin("o\r")),
            ("o\n05\n\(root)\n", .invalidTreeSize("05")),
            ("o\n00\n\(root)\n", .invalidTreeSize("00")),
            ("o\n+5\n\(root)\n", .invalidTreeSize("+5")),
            ("o\n-1\n\(root)\n", .invalidTreeSize("-1")),
            ("o\n5 \n\(root)\n", .invalidTreeSize("5 ")),
            ("o\n0x5\n\(root)\n", .invalidTreeSize("0x5")),
            ("o\n18446744073709551616\n\(root)\n", .invalidTreeSize("18446744073709551616")),
            ("o\n١\n\(root)\n", .invalidTreeSize("١")),
            ("o\n5\nbVan2z0Z2lGNxnju2nx3oKP6yqBa1ozVii2wOusRki0\n", .invalidRootHash("bVan2z0Z2lGNxnju2nx3oKP6yqBa1ozVii2wOusRki0")),
            ("o\n5\nbVan2z0Z2lGNxnju2nx3oKP6yqBa1ozVii2wOusRki1=\n", .invalidRootHash("bVan2z0Z2lGNxnju2nx3oKP6yqBa1ozVii2wOusRki1=")),
            ("o\n5\nAAAA\n", .invalidRootHash("AAAA")),
            ("o\n5\n\(root)\ta\n", .invalidRootHash("\(root)\ta")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(String(reflecting: text))") { try Checkpoint(parsing: text) }
        }
        #expect(throws: CheckpointError.invalidOrigin("")) { try Checkpoint(origin: "", size: 1, rootHash: .emptyTreeRoot) }
        #expect(throws: CheckpointError.emptyLine(line: 4)) { try Checkpoint(origin: "o", size: 1, rootHash: .emptyTreeRoot, extensionLines: [""]) }
        #expect(throws: CheckpointError.self) { try Checkpoint(origin: "o", size: 1, rootHash: .emptyTreeRoot, extensionLines: ["a\nb"]) }
        print("checkpoint: \(cases.count) malformed checkpoint texts refused with the expected error")
    }

    @Test func openingChecksSignatureThenOrigin() throws {
        let key = try TransparencyWorkedExample.key()
        let verifier = try NoteVerifier(name: TransparencyWorkedExample.origin, publicKey: key.publicKey)
        let note = Array(TransparencyWorkedExample.expectedNote.utf8)
        #expect(throws: CheckpointError.originMismatch(expected: "casebook.example/vault/other", found: TransparencyWorkedExample.origin)) {
            try Checkpoint.open(note, origin: "casebook.example/vault/other", verifiers: [verifier])
        }
        #expect(throws: CheckpointError.note(.noKnownSignature(unknown: [TransparencyWorkedExample.origin + "+d56e8e72"]))) {
            try Checkpoint.open(note, origin: TransparencyWorkedExample.origin, verifiers: [try NoteVerifier(parsing: GoNoteExample.vkey)])
        }
        // A size changed after signing: the signature no longer verifies.
        let altered = Array(TransparencyWorkedExample.expectedNote.replacingOccurrences(of: "\n5\n", with: "\n6\n").utf8)
        #expect(throws: CheckpointError.note(.badSignature(name: TransparencyWorkedExample.origin, keyID: 0xd56e8e72))) {
            try Checkpoint.open(altered, origin: TransparencyWorkedExample.origin, verifiers: [verifier])
        }
        // A validly signed note whose text is not a checkpoint.
        let notCheckpoint = try SignedNote.sign(text: "hello\n", keyName: TransparencyWorkedExample.origin, privateKey: key)
        #expect(throws: CheckpointError.tooFewLines) {
            try Checkpoint.open(notCheckpoint.bytes, origin: TransparencyWorkedExample.origin, verifiers: [verifier])
        }
    }
}
