import Testing
import CasebookCrypto
import CasebookFormat

/// `export.md` with Format only: the v1 export's rendering, made by the old binary, is
/// re-rendered byte for byte from its `export.json`, the kinds' titles given as plain data.
@Suite struct ExportDocumentWireTests {
    /// The titles of the two kinds in the v1 export, with the sections it names, in the kinds' order.
    static let kinds: ExportDocument.KindTitles = [
        "hii-session": .init(title: "HII session note", fields: [
            .init(key: "session-number", title: "Session number"),
            .init(key: "focus", title: "Focus"),
            .init(key: "client-report", title: "What the client reported"),
            .init(key: "interventions", title: "Interventions used"),
            .init(key: "client-response", title: "Client response"),
            .init(key: "risk-immediate-concern", title: "Risk: immediate concern"),
            .init(key: "plan", title: "Plan"),
        ]),
        "ddp-session": .init(title: "DDP session note", fields: [
            .init(key: "provider-organisation", title: "Provider organisation"),
            .init(key: "intervention-type", title: "Intervention type"),
            .init(key: "practical-needs", title: "Practical needs (housing, employment, finance, family…)"),
            .init(key: "offender-manager-information", title: "Information for the offender manager"),
        ]),
    ]

    private func export() throws -> SignedPackage {
        let archive = try Age.decrypt(try WireFixtures.bytes("export.age"), identities: [WireFixtures.probationIdentity()])
        return try SignedPackage.read(archive, layout: .export, maximumBytes: 1 << 24)
    }

    @Test func theV1ExportMarkdownReRendersFromItsManifest() throws {
        let package = try export()
        let manifest = try ExportManifest.decode(package.manifest.contents)
        let markdown = try #require(package.markdown).contents
        #expect(Array(ExportDocument.markdown(manifest, kinds: Self.kinds).utf8) == markdown)
    }

    @Test func unknownKindsAreNamedByTheirWireName() throws {
        let manifest = try ExportManifest.decode(try export().manifest.contents)
        let text = ExportDocument.markdown(manifest, kinds: [:])
        #expect(text.contains("## 1. hii-session, 2026-11-03T10:00:00Z"))
        #expect(!text.contains("### "))
        #expect(text.contains("*Withheld:* session-number; client-report; interventions; client-response"))
    }
}
