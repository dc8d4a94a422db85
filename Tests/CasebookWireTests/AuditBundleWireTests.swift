import Foundation
import Testing
import CasebookCrypto
import CasebookFormat

/// The v1 audit bundle read as compliance tooling without a vault would: decrypted with the
/// compliance officer's example identity, every line through Format's strict reader, the
/// Merkle root recomputed and compared with the exporter's signed checkpoint.
@Suite struct AuditBundleWireTests {
    private func plaintext() throws -> [UInt8] {
        try Age.decrypt(try WireFixtures.bytes("audit.bundle"), identities: [WireFixtures.ageIdentity("compliance")])
    }

    /// Feeds `bytes` to a reader in pieces of `piece` bytes; returns the reader and the checkpoint.
    private func read(_ bytes: [UInt8], piece: Int = 1000) throws -> (AuditBundleReader, [UInt8], Int) {
        var events = 0
        let reader = AuditBundleReader(onHeader: { _ in }, onEvent: { _, _, _ in events += 1 })
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            try bytes[offset..<end].withUnsafeBytes { raw in try reader.write(raw) }
            offset = end
        }
        return (reader, try reader.finish(), events)
    }

    @Test func theBundleReadsAndItsRootMatchesTheSignedCheckpoint() throws {
        let (reader, note, events) = try read(try plaintext())
        let header = try #require(reader.header)
        let card = try WireFixtures.amira()
        #expect(header.card.fingerprint == card.fingerprint)
        #expect(AuditOrigin.isVaultOrigin(header.origin))
        #expect(UInt64(events) == header.eventCount)
        #expect(reader.verifier.count == header.eventCount)
        let verifier = try NoteVerifier(name: header.origin, publicKey: card.minisignKey.key)
        let opened = try Checkpoint.open(note, origin: header.origin, verifiers: [verifier])
        #expect(opened.checkpoint.size == header.eventCount)
        #expect(opened.checkpoint.rootHash == reader.verifier.tree.rootHash)
        let signed = TrustedCheckpoint(name: "the bundle's checkpoint", checkpoint: opened.checkpoint, note: note)
        try reader.verifier.finish(trusted: [], signed: signed)
        // Every event line also decodes as an `AuditEvent` whose canonical bytes are the line.
        let lines = try plaintext().split(separator: 0x0A, omittingEmptySubsequences: false)
        let eventLines = lines[AuditBundleHeader.lineCount..<(AuditBundleHeader.lineCount + events)]
        for line in eventLines {
            let event = try JSONDecoder().decode(AuditEvent.self, from: Data(line))
            #expect(event.canonicalBytes() == Array(line))
        }
        // Written back from its parts, the plaintext is the same bytes.
        var source = AuditBundleSource(header: header, checkpoint: try SignedNote(parsing: note)) { index in
            Array(eventLines[eventLines.startIndex + Int(index)])
        }
        var written: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try buffer.withUnsafeMutableBytes { raw in try source.read(into: raw) }
            if count == 0 { break }
            written += buffer[..<count]
        }
        #expect(written == (try plaintext()))
    }

    @Test func anAlteredEventIsAnIntegrityFailure() throws {
        var bytes = try plaintext()
        // Flip one letter inside the first event's action.
        let text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.range(of: "\"vault.created\""))
        let offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 1
        bytes[offset] = UInt8(ascii: "w")
        let (reader, note, _) = try read(bytes)
        let origin = try #require(reader.header?.origin)
        let verifier = try NoteVerifier(name: origin, publicKey: try WireFixtures.amira().minisignKey.key)
        let opened = try Checkpoint.open(note, origin: origin, verifiers: [verifier])
        let signed = TrustedCheckpoint(name: "the bundle's checkpoint", checkpoint: opened.checkpoint, note: note)
        let failure = #expect(throws: AuditLogFailure.self) { try reader.verifier.finish(trusted: [], signed: signed) }
        #expect(failure?.wireFormatError.kind == .integrity)
        #expect(failure == .checkpointRootMismatch(firstBad: 0..<opened.checkpoint.size))
    }

    @Test func garbageAndTruncatedBundlesAreRefused() throws {
        let bytes = try plaintext()
        let notABundle = #expect(throws: WireFormatError.self) { _ = try read(Array("hello\nworld\n".utf8)) }
        #expect(notABundle == AuditBundleHeader.notABundle)
        let newer = #expect(throws: WireFormatError.self) { _ = try read(Array("casebook-audit-bundle/v2\n".utf8)) }
        #expect(newer?.kind == .unsupportedVersion)
        // Cut anywhere before the checkpoint: refused as damage, never read as a shorter log.
        for length in [1, 30, 200, bytes.count / 2, bytes.count - 300] {
            #expect(throws: (any Error).self) { _ = try read(Array(bytes[..<length])) }
        }
        let truncated = #expect(throws: AuditLogFailure.self) { _ = try read(Array(bytes[..<(bytes.count / 2)])) }
        #expect(truncated?.wireFormatError.kind == .integrity)
        // A header that is not canonical (a space after the count).
        var text = String(decoding: bytes, as: UTF8.self)
        let events = try #require(text.range(of: "\nevents: "))
        let lineEnd = try #require(text[events.upperBound...].firstIndex(of: "\n"))
        text.insert(" ", at: lineEnd)
        let failure = #expect(throws: AuditLogFailure.self) { _ = try read(Array(text.utf8)) }
        #expect(failure?.message.contains("at line 4") == true)
    }

    @Test func eventLinesAreScannedStrictly() throws {
        let line = Array(#"{"action":"vault.created","actor":"ab","salt":"00112233445566778899aabbccddeeff","sequence":0,"time":"2026-11-24T10:00:00Z","version":1}"#.utf8)
        #expect(try AuditEventLine.scan(line).sequence == 0)
        for bad in [" " + String(decoding: line, as: UTF8.self), "{}", "null", "",
                    String(decoding: line, as: UTF8.self).replacingOccurrences(of: "\"sequence\":0", with: "\"sequence\":00")] {
            #expect(throws: AuditEventLine.Problem.self) { _ = try AuditEventLine.scan(Array(bad.utf8)) }
        }
    }
}
