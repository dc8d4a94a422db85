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
    } catch {
        return nil
    }
    return nil
}
