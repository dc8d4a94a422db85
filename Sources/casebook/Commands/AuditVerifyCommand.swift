import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an audit log: this vault's own, or a contact's audit bundle (--bundle).",
        discussion: """
            Without --bundle, this vault's own log: every event must decrypt, match the leaf hash stored
            beside it and carry its own position; positions run 0, 1, 2, … without a gap.

            With --bundle FILE (compliance, in their own vault): the bundle must be sealed to you by one of
            your contacts; every event is checked, in order, and the RFC 6962 tree over them must have
            the root of the checkpoint the contact signed into it.

            --trusted DIR holds checkpoints of the log you already have (from earlier bundles, from
            'casebook audit checkpoint', from packages): the log must extend every one of them — a
            log that is smaller (truncated, rolled back) or differs (rewritten) fails, naming the first
            altered entry or the range it is in; two checkpoints of one size with different roots fail.
            Files in DIR for other people's logs are ignored and listed. --save-checkpoint stores the
            bundle's checkpoint in DIR once it verified, so trust accumulates.

            Tampering of any kind is exit status 6. Verifying a bundle is recorded in your vault
            (audit.verified: origin, size, result).
            """)

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("A contact's audit bundle to verify (instead of this vault's own log).", valueName: "file"))
    var bundle: String?

    @Option(help: ArgumentHelp("A folder of trusted checkpoints of this log.", valueName: "dir"))
    var trusted: String?

    @Flag(help: "With --bundle and --trusted: store the bundle's checkpoint in the trusted folder once it verified.")
    var saveCheckpoint = false

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if saveCheckpoint && (bundle == nil || trusted == nil) {
            throw ValidationError("--save-checkpoint needs --bundle FILE and --trusted DIR")
        }
    }

    func run() throws {
        let directory = trusted.map { URL(fileURLWithPath: $0) }
        let verification: AuditVerification
        if let bundle {
            let input = try AgeInput(path: bundle)
            defer { input.close() }
            let opened = try vault.open(readOnly: false)
            verification = try opened.audit.verifyBundle(from: FileDescriptorSource(fileDescriptor: input.fileDescriptor),
                                                        trustedDirectory: directory, collectingReport: false)
        } else {
            verification = try vault.open(readOnly: true).audit.verify(trustedDirectory: directory, collectingReport: false)
        }
        if let failure = verification.failure { throw failure.casebookError }
        if let disagreement = verification.disagreement {
            throw CasebookError(.integrity, disagreement,
                                hint: "the vault database was altered outside Casebook; restore it from a backup and keep this copy as evidence")
        }
        var saved: (url: URL, created: Bool)?
        if saveCheckpoint, let directory, let checkpoint = verification.checkpoint {
            saved = try TrustedCheckpoints.save(checkpoint, signer: verification.ownerFingerprint, in: directory)
        }
        if json {
            try JSONOutput.print(AuditVerifySummary(verification, saved: saved?.url.path))
            try Self.refuseFlagged(verification, printing: false)
            return
        }
        let root = verification.rootHash.base64
        if bundle == nil {
            print("audit log verified: \(verification.eventCount) events, tree root \(root)")
        } else {
            // The owner's name, origin and export time come from the bundle: printed escaped.
            let owner = DisplayText.line(verification.ownerName)
            print("audit bundle verified: \(owner) (\(verification.ownerFingerprint)), \(verification.eventCount) events, exported \(DisplayText.line(verification.exported ?? ""))")
            print("origin:      \(DisplayText.line(verification.origin))")
            print("tree root:   \(root)")
            print("checkpoint:  signed by \(owner), size \(verification.eventCount)")
        }
        if let trusted {
            let sizes = verification.trusted.map { String($0.checkpoint.size) }.joined(separator: ", ")
            print("trusted:     " + (verification.trusted.isEmpty ? "no checkpoint of this log in \(trusted)"
                                     : "consistent with \(verification.trusted.count) checkpoint(s) in \(trusted) (sizes \(sizes))"))
            if !verification.ignored.isEmpty {
                print("ignored:     \(verification.ignored.count) file(s) of other logs: \(DisplayText.line(verification.ignored.joined(separator: ", ")))")
            }
        }
        if let saved {
            print("saved:       \(saved.url.path)" + (saved.created ? "" : " (already held)"))
        }
        try Self.refuseFlagged(verification)
    }

    /// Prints every flagged disclosure and fails (exit 6): the log verified, but what it
    /// records was decided on consent its own history had withdrawn, denied or let expire.
    static func refuseFlagged(_ verification: AuditVerification, printing: Bool = true) throws {
        guard let first = verification.flags.first else { return }
        if printing {
            for flag in verification.flags { print("flagged:     \(DisplayText.escaped(flag.description, limit: 400))") }
        }
        throw CasebookError(.integrity, "\(verification.flags.count) disclosure(s) in this log went against the consent history recorded before them; the first: \(DisplayText.escaped(first.description, limit: 300))",
                            hint: "the vault's tables were altered before those disclosures; treat them as unauthorised and ask the practitioner")
    }
}

/// `audit verify --json`.
struct AuditVerifySummary: Encodable {
    let result: String
    /// Flagged disclosures (`event N (action) why`).
    let flagged: [String]
    let owner: String
    let fingerprint: String
    let origin: String
    let events: UInt64
    let root: String
    let exported: String?
    let trusted: [UInt64]
    let ignored: [String]
    let saved: String?

    init(_ verification: AuditVerification, saved: String?) {
        result = verification.flags.isEmpty ? "verified" : "flagged"
        flagged = verification.flags.map(\.description)
        owner = verification.ownerName
        fingerprint = verification.ownerFingerprint.description
        origin = verification.origin
        events = verification.eventCount
        root = verification.rootHash.base64
        exported = verification.exported
        trusted = verification.trusted.map(\.checkpoint.size)
        ignored = verification.ignored
        self.saved = saved
    }
}
