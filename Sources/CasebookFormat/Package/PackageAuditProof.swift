import Foundation
public import CasebookCrypto

/// The audit evidence every handover and export package carries (docs/formats.md §7): the
/// sender's audit event for this very package, a checkpoint of the sender's audit log signed
/// just after that event was appended, and the RFC 6962 inclusion proof of the event in it.
///
/// A recipient who keeps the checkpoint can later show compliance that the sender's log,
/// at that size, had that root: a log rewritten afterwards no longer matches it.
public struct PackageAuditProof: Equatable, Sendable {
    /// Archive member names, in the order they follow the manifest and its signature.
    public static let eventFileName = "audit-event.json"
    public static let proofFileName = "audit-proof.json"
    public static let checkpointFileName = "audit-checkpoint"
    public static let fileNames = [eventFileName, proofFileName, checkpointFileName]

    /// The event's canonical bytes: exactly the leaf the sender's log holds.
    public let event: [UInt8]
    /// `audit-proof.json`.
    public let proof: InclusionProofFile
    /// The signed checkpoint (a C2SP signed note).
    public let checkpoint: [UInt8]

    public init(event: [UInt8], proof: InclusionProofFile, checkpoint: [UInt8]) {
        self.event = event
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// The three archive members.
    public var entries: [(name: String, contents: [UInt8])] {
        [(Self.eventFileName, event), (Self.proofFileName, proof.encoded()), (Self.checkpointFileName, checkpoint)]
    }

    /// What a verified proof establishes.
    public struct Verified: Equatable, Sendable {
        public let event: AuditEvent
        public let checkpoint: Checkpoint
        /// The checkpoint as received, to keep for compliance (`--trusted` directories).
        public let signedCheckpoint: [UInt8]
    }

    /// Checks the evidence against the package it came in: the checkpoint is signed by
    /// `signer` (the sender's Ed25519 key, under the checkpoint's own `casebook.example/vault/…`
    /// origin), the proof places the event at its own sequence number in that tree, and the
    /// event is the sender's record of this package (`action`, package `id`, and `digest` =
    /// SHA-256 of the signed manifest).
    public static func verify(
        event: [UInt8], proof proofBytes: [UInt8], checkpoint: [UInt8], signer: Ed25519.PublicKey,
        action: AuditAction, packageID: String, manifest: [UInt8]
    ) throws(WireFormatError) -> Verified {
        func bad(_ why: String) -> WireFormatError {
            WireFormatError(.integrity, "the package's audit proof does not verify: \(why)",
                          hint: "the package was altered, or the sender's audit log is not what it claims; ask the sender for a new copy")
        }
        let proof = try InclusionProofFile.decode(proofBytes)
        let origin: String
        do {
            origin = try Checkpoint(parsing: SignedNote(parsing: checkpoint).text).origin
        } catch {
            throw bad("the checkpoint is malformed (\(error))")
        }
        guard AuditOrigin.isVaultOrigin(origin) else { throw bad("the checkpoint's origin '\(DisplayText.escaped(String(origin.prefix(80)), limit: 100))' is not a Casebook vault's") }
        let opened: Checkpoint
        do {
            let verifier = try NoteVerifier(name: origin, publicKey: signer)
            opened = try Checkpoint.open(checkpoint, origin: origin, verifiers: [verifier]).checkpoint
        } catch {
            throw bad("the checkpoint is not signed by the sender (\(error))")
        }
        guard opened.size == proof.size else { throw bad("the proof is for a tree of \(proof.size) events, the checkpoint for \(opened.size)") }
        do {
            try MerkleTree.verifyInclusion(index: proof.index, size: proof.size, leafHash: MerkleTree.leafHash(event),
                                           proof: proof.hashes, rootHash: opened.rootHash)
        } catch {
            throw bad("the event is not in the checkpoint's tree (\(error))")
        }
        guard let decoded = try? JSONDecoder().decode(AuditEvent.self, from: Data(event)) else {
            throw bad("the event is not an audit event")
        }
        guard decoded.sequence >= 0, UInt64(decoded.sequence) == proof.index else {
            throw bad("the event says it is entry \(decoded.sequence), the proof places it at \(proof.index)")
        }
        let id = action == .exportSealed ? decoded.export : decoded.handover
        guard decoded.action == action, id == packageID else { throw bad("the event is about another package") }
        guard decoded.digest == Hex.encode(SHA256.hash(manifest)) else { throw bad("the event's digest is not this package's manifest") }
        return Verified(event: decoded, checkpoint: opened, signedCheckpoint: checkpoint)
    }
}

/// `audit-proof.json`: `{"format":"casebook-audit-proof/v1","hashes":[base64…],"index":N,"size":S}`,
/// canonical JSON (keys sorted, no whitespace), parsed strictly.
public struct InclusionProofFile: Codable, Equatable, Sendable {
    public static let formatName = "casebook-audit-proof/v1"

    public var format: String
    public var index: UInt64
    public var size: UInt64
    /// The RFC 6962 audit path, leaf to root, each hash in standard base64.
    public var hashes: [MerkleHash]

    public init(index: UInt64, size: UInt64, hashes: [MerkleHash]) {
        self.format = Self.formatName
        self.index = index
        self.size = size
        self.hashes = hashes
    }

    enum CodingKeys: String, CodingKey { case format, index, size, hashes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        index = try container.decode(UInt64.self, forKey: .index)
        size = try container.decode(UInt64.self, forKey: .size)
        hashes = try container.decode([String].self, forKey: .hashes).map { text in
            guard let hash = MerkleHash(base64: text) else {
                throw DecodingError.dataCorruptedError(forKey: .hashes, in: container, debugDescription: "not a base64 SHA-256 hash")
            }
            return hash
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(index, forKey: .index)
        try container.encode(size, forKey: .size)
        try container.encode(hashes.map(\.base64), forKey: .hashes)
    }

    public func encoded() -> [UInt8] {
        return CanonicalJSON.encode(self)
    }

    /// Parses canonical bytes only: anything that does not re-encode to the same bytes is refused.
    public static func decode(_ bytes: [UInt8]) throws(WireFormatError) -> InclusionProofFile {
        guard bytes.count <= 8192, let file = try? JSONDecoder().decode(Self.self, from: Data(bytes)),
              file.format == formatName, file.encoded() == bytes, file.hashes.count <= 64 else {
            throw WireFormatError(.integrity, "\(proofName) is not a canonical \(formatName) file",
                                  hint: "the package was altered; ask the sender for a new copy")
        }
        return file
    }

    private static let proofName = PackageAuditProof.proofFileName
}
