import Foundation
public import CasebookCrypto
public import CasebookFormat
import Logging

/// An unlocked vault: the only way to read or write records. Opening derives the
/// key-encryption key from the passphrase (Argon2id), unwraps the master key and
/// derives the purpose keys; nothing is decrypted before it is asked for.
public final class Vault {
    public static let formatVersion = 1
    public static let minimumPassphraseLength = 12

    let context: VaultContext
    public var profile: PractitionerProfile { context.profile }

    private init(store: any VaultStore, header: VaultHeaderRow, keys: VaultKeys, identity: consuming IdentitySecrets,
                 passphrase: borrowing SecureBytes, profile: PractitionerProfile, clock: Clock) {
        context = VaultContext(store: store, header: header, keys: keys, identity: identity,
                               unlockPassphrase: SecretWitness(of: passphrase), profile: profile, clock: clock)
    }

    /// The vault over an existing context, so a service can reach what is still a `Vault`
    /// extension (see `VaultService+Bridge.swift`).
    init(context: VaultContext) {
        self.context = context
    }

    /// The colleagues whose cards this vault trusts.
    public var contacts: ContactService { ContactService(context: context) }
    /// Records: creating, amending, importing, reading, listing and searching.
    public var records: RecordService { RecordService(context: context) }
    /// Consents: recording, reading and withdrawing them.
    public var consents: ConsentService { ConsentService(context: context) }
    /// Erasing a client (crypto-shredding).
    public var erasure: ErasureService { ErasureService(context: context) }
    /// The owner's card and key exports.
    public var owner: OwnerService { OwnerService(context: context) }
    /// Sealing, opening and importing handovers.
    public var handovers: HandoverService { HandoverService(context: context) }
    /// Exports to people outside Casebook, sealed or in plaintext.
    public var exports: ExportService { ExportService(context: context) }
    /// Lawful-basis overrides: requesting, approving, checking and showing them.
    public var overrides: OverrideService { OverrideService(context: context) }
    /// The audit log: its events, checks, checkpoints, bundles.
    public var audit: AuditService { AuditService(context: context) }

    public var vaultID: [UInt8] { header.vaultID }
    public var ageRecipient: String { identity.ageRecipient }
    public var minisignPublicKey: MinisignPublicKey { identity.minisignPublicKey }
    /// The actor recorded in audit events.
    public var actorID: String { context.actorID }

    // MARK: Creating and opening

    /// Creates a vault in an empty store: new master key, wrapped under the
    /// passphrase; the identity (given, or generated) wrapped under the master key.
    public static func create(
        store: any VaultStore, name: String, role: PractitionerRole, kdf: Argon2id.Parameters,
        passphrase: borrowing SecureBytes, identity: consuming IdentitySecrets?, clock: Clock = .system
    ) throws -> Vault {
        let name = try PractitionerProfile.validatedName(name)
        try checkNewPassphrase(passphrase)
        try checkWritable(kdf)
        let identity = identity.take() ?? IdentitySecrets.generate()
        let vaultID = SecureRandom.bytes(16)
        let master = SymmetricKey()
        let salt = SecureRandom.bytes(Argon2id.saltByteCount)
        let wrapped = try wrapMaster(master, vaultID: vaultID, passphrase: passphrase, parameters: kdf, salt: salt)
        let keys = VaultKeys(master: master)
        let created = Timestamp.string(clock.now())
        let profile = PractitionerProfile(name: name, role: role, createdAt: created)
        let sealedIdentity = identity.rawSecret().withUnsafeBytes { raw in
            XChaCha20Poly1305.seal(raw, using: keys.identity, authenticating: AssociatedData.make("identity", [vaultID]))
        }
        let sealedProfile = XChaCha20Poly1305.seal(
            try ProfileCoding.encode(profile), using: keys.identity, authenticating: AssociatedData.make("profile", [vaultID]))
        let header = VaultHeaderRow(
            formatVersion: formatVersion, vaultID: vaultID, kdfOpsLimit: kdf.opsLimit, kdfMemLimit: kdf.memLimit,
            kdfSalt: salt, wrappedMasterKey: wrapped, sealedIdentity: sealedIdentity, sealedProfile: sealedProfile)
        let vault = Vault(store: store, header: header, keys: keys, identity: identity, passphrase: passphrase, profile: profile,
                          clock: clock)
        try store.write { writer in
            try writer.insertHeader(header)
            try vault.append(.vaultCreated(role: role), in: writer)
        }
        vault.logger.debug("vault created", metadata: ["actor": "\(vault.actorID)"])
        return vault
    }

    /// Reads and checks the vault's key record (format, KDF bounds, sizes) without the
    /// passphrase, so a vault that cannot be unlocked is refused before anyone is asked for it.
    @discardableResult
    public static func checkedKeyRecord(in store: any VaultStore) throws -> VaultHeaderRow {
        let header = try store.loadHeader()
        guard header.formatVersion == formatVersion else {
            throw CasebookError(.invalidInput, "this vault uses format \(header.formatVersion), which this Casebook does not read",
                                hint: "upgrade Casebook to open it")
        }
        let parameters = Argon2id.Parameters(opsLimit: header.kdfOpsLimit, memLimit: header.kdfMemLimit)
        guard header.kdfSalt.count == Argon2id.saltByteCount, header.vaultID.count == 16 else {
            throw CasebookError.integrity("the vault's key record is malformed")
        }
        guard parameters.isWithinVaultBounds else {
            throw CasebookError.integrity("the vault's key record asks for Argon2id work out of bounds (opslimit \(parameters.opsLimit), memlimit \(parameters.memLimit) bytes)")
        }
        return header
    }

    /// Unlocks an existing vault. A wrong passphrase changes nothing.
    public static func open(store: any VaultStore, passphrase: borrowing SecureBytes, clock: Clock = .system) throws -> Vault {
        let header = try checkedKeyRecord(in: store)
        let parameters = Argon2id.Parameters(opsLimit: header.kdfOpsLimit, memLimit: header.kdfMemLimit)
        let kek = try deriveKEK(passphrase, salt: header.kdfSalt, parameters: parameters)
        let masterAD = masterAssociatedData(vaultID: header.vaultID, parameters: parameters, salt: header.kdfSalt)
        var masterBytes = SecureBytes(count: SymmetricKey.byteCount)
        do {
            let length = try masterBytes.withUnsafeMutableBytes { out throws(CryptoError) in
                try XChaCha20Poly1305.open(header.wrappedMasterKey, using: kek, authenticating: masterAD, into: out)
            }
            guard length == SymmetricKey.byteCount else { throw CryptoError.authenticationFailed }
        } catch {
            throw CasebookError(.wrongPassphrase, "wrong passphrase for this vault",
                                remedy: .checkPassphrase)
        }
        let keys = VaultKeys(master: try SymmetricKey(masterBytes))
        let identity = try unsealIdentity(header, keys: keys)
        guard let profileBytes = try? XChaCha20Poly1305.open(
                  header.sealedProfile, using: keys.identity, authenticating: AssociatedData.make("profile", [header.vaultID])),
              let profile = try? ProfileCoding.decode(profileBytes)
        else {
            throw CasebookError.integrity("the vault's profile could not be decrypted")
        }
        return Vault(store: store, header: header, keys: keys, identity: identity, passphrase: passphrase, profile: profile,
                     clock: clock)
    }

    /// Re-wraps the master key under a new passphrase (and optionally new Argon2id
    /// work). Records, client keys and the identity are untouched.
    public func changePassphrase(to newPassphrase: borrowing SecureBytes, parameters: Argon2id.Parameters? = nil) throws {
        try Self.checkNewPassphrase(newPassphrase)
        let parameters = parameters ?? Argon2id.Parameters(opsLimit: header.kdfOpsLimit, memLimit: header.kdfMemLimit)
        try Self.checkWritable(parameters)
        let salt = SecureRandom.bytes(Argon2id.saltByteCount)
        var updated = header
        updated.kdfOpsLimit = parameters.opsLimit
        updated.kdfMemLimit = parameters.memLimit
        updated.kdfSalt = salt
        updated.wrappedMasterKey = try Self.wrapMaster(keys.master, vaultID: header.vaultID, passphrase: newPassphrase,
                                                      parameters: parameters, salt: salt)
        try store.write { writer in
            try writer.replaceKeyWrapping(updated)
            try append(.passphraseChanged, in: writer)
        }
        context.header = updated
        context.unlockPassphrase = SecretWitness(of: newPassphrase)
    }

    // MARK: Key wrapping

    public static func checkNewPassphrase(_ passphrase: borrowing SecureBytes) throws(CasebookError) {
        // Counts Unicode scalars (UTF-8 lead bytes) without copying the secret into a String.
        let characters = passphrase.withUnsafeBytes { raw in raw.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } }
        guard characters >= minimumPassphraseLength else {
            throw CasebookError(.invalidInput, "the passphrase must be at least \(minimumPassphraseLength) characters",
                                hint: "a few unrelated words make a strong passphrase that is easy to type")
        }
    }

    /// A vault is never written with work its readers refuse.
    static func checkWritable(_ parameters: Argon2id.Parameters) throws(CasebookError) {
        guard parameters.isWithinVaultBounds else {
            throw CasebookError(.invalidArgument, "Argon2id parameters out of bounds (opslimit \(parameters.opsLimit), memlimit \(parameters.memLimit) bytes)")
        }
    }

    static func deriveKEK(
        _ passphrase: borrowing SecureBytes, salt: [UInt8], parameters: Argon2id.Parameters
    ) throws(CasebookError) -> SymmetricKey {
        do {
            return try Argon2id.deriveKey(from: passphrase, salt: salt, parameters: parameters)
        } catch {
            throw CasebookError(.environment, "could not derive the vault key (not enough memory for Argon2id?)")
        }
    }

    static func unsealIdentity(_ header: VaultHeaderRow, keys: VaultKeys) throws(CasebookError) -> IdentitySecrets {
        var identityBytes = SecureBytes(count: 72)
        do {
            let length = try identityBytes.withUnsafeMutableBytes { out throws(CryptoError) in
                try XChaCha20Poly1305.open(header.sealedIdentity, using: keys.identity,
                                           authenticating: AssociatedData.make("identity", [header.vaultID]), into: out)
            }
            guard length == 72 else { throw CryptoError.authenticationFailed }
            return try IdentitySecrets(rawSecret: identityBytes)
        } catch {
            throw CasebookError.integrity("the vault's identity could not be decrypted")
        }
    }

    static func masterAssociatedData(vaultID: [UInt8], parameters: Argon2id.Parameters, salt: [UInt8]) -> [UInt8] {
        AssociatedData.make("master-key", [vaultID, Array("argon2id13".utf8), parameters.opsLimit.bigEndianBytes,
                                           parameters.memLimit.bigEndianBytes, salt])
    }

    static func wrapMaster(
        _ master: borrowing SymmetricKey, vaultID: [UInt8], passphrase: borrowing SecureBytes,
        parameters: Argon2id.Parameters, salt: [UInt8]
    ) throws -> [UInt8] {
        let kek = try deriveKEK(passphrase, salt: salt, parameters: parameters)
        return master.withUnsafeBytes { raw in
            XChaCha20Poly1305.seal(raw, using: kek, authenticating: masterAssociatedData(vaultID: vaultID, parameters: parameters, salt: salt))
        }
    }
}

/// The encrypted profile's plaintext: compact JSON `{"created":…,"name":…,"role":…}`.
enum ProfileCoding {
    private struct Stored: Codable {
        var name: String
        var role: PractitionerRole
        var created: String
    }

    static func encode(_ profile: PractitionerProfile) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(Stored(name: profile.name, role: profile.role, created: profile.createdAt)))
    }

    static func decode(_ bytes: [UInt8]) throws -> PractitionerProfile {
        let stored = try JSONDecoder().decode(Stored.self, from: Data(bytes))
        return PractitionerProfile(name: stored.name, role: stored.role, createdAt: stored.created)
    }
}
extension Vault: VaultService {
    /// A name someone typed, safe to show in one error line (`DisplayText.escaped`, the one
    /// sanitiser; this short name is kept for the many error messages in Core).
    static func displayed(_ text: String) -> String {
        DisplayText.escaped(text, limit: 100)
    }
}
