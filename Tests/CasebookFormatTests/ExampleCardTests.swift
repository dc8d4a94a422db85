import CasebookCrypto
import Foundation
import Testing
import CasebookFormat

/// The identity cards shipped in Keys-example/ parse strictly, verify, and carry the keys
/// of the persona identity files beside them (scripts/make-example-cards.sh makes them).
@Suite struct ExampleCardTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Keys-example")

    @Test(arguments: [("psychologist", "Dr Amira Example"), ("mentor", "Ben Example"),
                      ("supervisor", "Dr Sam Example"), ("compliance", "Chris Example")])
    func shippedCardsMatchTheirPersonasIdentityFiles(_ persona: String, _ name: String) throws {
        let cardBytes = try Data(contentsOf: Self.folder.appendingPathComponent("\(persona).card"))
        let card = try IdentityCard.parse(bytes: cardBytes)
        #expect(card.name == name)
        #expect(card.role == persona)
        #expect(card.rendered() == String(decoding: cardBytes, as: UTF8.self))

        var raw = Array(try Data(contentsOf: Self.folder.appendingPathComponent("\(persona).identity")))
        let identity = try IdentityFile.parse(SecureBytes(consuming: &raw))
        #expect(card.ageRecipient == identity.ageRecipient)
        #expect(card.minisignKey == identity.minisignPublicKey)
        #expect(card.fingerprint == IdentityFingerprint(ageRecipient: identity.ageRecipient, minisignKey: identity.minisignPublicKey))

        // README.md publishes each persona's fingerprint beside its card.
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        let row = try #require(readme.split(separator: "\n").first { $0.contains("`\(persona).card`") })
        #expect(row.contains("`\(card.fingerprint)`"))
    }
}
