import Foundation
import Testing
import CasebookCrypto
import CasebookFormat

/// Handover and export packages opened and verified as a server without a vault would.
@Suite struct PackageWireTests {
    private func handover() throws -> SignedPackage {
        let archive = try Age.decrypt(try WireFixtures.bytes("handover.age"), identities: [WireFixtures.ageIdentity("supervisor")])
        return try SignedPackage.read(archive, layout: .handover, maximumBytes: 1 << 24)
    }

    private func export() throws -> SignedPackage {
        let archive = try Age.decrypt(try WireFixtures.bytes("export.age"), identities: [WireFixtures.probationIdentity()])
        return try SignedPackage.read(archive, layout: .export, maximumBytes: 1 << 24)
    }

    @Test func theHandoverOpensAndItsSignatureAndAuditProofVerify() throws {
        let package = try handover()
        #expect(package.markdown == nil)
        let manifest = try HandoverManifest.decode(package.manifest.contents)
        try manifest.validate()
        let card = try WireFixtures.amira()
        #expect(try IdentityCard.parse(manifest.sender.card).fingerprint == card.fingerprint)
        #expect(manifest.sender.fingerprint == card.fingerprint.description)
        try MinisignSignature(parsing: package.manifest.signature)
            .verify(message: package.manifest.contents, publicKey: card.minisignKey, allowingLegacy: false)
        let proven = try package.verifyAudit(signer: card.minisignKey.key, action: .handoverSealed, packageID: manifest.id)
        #expect(proven.event.handover == manifest.id)
        #expect(AuditOrigin.isVaultOrigin(proven.checkpoint.origin))
        #expect(proven.signedCheckpoint == (try WireFixtures.bytes("amira-handover.checkpoint")))
        // Written back, the package is the same archive.
        let entries = package.entries(modificationTime: 0)
        #expect(entries.map(\.name) == PackageLayout.handover.entryNames(markdown: false))
    }

    @Test func theExportOpensAndItsSignaturesAndAuditProofVerify() throws {
        let package = try export()
        let manifest = try ExportManifest.decode(package.manifest.contents)
        try manifest.validate()
        #expect(manifest.client == "C-0042")
        let card = try WireFixtures.amira()
        let markdown = try #require(package.markdown)
        for document in [package.manifest, markdown] {
            try MinisignSignature(parsing: document.signature).verify(message: document.contents, publicKey: card.minisignKey,
                                                                      allowingLegacy: false)
        }
        let proven = try package.verifyAudit(signer: card.minisignKey.key, action: .exportSealed, packageID: manifest.id)
        #expect(proven.event.export == manifest.id)
        // The wrong action or package id is refused as altered evidence.
        #expect(throws: WireFormatError.self) {
            _ = try package.verifyAudit(signer: card.minisignKey.key, action: .handoverSealed, packageID: manifest.id)
        }
    }

    @Test func archivesWithOtherMembersAreRefused() throws {
        let package = try export()
        let entries = package.entries(modificationTime: 0)
        let variants: [[UstarArchive.Entry]] = [
            Array(entries.dropLast()),
            Array(entries.reversed()),
            entries + [UstarArchive.Entry(name: "extra", contents: [], modificationTime: 0)],
        ]
        for variant in variants {
            let archive = try UstarArchive.write(variant)
            let error = #expect(throws: WireFormatError.self) { _ = try SignedPackage.read(archive, layout: .export, maximumBytes: 1 << 24) }
            #expect(error?.message.hasPrefix("the export's archive") == true)
        }
        let garbage = #expect(throws: WireFormatError.self) {
            _ = try SignedPackage.read(Array("not a tar file".utf8), layout: .handover, maximumBytes: 1 << 24)
        }
        #expect(garbage?.message.hasPrefix("the handover's archive is malformed") == true)
        // An export archive is not a handover.
        let archive = try package.archive(modificationTime: 0)
        #expect(throws: WireFormatError.self) { _ = try SignedPackage.read(archive, layout: .handover, maximumBytes: 1 << 24) }
    }

    @Test func manifestsThatAreNotCanonicalAreRefused() throws {
        let json = try handover().manifest.contents
        let text = String(decoding: json, as: UTF8.self)
        let variants = [" " + text, text + "\n", text.replacingOccurrences(of: "casebook-handover/v2", with: "casebook-handover/v9"),
                        String(text.dropLast()), "{}", "null", ""]
        for variant in variants {
            #expect(throws: WireFormatError.self) { _ = try HandoverManifest.decode(Array(variant.utf8)) }
        }
        let export = String(decoding: try export().manifest.contents, as: UTF8.self)
        for variant in ["\t" + export, export.replacingOccurrences(of: "{\"basis\"", with: "{\"extra\":1,\"basis\""), "[]"] {
            #expect(throws: WireFormatError.self) { _ = try ExportManifest.decode(Array(variant.utf8)) }
        }
    }

    @Test func damagedAuditEvidenceIsAnIntegrityFailure() throws {
        let package = try handover()
        let proof = String(decoding: package.auditProof, as: UTF8.self)
        for bad in [proof + " ", "{}", String(proof.dropFirst())] {
            let error = #expect(throws: WireFormatError.self) { _ = try InclusionProofFile.decode(Array(bad.utf8)) }
            #expect(error?.kind == .integrity)
        }
    }

    @Test func theCardParses() throws {
        let card = try WireFixtures.amira()
        #expect(card.name == "Dr Amira Example")
        #expect(card.fingerprint.description == "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2")
    }
}
