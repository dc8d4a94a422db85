import Foundation
import CasebookCrypto
import CasebookFormat

/// The committed v1 fixtures (made by the binary before issue 11's reshaping) and the example
/// keys, read with Format and Crypto only.
enum WireFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = root.appendingPathComponent("Tests/CasebookEndToEndTests/Fixtures/v1")
    static let keys = root.appendingPathComponent("Keys-example")

    static func bytes(_ name: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: folder.appendingPathComponent(name))) }
    static func card(_ url: URL) throws -> IdentityCard { try IdentityCard.parse(bytes: try [UInt8](Data(contentsOf: url))) }

    /// The sender of every package: Dr Amira Example.
    static func amira() throws -> IdentityCard { try card(folder.appendingPathComponent("amira.card")) }

    /// An example identity (`supervisor`, `compliance`) as an age identity.
    static func ageIdentity(_ name: String) throws -> AgeX25519Identity {
        var raw = try [UInt8](Data(contentsOf: keys.appendingPathComponent("\(name).identity")))
        return try IdentityFile.parse(SecureBytes(consuming: &raw)).ageIdentity()
    }

    /// The probation officer's `AGE-SECRET-KEY-1…` file, the export's recipient.
    static func probationIdentity() throws -> AgeX25519Identity {
        let text = String(decoding: try bytes("probation.key"), as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("AGE-SECRET-KEY-1") } ?? ""
        var secret = Array(line.utf8)
        return try AgeX25519Identity(encoded: SecureBytes(consuming: &secret))
    }
}
