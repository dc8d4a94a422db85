public import Foundation
public import CasebookCrypto
public import CasebookFormat

extension VaultService {
    /// This vault's card fingerprint: what contacts know it by.
    var ownFingerprint: IdentityFingerprint {
        IdentityFingerprint(ageRecipient: identity.ageRecipient, minisignKey: identity.minisignPublicKey)
    }

    /// The vault owner's X25519 key as an age identity, for the services that open what is
    /// sealed to this vault.
    func ageIdentity() -> AgeX25519Identity { identity.ageIdentity() }
}

/// The vault owner's identity as it leaves the vault, reached as `vault.owner`: the card
/// colleagues add, and the secret keys exported for a backup or for the reference `age`
/// (each export audited).
public struct OwnerService: VaultService {
    let context: VaultContext

    /// Writes the identity file (secret keys) to `url`, created `0600`, refusing to
    /// overwrite, and audits that the keys left the vault. For backups and restores.
    public func exportIdentity(to url: URL) throws {
        let ageRecipient = identity.ageRecipient, minisignPublicKey = identity.minisignPublicKey
        let contents = IdentityFile.encode(identity, comments: [
            "name: \(context.profile.name)",
            "role: \(context.profile.role.rawValue)",
            "age recipient: \(ageRecipient)",
            "minisign public key: \(minisignPublicKey.encoded)",
            "SECRET: anyone with this file can read what is sealed to you and sign as you.",
        ])
        var created = false
        do {
            try store.write { writer in
                try append(.identityExported, in: writer)
                // Written inside the transaction: if the file cannot be made, the event is rolled back;
                // if the commit fails, the file is removed below.
                try SecretFile.create(at: url, contents: contents)
                created = true
            }
        } catch {
            if created { unlink(url.path) }
            throw error
        }
    }

    /// This vault's identity card (v1): the owner's name and role from the profile, the
    /// public keys, `created` = now in UTC, signed with the vault's Ed25519 key. Public:
    /// it is what colleagues add as a contact.
    public func identityCard() throws(CasebookError) -> IdentityCard {
        do {
            return try IdentityCard.make(name: context.profile.name, role: context.profile.role.rawValue,
                                         created: Timestamp.string(clock.now()), identity: identity)
        } catch {
            throw CasebookError(.invalidInput, "this vault's profile cannot go on an identity card: \(error.message)",
                                hint: "identity-card names have no bidirectional formatting characters, leading or trailing white space, or more than 1000 bytes")
        }
    }

    /// Writes only the age identity (`# created: …`, `# public key: age1…`,
    /// `AGE-SECRET-KEY-1…`, as `age-keygen` writes it) to `url`, created `0600`,
    /// refusing to overwrite, and audits that the key left the vault. For the
    /// reference `age -d -i FILE`; the signing key stays in the vault.
    public func exportAgeIdentity(to url: URL) throws {
        let contents = AgeIdentityFile.encode(ageIdentity(), created: Timestamp.string(clock.now()))
        var created = false
        do {
            try store.write { writer in
                try append(.ageIdentityExported, in: writer)
                // As in exportIdentity: the event rolls back if the file cannot be made.
                try SecretFile.create(at: url, contents: contents)
                created = true
            }
        } catch {
            if created { unlink(url.path) }
            throw error
        }
    }

    /// The vault owner's X25519 key as an age identity, for decrypting files sent to
    /// `ageRecipient`. The scalar is copied between secure buffers only.
    public func ageIdentity() -> AgeX25519Identity { context.identity.ageIdentity() }
}

/// Creating files that hold secrets: exclusive create, mode 0600, bytes straight
/// from secure memory.
public enum SecretFile {
    public static func create(at url: URL, contents: borrowing SecureBytes) throws {
        try contents.withUnsafeBytes { raw in
            try ExclusiveFile.write(raw, to: url, hint: "choose a new file name; Casebook does not overwrite key files")
        }
    }
}
