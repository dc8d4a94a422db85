import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

let testPassphrase = "correct horse battery staple"

func secret(_ text: String) -> SecureBytes {
    var bytes = Array(text.utf8)
    return SecureBytes(consuming: &bytes)
}

/// A vault in a temporary folder, created with the fast Argon2id profile.
final class VaultFixture {
    let folder: TemporaryDirectory
    var vaultURL: URL { folder.file("vault") }
    var databaseURL: URL { vaultURL.appendingPathComponent(SQLiteVaultStore.databaseFileName) }

    init(name: String = "Dr Ada Example", role: PractitionerRole = .psychologist, identity: consuming IdentitySecrets? = nil) throws {
        folder = try TemporaryDirectory()
        let store = try SQLiteVaultStore.create(in: vaultURL)
        _ = try Vault.create(store: store, name: name, role: role, kdf: .interactive, passphrase: secret(testPassphrase), identity: identity)
    }

    func open(_ passphrase: String = testPassphrase, readOnly: Bool = false) throws -> Vault {
        try Vault.open(store: SQLiteVaultStore.open(in: vaultURL, readOnly: readOnly), passphrase: secret(passphrase))
    }

    func databaseBytes() throws -> Data { try Data(contentsOf: databaseURL) }
}

func parse(_ text: String) throws -> RecordContent {
    try RecordDocument.parse(text, defaultTimeZone: TimeZone(identifier: "UTC")!)
}

func expectCasebookError(_ code: CasebookError.Code, _ body: () throws -> Void) -> CasebookError? {
    do {
        try body()
    } catch let error as CasebookError {
        return error.code == code ? error : nil
    } catch let error as WireFormatError {
        // Moved formats throw their own error; the command line maps it to this code.
        let mapped = CasebookError(error)
        return mapped.code == code ? mapped : nil
    } catch {
        return nil
    }
    return nil
}

/// A practitioner's or supervisor's vault with its identity kept, so tests can sign, forge
/// and decrypt as them. `fixedClock`, when set, is the time every `vault()` opens at.
final class Party {
    let fixture: VaultFixture
    let raw: SecureBytes
    let card: IdentityCard
    let name: String
    let fixedClock: Date?

    init(_ name: String, role: PractitionerRole, clock fixedClock: Date? = nil) throws {
        self.name = name
        self.fixedClock = fixedClock
        let secrets = IdentitySecrets.generate()
        raw = secrets.rawSecret()
        card = try IdentityCard.make(name: name, role: role.rawValue, created: "2026-11-24T09:00:00Z", identity: secrets)
        fixture = try VaultFixture(name: name, role: role, identity: IdentitySecrets(rawSecret: raw))
    }

    var party: HandoverParty { HandoverParty(name: name, card: card) }
    var fingerprint: IdentityFingerprint { card.fingerprint }

    /// The vault, its clock at `time` (else `fixedClock`, else the real time).
    func vault(at time: Date? = nil) throws -> Vault {
        guard let time = time ?? fixedClock else { return try fixture.open() }
        return try Vault.open(store: SQLiteVaultStore.open(in: fixture.vaultURL, readOnly: false), passphrase: secret(testPassphrase),
                              clock: Clock { time })
    }

    func ageIdentity() throws -> AgeX25519Identity {
        AgeX25519Identity(privateKey: try X25519.PrivateKey(rawRepresentation: raw.extracting(0..<32)))
    }

    func signingKey() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(seed: raw.extracting(32..<64))
    }

    func file(_ name: String) -> URL { fixture.folder.file(name) }
}
