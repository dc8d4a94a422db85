import ArgumentParser

/// `casebook`: encrypted session records for practitioners working with released
/// terrorist and violent-extremist offenders.
struct Casebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casebook",
        abstract: "Encrypted session records: write, find, amend, and share only what consent allows.",
        discussion: """
            The vault folder is --vault DIR, else $CASEBOOK_VAULT, else ~/.casebook.
            The passphrase comes from --passphrase-file FILE, else $CASEBOOK_PASSPHRASE
            (meant for automation), else the terminal without echo.

            Exit statuses: 0 ok, 1 internal error, 2 bad command line, 3 invalid input,
            4 not found, 5 wrong passphrase, 6 integrity failure (altered or damaged data),
            7 already exists, 8 refused by policy, 9 environment (no terminal, no private
            temporary folder, editor failed, vault busy).
            """,
        version: "0.1.0",
        subcommands: [InitCommand.self, WhoamiCommand.self, PasswdCommand.self, NoteCommand.self, ContactsCommand.self, ConsentCommand.self,
                      HandoverCommand.self, ExportCommand.self, OverrideCommand.self, AgeCommand.self, AuditCommand.self, ClientCommand.self]
    )
}
