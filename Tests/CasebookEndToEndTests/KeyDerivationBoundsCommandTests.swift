import Foundation
import Testing
import CasebookTestSupport

/// An attacker who can write vault.db sets the key record's Argon2id work: out-of-bounds work
/// is refused as an integrity failure before Argon2id runs (and before the passphrase is
/// asked for), so no unlock hangs (docs/vault-format.md §7.1).
@Suite struct KeyDerivationBoundsCommandTests {
    @Test func absurdWorkInTheKeyRecordIsRefusedBeforeArgon2idRuns() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let hint = "hint: the vault database was altered or damaged outside Casebook; restore it from a backup\n"
        let cases: [(ops: UInt64, mem: UInt64)] = [
            (4_294_967_295, 64 << 20),  // libsodium's largest opslimit, with interactive's memory
            (2, 1 << 40),               // a terabyte of memory
            (41, 64 << 20),             // one pass more than ten times sensitive
            (40, 4 << 30),              // each within its own bound, but 40 × 4 GiB is forty times sensitive's work
        ]
        for (ops, mem) in cases {
            try SQLiteShell.run(cli.vault, "UPDATE vault SET kdf_opslimit = \(ops), kdf_memlimit = \(mem)")
            let message = "casebook: error: record integrity check failed: the vault's key record asks for Argon2id work out of bounds (opslimit \(ops), memlimit \(mem) bytes)\n"
            let refused = try cli.expectFailure(6, ["whoami"], message: message)
            #expect(refused.stderr == message + hint)
            // Refused before the passphrase is asked for: no terminal is needed to learn it.
            try cli.expectFailure(6, ["note", "list"], environment: ["CASEBOOK_PASSPHRASE": nil], message: message)
        }
        // Work within the bounds is run, but the parameters are bound into the master key's
        // wrapping: changed, the vault does not open.
        try SQLiteShell.run(cli.vault, "UPDATE vault SET kdf_opslimit = 3, kdf_memlimit = \(64 << 20)")
        try cli.expectFailure(5, ["whoami"], message: "wrong passphrase for this vault")
        try SQLiteShell.run(cli.vault, "UPDATE vault SET kdf_opslimit = 2, kdf_memlimit = \(64 << 20)")
        #expect(try cli.run("whoami").status == 0)
    }
}
