import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation

/// `casebook export`: one client's records to someone outside Casebook, only as far as the
/// client's consent (or an approved lawful-basis override) allows.
struct ExportCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, markdown
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Disclose a client's records to someone outside Casebook, sealed, signed and audited.",
        discussion: """
            The disclosure pipeline: the client's recorded consent is evaluated for --purpose, the
            recipient and every section; only what it covers leaves (a partial result needs
            --accept-partial, and the rest is listed as withheld); the package (export.json, and a
            readable export.md with --format markdown, each signed, plus your audit checkpoint and
            the proof that this export is in your audit log) is sealed with age and written to -o.

            --to is a contact's name or any age1… recipient; --passphrase seals to a passphrase
            instead (age scrypt; give it to the recipient by another channel; never the vault's
            own passphrase, which is refused). --recipient-org and
            --recipient-role describe the recipient to the consent check (consent provisions name
            org:NAME and role:ROLE); a contact's role is its card's.

            --override APPROVAL uses a lawful-basis override your supervisor approved ('casebook
            override request', then their 'casebook override approve') instead of consent: it must
            name this client, this recipient (--to), this purpose and every section exported.

            --plaintext prints the document to standard output instead of sealing it. It is
            audited as a plaintext disclosure; use it only where the output cannot be kept.

            Every export, refusal and aborted export is an audit event. Exit status 8 when the
            consent does not cover the request; nothing is written then.
            """)

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("The client (pseudonymous reference) whose records to export.", valueName: "ref"))
    var client: String

    @Option(help: ArgumentHelp("Only this kind (repeatable).", valueName: RecordKind.allCases.map(\.rawValue).joined(separator: "|")))
    var kind: [RecordKind] = []

    @Option(help: ArgumentHelp("Only sessions on or after this date (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("A contact's name, or an age X25519 recipient (age1…).", valueName: "recipient"))
    var to: String?

    @Flag(help: "Seal to a passphrase (age scrypt) instead of --to.")
    var passphrase = false

    @Option(help: ArgumentHelp("With --passphrase: read it from the first line of this file (else $CASEBOOK_EXPORT_PASSPHRASE, else the terminal).",
                               valueName: "file"))
    var exportPassphraseFile: String?

    @Option(help: ArgumentHelp("The recipient's organisation, as consent provisions name it (org:NAME).", valueName: "name"))
    var recipientOrg: String?

    @Option(help: ArgumentHelp("The recipient's role, as consent provisions name it (role:ROLE); not for contacts.", valueName: "role"))
    var recipientRole: String?

    @Option(help: ArgumentHelp("Why, as a consent purpose (recorded in the export and the audit log).",
                               valueName: ConsentPurpose.allCases.map(\.rawValue).joined(separator: "|")))
    var purpose: ConsentPurpose

    @Option(help: ArgumentHelp("Your own words about why (one line).", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("Only these sections, comma-separated (default: all).", valueName: "key,key…"))
    var fields: String?

    @Option(help: ArgumentHelp("json (export.json only) or markdown (also a readable export.md).", valueName: "json|markdown"))
    var format: Format = .json

    @Flag(help: "Send what consent covers when it does not cover everything (the rest is listed as withheld).")
    var acceptPartial = false

    @Option(name: .customLong("override"),
            help: ArgumentHelp("An approved lawful-basis override (from 'casebook override approve'): the basis instead of consent.",
                               valueName: "approval"))
    var overrideApproval: String?

    @Flag(help: "Write ASCII armor instead of a binary age file.")
    var armor = false

    @Option(name: .shortAndLong, help: ArgumentHelp("The export file to write (never overwritten).", valueName: "file"))
    var output: String?

    @Flag(help: "Print the document to standard output instead of sealing it (audited as a plaintext disclosure).")
    var plaintext = false

    func validate() throws {
        guard (to != nil) != passphrase else { throw ValidationError("name the recipient with --to NAME|age1…, or use --passphrase (not both)") }
        guard (output != nil) != plaintext else { throw ValidationError("give -o FILE, or --plaintext to print the document (not both)") }
        if plaintext && passphrase { throw ValidationError("--plaintext is not sealed, so --passphrase has no meaning with it") }
        if armor && plaintext { throw ValidationError("--armor applies to sealed exports only") }
        if exportPassphraseFile != nil && !passphrase { throw ValidationError("--export-passphrase-file needs --passphrase") }
    }

    func run() throws {
        if let output { try NewFile.checkAbsent(output) }
        let clientReference = try ClientReference(client)
        let sinceDate = try since.map { try DateBound.parse($0, endOfDay: false, argument: .since) }
        let fieldList = try fields.map { try CommaList.parse($0, flag: "--fields") }
        let approval = try overrideApproval.map(OverrideFile.read)
        let opened = try vault.open(readOnly: false)
        var recipient: ExportRecipient
        if let to {
            recipient = try opened.exports.recipient(to: to, organisation: recipientOrg, role: recipientRole)
        } else {
            let secret = try PassphraseSource.read(file: exportPassphraseFile, environment: "CASEBOOK_EXPORT_PASSPHRASE",
                                                   prompt: "Passphrase to seal the export with: ", confirm: true)
            recipient = try opened.exports.recipient(passphrase: secret, organisation: recipientOrg, role: recipientRole)
        }
        if plaintext { recipient = recipient.forPlaintext }
        let request = ExportRequest(client: clientReference, kinds: kind, since: sinceDate, recipient: recipient, purpose: purpose,
                                    reason: reason, fields: fieldList, markdown: format == .markdown, acceptPartial: acceptPartial,
                                    overrideApproval: approval)
        if plaintext {
            let (outcome, document) = try opened.exports.exportPlaintext(request)
            FileHandle.standardOutput.write(Data(document))
            report(outcome, to: FileHandle.standardError, where: "standard output (plaintext)")
            return
        }
        let outcome = try PendingFile.whileCreating(output!) {
            try opened.exports.export(request, armor: armor, writingTo: URL(fileURLWithPath: output!))
        }
        report(outcome, to: FileHandle.standardOutput, where: output!)
    }

    private func report(_ outcome: ExportOutcome, to handle: FileHandle, where destination: String) {
        let manifest = outcome.manifest
        var lines = ["Exported \(manifest.records.count) record(s) of \(manifest.client) to \(destination)."]
        let withheld = manifest.records.reduce(0) { $0 + $1.withheld.count }
        lines.append("export \(manifest.id); \(withheld) section(s) withheld; basis: \(DisplayText.line(manifest.basis.joined(separator: ", ")))")
        for reason in outcome.withheldReasons.prefix(10) { lines.append("withheld: \(DisplayText.line(reason))") }
        if outcome.withheldReasons.count > 10 { lines.append("withheld: … and \(outcome.withheldReasons.count - 10) more") }
        if outcome.receivedLeftOut > 0 {
            lines.append("\(outcome.receivedLeftOut) record(s) received from others were left out: only your own records are exported.")
        }
        handle.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
