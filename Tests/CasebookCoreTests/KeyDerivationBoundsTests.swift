import Testing
import CasebookCore
import CasebookCrypto

/// The Argon2id work a vault may ask for (docs/vault-format.md §7.1): every `--kdf` profile,
/// and no more than ten times the strongest.
@Suite struct KeyDerivationBoundsTests {
    @Test func everyProfileIsAcceptedAndTenTimesTheStrongestIsTheLimit() {
        for profile in [Argon2id.Parameters.interactive, .moderate, .sensitive] {
            #expect(profile.isWithinVaultBounds, "\(profile)")
        }
        let sensitive = Argon2id.Parameters.sensitive
        #expect(sensitive.opsLimit * sensitive.memLimit * 10 == Argon2id.Parameters.maximumWork)
        #expect(Argon2id.Parameters(opsLimit: 40, memLimit: 1 << 30).isWithinVaultBounds)
        #expect(Argon2id.Parameters(opsLimit: 10, memLimit: 4 << 30).isWithinVaultBounds)
        #expect(Argon2id.Parameters(opsLimit: 1, memLimit: 8192).isWithinVaultBounds)
        for outside in [Argon2id.Parameters(opsLimit: 41, memLimit: 8192), .init(opsLimit: 11, memLimit: 4 << 30),
                        .init(opsLimit: 1, memLimit: (4 << 30) + 1), .init(opsLimit: 0, memLimit: 1 << 20),
                        .init(opsLimit: 1, memLimit: 8191), .init(opsLimit: UInt64(UInt32.max), memLimit: 1 << 20)] {
            #expect(!outside.isWithinVaultBounds, "\(outside)")
        }
    }
}
