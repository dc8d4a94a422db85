/// The command's exit statuses. The README's table is tested against `readmeRows`, so the
/// documentation cannot drift from what the classifier returns.
enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    case internalError = 1
    case usage = 2
    case invalidInput = 3
    case notFound = 4
    case wrongPassphrase = 5
    case integrity = 6
    case alreadyExists = 7
    case refused = 8
    case environment = 9

    /// What the status means, as the README's table says it.
    var meaning: String {
        switch self {
        case .success: "success"
        case .internalError: "internal error (a bug: please report it)"
        case .usage: "bad command line (unknown option, bad value, missing argument)"
        case .invalidInput:
            "invalid input (a document, import file, identity file or passphrase that does not meet the rules; the message names the line; "
                + "an age recipient or identity that is malformed or of an unsupported type; a file that is not a well-formed age file "
                + "(its armor or header is malformed or cut short), or is not encrypted to the identity used: \"no identity matches\"; "
                + "an override, card or checkpoint file that is not one; an input larger than its limit, docs/limits.md)"
        case .notFound:
            "not found (no vault, no such record, revision or contact, unreadable input file; a handover from someone who is not a contact)"
        case .wrongPassphrase: "wrong passphrase"
        case .integrity:
            "integrity failure (altered or damaged ciphertext or database; restore from a backup; an age file that was altered or "
                + "truncated after its header: the header MAC or a payload chunk does not authenticate, or its armor ends early; "
                + "a package or override file whose signature or audit proof does not verify; an audit log that was edited, reordered, "
                + "truncated or rolled back, or two checkpoints of one size with different roots — `audit verify` and `audit report` "
                + "name the first bad entry; a vault whose tables disagree with its audit log, such as a deleted withdrawal or a "
                + "removed contact put back; a log whose disclosures went against its own consent history, flagged by `audit verify` "
                + "and `audit report`)"
        case .alreadyExists:
            "already exists (a vault in that folder, a file Casebook will not overwrite, a contact already added, a handover already imported)"
        case .refused:
            "refused by policy (no consent covers the handover or export, or covers it only in part without `--accept-partial`; "
                + "an override that is self-approved, unapproved, expired, or for another client, recipient, purpose or sections; "
                + "withdrawing a consent twice; a contact's fingerprint or an erasure not confirmed at the terminal)"
        case .environment:
            "environment (no terminal for the passphrase or to confirm a contact, no in-memory folder for editing, editor failed, "
                + "vault busy, disk full; reading or writing an age stream failed; a vault folder or database that other users can write)"
        }
    }

    /// The rows of the README's exit-status table.
    static var readmeRows: [String] { allCases.map { "| \($0.rawValue) | \($0.meaning) |" } }
}
