import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation
import Testing

/// The streaming reader of a bundle's plaintext: however age cuts the plaintext into pieces,
/// it reads the same bundle; every truncation is refused; it never needs more than one line.
@Suite struct AuditBundleReaderTests {
    static let origin = AuditOrigin.prefix + "00112233445566778899aabbccddeeff"

    /// A bundle plaintext of `count` events written with `AuditBundleSource`, read back in
    /// pieces of `piece` bytes.
    static func plaintext(_ count: Int) throws -> (bytes: [UInt8], lines: [[UInt8]]) {
        let identity = IdentitySecrets.generate()
        let card = try IdentityCard.make(name: "Dr Ada Example", role: "psychologist", created: "2026-11-24T10:00:00Z", identity: identity)
        let lines = (0..<count).map { index -> [UInt8] in
            var event = AuditEvent(sequence: index, time: "2026-11-24T10:00:00Z", actor: "0204CD979A953B64", action: .recordCreated,
                                   records: [String(repeating: "R", count: index % 7 + 1)], detail: String(repeating: "é", count: index % 50))
            event.salt = String(repeating: "ab", count: 16)
            return event.canonicalBytes()
        }
        let root = MerkleTree(leafHashes: lines.map { MerkleTree.leafHash($0) }).rootHash
        let note = try Checkpoint(origin: origin, size: UInt64(count), rootHash: root).signed(privateKey: identity.signing)
        let header = AuditBundleHeader(origin: origin, created: "2026-11-24T10:00:00Z", eventCount: UInt64(count), card: card)
        var source = AuditBundleSource(header: header, checkpoint: note) { lines[Int($0)] }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1000)
        while true {
            let got = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if got == 0 { break }
            bytes += buffer[..<got]
        }
        #expect(bytes.starts(with: header.encoded()) && bytes.suffix(note.bytes.count) == note.bytes[...])
        return (bytes, lines)
    }

    /// Feeds `bytes` in pieces; returns the lines seen, the checkpoint and the failure, if any.
    static func read(_ bytes: [UInt8], pieces: [Int]) -> (lines: [[UInt8]], checkpoint: [UInt8]?, failure: (any Error)?) {
        var seen: [[UInt8]] = []
        let reader = AuditBundleReader(onHeader: { _ in }, onEvent: { _, line, _ in seen.append(Array(line)) })
        var offset = 0
        var sizes = pieces.makeIterator()
        do {
            while offset < bytes.count {
                let size = min(sizes.next() ?? bytes.count, bytes.count - offset)
                try bytes[offset..<(offset + size)].withUnsafeBytes { try reader.write($0) }
                offset += size
            }
            return (seen, try reader.finish(), nil)
        } catch {
            return (seen, nil, error)
        }
    }

    @Test func anyCutIntoPiecesReadsTheSame() throws {
        let (bytes, lines) = try Self.plaintext(8)
        let whole = Self.read(bytes, pieces: [bytes.count])
        #expect(whole.failure == nil && whole.lines == lines)
        let checkpoint = try #require(whole.checkpoint)
        // Two pieces, cut at every byte.
        for cut in 1..<bytes.count {
            let result = Self.read(bytes, pieces: [cut, bytes.count])
            #expect(result.failure == nil && result.lines == lines && result.checkpoint == checkpoint, "cut at \(cut)")
        }
        // Many small pieces of varying size.
        var state: UInt64 = 0xB0B
        let sizes = (0..<bytes.count).map { _ -> Int in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return 1 + Int(state >> 60)
        }
        let small = Self.read(bytes, pieces: sizes)
        #expect(small.failure == nil && small.lines == lines && small.checkpoint == checkpoint)
    }

    @Test func everyTruncationIsRefused() throws {
        let (bytes, _) = try Self.plaintext(12)
        let checkpointStart = bytes.count - (try #require(Self.read(bytes, pieces: [bytes.count]).checkpoint)).count
        for length in 0..<checkpointStart {
            let result = Self.read(Array(bytes[..<length]), pieces: [7])
            #expect(result.failure != nil, "truncated to \(length) bytes was accepted")
        }
        // Inside the checkpoint the reader hands over what it has; the note parser refuses it.
        for length in checkpointStart..<bytes.count {
            let result = Self.read(Array(bytes[..<length]), pieces: [7])
            if let partial = result.checkpoint {
                #expect((try? SignedNote(parsing: partial)) == nil, "a checkpoint cut to \(length) bytes parsed")
            }
        }
    }
}
