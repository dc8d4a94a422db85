import CasebookCore
import CasebookFormat
import Foundation
import Testing

/// The pure verifier: events in order, then the end checks against signed checkpoints
/// (signatures are not its concern: checkpoints reach it already verified).
@Suite struct AuditLogVerifierTests {
    static let origin = "casebook.example/vault/00112233445566778899aabbccddeeff"

    /// Event `i` of a log, as canonical bytes; `marker` changes its content (an edit).
    static func line(_ sequence: Int, marker: String = "") -> [UInt8] {
        var event = AuditEvent(sequence: sequence, time: "2026-11-24T10:00:00Z", actor: "0204CD979A953B64", action: .recordCreated,
                               records: ["R\(sequence)"], detail: marker.isEmpty ? nil : marker)
        event.salt = String(repeating: "0", count: 31) + String(sequence % 10)
        return event.canonicalBytes()
    }

    static func log(_ count: Int, editing edited: Int? = nil) -> [[UInt8]] {
        (0..<count).map { line($0, marker: $0 == edited ? "edited" : "") }
    }

    static func verifier(_ lines: [[UInt8]]) throws -> AuditLogVerifier {
        var verifier = AuditLogVerifier()
        for line in lines { try verifier.append(line) }
        return verifier
    }

    /// A checkpoint of the first `size` lines of `lines`.
    static func checkpoint(_ name: String, _ lines: [[UInt8]], size: Int) throws -> TrustedCheckpoint {
        let tree = MerkleTree(leafHashes: lines.prefix(size).map { MerkleTree.leafHash($0) })
        return TrustedCheckpoint(name: name, checkpoint: try Checkpoint(origin: origin, size: UInt64(size), rootHash: tree.rootHash), note: [])
    }

    static func failure(_ body: () throws -> Void) -> AuditLogFailure? {
        do { try body() } catch let failure as AuditLogFailure { return failure } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func aLogThatExtendsEveryCheckpointVerifies() throws {
        let lines = Self.log(10)
        let verifier = try Self.verifier(lines)
        #expect(verifier.count == 10)
        let trusted = try [7, 1, 4, 10].map { try Self.checkpoint("t\($0)", lines, size: $0) }
        let signed = try Self.checkpoint("bundle", lines, size: 10)
        #expect(try verifier.finish(trusted: trusted, signed: signed).map(\.checkpoint.size) == [1, 4, 7, 10])
        let empty = TrustedCheckpoint(name: "empty", checkpoint: try Checkpoint(origin: Self.origin, size: 0, rootHash: .emptyTreeRoot), note: [])
        #expect(try verifier.finish(trusted: [empty], signed: nil).count == 1)
    }

    @Test func eventsOutOfPlaceAreFoundAtTheirIndex() throws {
        let lines = Self.log(6)
        #expect(Self.failure { _ = try Self.verifier(Array(lines[0..<3]) + [lines[4], lines[5]]) } == .outOfSequence(index: 3, found: 4))  // removed
        #expect(Self.failure { _ = try Self.verifier(Array(lines[0..<3]) + [lines[2]] + Array(lines[3...])) } == .outOfSequence(index: 3, found: 2))  // inserted
        #expect(Self.failure { _ = try Self.verifier([lines[0], lines[2], lines[1]]) } == .outOfSequence(index: 1, found: 2))  // reordered
        var bad = lines
        bad[2] = Array(String(decoding: lines[2], as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        guard case .malformedEvent(let index, _)? = Self.failure({ _ = try Self.verifier(bad) }) else {
            Issue.record("a non-canonical event was accepted"); return
        }
        #expect(index == 2)
    }

    @Test func aRewrittenLogIsPlacedBetweenTheCheckpointsThatStillMatch() throws {
        let original = Self.log(12)
        let rewritten = try Self.verifier(Self.log(12, editing: 5))  // re-signed: its own checkpoint matches
        let signed = try Self.checkpoint("bundle", Self.log(12, editing: 5), size: 12)
        let trusted = try [3, 5, 8, 10].map { try Self.checkpoint("t\($0)", original, size: $0) }
        #expect(Self.failure { try rewritten.finish(trusted: trusted, signed: signed) }
                == .inconsistent(trusted: "t8", trustedSize: 8, firstBad: 5..<8))
        // With a checkpoint one past the last that matches, the entry is exact.
        let tight = try [5, 6].map { try Self.checkpoint("t\($0)", original, size: $0) }
        let exact = Self.failure { try rewritten.finish(trusted: tight, signed: signed) }
        #expect(exact == .inconsistent(trusted: "t6", trustedSize: 6, firstBad: 5..<6))
        #expect(exact?.firstBadIndex == 5)
        #expect(exact?.message.contains("the first altered entry is 5") == true)
        // No trusted checkpoint before the edit: from 0.
        #expect(Self.failure { try rewritten.finish(trusted: [try Self.checkpoint("t9", original, size: 9)], signed: signed) }
                == .inconsistent(trusted: "t9", trustedSize: 9, firstBad: 0..<9))
    }

    @Test func anEditThatWasNotReSignedFailsTheBundleCheckpoint() throws {
        let original = Self.log(12)
        let edited = try Self.verifier(Self.log(12, editing: 9))
        let signed = try Self.checkpoint("bundle", original, size: 12)
        #expect(Self.failure { try edited.finish(trusted: [], signed: signed) } == .checkpointRootMismatch(firstBad: 0..<12))
        let trusted = try [4, 8].map { try Self.checkpoint("t\($0)", original, size: $0) }
        #expect(Self.failure { try edited.finish(trusted: trusted, signed: signed) } == .checkpointRootMismatch(firstBad: 8..<12))
    }

    @Test func truncationRollbackAndSwappedCheckpoints() throws {
        let lines = Self.log(10)
        let short = try Self.verifier(Array(lines.prefix(7)))
        // The bundle's own checkpoint is for 10 events: events were cut from the end.
        #expect(Self.failure { try short.finish(trusted: [], signed: try Self.checkpoint("bundle", lines, size: 10)) }
                == .checkpointSizeMismatch(checkpointSize: 10, eventCount: 7))
        // Re-signed at 7, but compliance holds 8 and 9: rollback, against the largest.
        let trusted = try [8, 9, 3].map { try Self.checkpoint("t\($0)", lines, size: $0) }
        let rolledBack = Self.failure { try short.finish(trusted: trusted, signed: try Self.checkpoint("bundle", lines, size: 7)) }
        #expect(rolledBack == .rollback(trusted: "t9", trustedSize: 9, eventCount: 7))
        #expect(rolledBack?.firstBadIndex == 7)
        // An older checkpoint put into a complete bundle.
        let full = try Self.verifier(lines)
        #expect(Self.failure { try full.finish(trusted: [], signed: try Self.checkpoint("bundle", lines, size: 6)) }
                == .checkpointSizeMismatch(checkpointSize: 6, eventCount: 10))
    }

    @Test func twoRootsForOneSizeIsEquivocation() throws {
        let lines = Self.log(10)
        let other = Self.log(10, editing: 2)
        let verifier = try Self.verifier(lines)
        let pair = [try Self.checkpoint("b", lines, size: 6), try Self.checkpoint("a", other, size: 6)]
        #expect(Self.failure { try verifier.finish(trusted: pair, signed: nil) } == .equivocation(size: 6, first: "a", second: "b"))
        let trusted = [try Self.checkpoint("kept", other, size: 10)]
        #expect(Self.failure { try verifier.finish(trusted: trusted, signed: try Self.checkpoint("the bundle's checkpoint", lines, size: 10)) }
                == .equivocation(size: 10, first: "kept", second: "the bundle's checkpoint"))
    }
}
