import Foundation
import Testing
import CasebookCrypto
import CasebookFormat

/// Handovers a hostile sender could make: the committed v1 handover (Dr Amira Example, the
/// psychologist of Keys-example/, to Dr Sam Example, the supervisor) with a manifest the test
/// chooses, signed with Amira's own key and carrying audit evidence that verifies for it (a
/// one-event log of its own `handover.sealed` event, in a checkpoint Amira signed), sealed to
/// Sam. Everything but the manifest's values is as genuine as Casebook makes it, so a refusal
/// can only come from the values.
enum CraftedHandover {
    static let fixture = FormatFixtureTests.file("handover.age")

    private static func identity(_ role: String) throws -> IdentitySecrets {
        var raw = try [UInt8](Data(contentsOf: ExamplePersona.file("\(role).identity")))
        return try IdentityFile.parse(SecureBytes(consuming: &raw))
    }

    /// The fixture's package, decrypted with Sam's identity.
    private static func genuine() throws -> SignedPackage {
        let archive = try Age.decrypt(try [UInt8](Data(contentsOf: fixture)), identities: [try identity("supervisor").ageIdentity()])
        return try SignedPackage.read(archive, layout: .handover, maximumBytes: 1 << 24)
    }

    /// The fixture's manifest, to change.
    static func manifest() throws -> HandoverManifest {
        try HandoverManifest.decode(try genuine().manifest.contents)
    }

    /// `manifest`, signed by Amira with matching audit evidence, sealed to Sam, written to `url`.
    static func write(_ manifest: HandoverManifest, to url: URL) throws {
        let amira = try identity("psychologist")
        let json = manifest.encoded()
        let signature = try MinisignSignature.sign(
            message: json, key: amira.signing, keyID: amira.signingKeyID,
            trustedComment: "casebook handover \(manifest.id) from \(ExamplePersona.fingerprints["psychologist"]!) created \(manifest.created)",
            untrustedComment: "signature from casebook secret key")
        let original = try genuine()
        var event = try JSONDecoder().decode(AuditEvent.self, from: Data(original.auditEvent))
        event.sequence = 0
        event.handover = manifest.id
        event.digest = Hex.encode(SHA256.hash(json))
        let eventBytes = event.canonicalBytes()
        let origin = try Checkpoint(parsing: SignedNote(parsing: original.auditCheckpoint).text).origin
        let checkpoint = try Checkpoint(origin: origin, size: 1, rootHash: MerkleTree.leafHash(eventBytes)).signed(privateKey: amira.signing)
        let package = SignedPackage(layout: .handover, manifest: SignedDocument(contents: json, signature: Array(signature.utf8)),
                                    audit: PackageAuditProof(event: eventBytes, proof: InclusionProofFile(index: 0, size: 1, hashes: []),
                                                             checkpoint: checkpoint.bytes))
        let sam = try IdentityCard.parse(bytes: try [UInt8](Data(contentsOf: ExamplePersona.file("supervisor.card"))))
        let sealed = try Age.encrypt(try package.archive(modificationTime: 0), to: [try AgeX25519Recipient(encoded: sam.ageRecipient)])
        try Data(sealed).write(to: url)
    }
}
