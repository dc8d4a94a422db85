public import CasebookCrypto

/// The Argon2id work a vault's key record may ask for. The record is read before the
/// passphrase can be checked, so whoever can write `vault.db` chooses this work: unbounded,
/// an opslimit of 2³²−1 would hang every unlock. The bounds accept every `--kdf` profile and
/// refuse more than ten times the work of the strongest (`sensitive`: 4 passes over 1 GiB),
/// docs/vault-format.md §7.1.
extension Argon2id.Parameters {
    /// Passes: ten times `sensitive`'s 4.
    public static let maximumOpsLimit: UInt64 = 40
    /// Memory in bytes: 4 GiB (`sensitive` uses 1 GiB).
    public static let maximumMemLimit: UInt64 = 4 << 30
    /// Passes × bytes, the time Argon2id takes: ten times `sensitive`'s 4 × 1 GiB.
    public static let maximumWork: UInt64 = 10 * (4 << 30)

    /// True when a vault may ask for this work: within libsodium's limits and Casebook's.
    public var isWithinVaultBounds: Bool {
        isWithinLibraryBounds && opsLimit <= Self.maximumOpsLimit && memLimit <= Self.maximumMemLimit
            && opsLimit * memLimit <= Self.maximumWork
    }
}
