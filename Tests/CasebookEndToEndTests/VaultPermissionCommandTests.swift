import Foundation
import Testing
import CasebookTestSupport

/// A vault folder or database that other users can write is refused with the fix; one they
/// can only read is used with a warning (docs/vault-format.md §2).
@Suite struct VaultPermissionCommandTests {
    private func setMode(_ mode: Int, _ path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func aFolderOrDatabaseOthersCanWriteIsRefused() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let folder = cli.vault.path, database = cli.vault.appendingPathComponent("vault.db").path
        let cases: [(path: String, mode: Int, what: String, fix: String)] = [
            (folder, 0o777, "the vault folder", "700"), (folder, 0o770, "the vault folder", "700"), (folder, 0o702, "the vault folder", "700"),
            (database, 0o666, "the vault database", "600"), (database, 0o620, "the vault database", "600"),
            (database, 0o602, "the vault database", "600"),
        ]
        for (path, mode, what, fix) in cases {
            try setMode(mode, path)
            let shown = "0" + String(mode, radix: 8)
            let refused = try cli.expectFailure(9, ["note", "new", "--kind", "hii-session", "--client", "C-0042"], input: SampleDocuments.hii(),
                                                message: "\(what) \(path) is writable by other users (mode \(shown)); Casebook will not use it")
            #expect(refused.stderr == """
                casebook: error: \(what) \(path) is writable by other users (mode \(shown)); Casebook will not use it
                hint: if only you could have changed it, run 'chmod \(fix) \(path)'; otherwise restore the vault from a backup

                """)
            // Refused before the passphrase is asked for, and for commands that only read.
            try cli.expectFailure(9, ["note", "list"], environment: ["CASEBOOK_PASSPHRASE": nil], message: "is writable by other users")
            try setMode(fix == "700" ? 0o700 : 0o600, path)
        }
        let stored = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii())
        #expect(stored.status == 0 && stored.stderr.isEmpty, "\(stored.stderr)")
    }

    @Test func aFolderOrDatabaseOthersCanReadIsUsedWithAWarning() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let folder = cli.vault.path, database = cli.vault.appendingPathComponent("vault.db").path
        try setMode(0o755, folder)
        let listed = try cli.run("note", "list")
        #expect(listed.status == 0)
        #expect(listed.stderr == "casebook: warning: the vault folder \(folder) can be read by other users (mode 0755): run 'chmod 700 \(folder)'\nNo records match.\n")
        try setMode(0o711, folder)
        try setMode(0o644, database)
        let stored = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii())
        #expect(stored.status == 0)
        #expect(stored.stderr == """
            casebook: warning: the vault folder \(folder) can be read by other users (mode 0711): run 'chmod 700 \(folder)'
            casebook: warning: the vault database \(database) can be read by other users (mode 0644): run 'chmod 600 \(database)'

            """)
        try setMode(0o700, folder)
        try setMode(0o600, database)
        let quiet = try cli.run("note", "list")
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }
}
