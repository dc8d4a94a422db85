public import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

extension ConsentPurpose: ExpressibleByArgument {}

struct HandoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Seal records to contacts (a supervisor, a colleague), and open what they sealed to you.",
        subcommands: [HandoverSeal.self, HandoverOpen.self]
    )
}

struct HandoverSeal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal the latest revisions of records to one or more contacts, signed by you.",
        discussion: """
            Choose records with --note (repeatable), or with --client and optionally --kind and --since.
            Only what the clients' recorded consent covers for --purpose and every recipient leaves
            ('casebook consent grant'); a handover consent covers only in part needs --accept-partial.
            --fields keeps only those sections (keys as in 'note template'); the others are listed as
            withheld in the handover. The handover is written to -o, and the sealing is audited.
            """)

    @OptionGroup var vault: VaultOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("A contact to seal to (repeatable).", valueName: "name"))
    var recipients: [String] = []

    @Option(name: .customLong("note"), help: ArgumentHelp("A record to include (repeatable).", valueName: "id"))
    var notes: [String] = []

    @Option(help: ArgumentHelp("Every record of this client (pseudonymous reference).", valueName: "ref"))
    var client: String?

    @Option(help: ArgumentHelp("With --client: only this kind.", valueName: RecordKind.allCases.map(\.rawValue).joined(separator: "|")))
    var kind: RecordKind?

    @Option(help: ArgumentHelp("With --client: only sessions on or after this date (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Why, as a consent purpose: the clients' consent must cover it (recorded in the handover and the audit log).",
                               valueName: ConsentPurpose.allCases.map(\.rawValue).joined(separator: "|")))
    var purpose: ConsentPurpose

    @Option(help: ArgumentHelp("Your own words about why, shown to the recipient (one line).", valueName: "text"))
    var reason: String?

    @Flag(help: "Send what the clients' consent covers when it does not cover everything (the rest is listed as withheld).")
    var acceptPartial = false

    @Option(help: ArgumentHelp("Only these sections, comma-separated (default: all).", valueName: "key,key…"))
    var fields: String?

    @Flag(help: "Write ASCII armor instead of a binary age file.")
    var armor = false

    @Option(name: .shortAndLong, help: ArgumentHelp("The handover file to write (never overwritten).", valueName: "file"))
    var output: String

    func validate() throws {
        guard !recipients.isEmpty else { throw ValidationError("name at least one contact with --to") }
        guard notes.isEmpty != (client == nil) else {
            throw ValidationError("choose records with --note ID… or with --client REF (not both)")
        }
        if client == nil && (kind != nil || since != nil) { throw ValidationError("--kind and --since need --client") }
    }

    func run() throws {
        let opened = try vault.open(readOnly: false)
        let parties = try recipients.map { try opened.contacts.contact(named: $0).party }
        var ids = notes
        if let client {
            let filter = RecordFilter(client: try ClientReference(client), kind: kind,
                                      since: try since.map { try DateBound.parse($0, endOfDay: false, argument: .since) })
            ids = try opened.handovers.recordIDs(filter)
        }
        let fieldList = try fields.map { try CommaList.parse($0, flag: "--fields") }
        let manifest = try PendingFile.whileCreating(output) {
            try opened.handovers.seal(recordIDs: ids, to: parties, purpose: purpose, reason: reason, fields: fieldList,
                                    acceptPartial: acceptPartial, armor: armor, writingTo: URL(fileURLWithPath: output))
        }
        let withheld = manifest.records.reduce(0) { $0 + $1.withheld.count }
        print("Sealed \(manifest.records.count) record(s) to \(parties.map { DisplayText.line($0.name) }.joined(separator: ", ")) in \(output).")
        print("handover \(manifest.id); \(withheld) section(s) withheld")
    }
}

struct HandoverOpen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Decrypt and check a handover sealed to you; with --import, store its records.",
        discussion: """
            The sender must be one of your contacts, the handover must name you as a recipient, and it
            must not have been imported before. Nothing is stored without --import.
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The handover file (binary or armored age).", valueName: "file"))
    var file: String

    @Flag(help: "Store the records in your vault, with where they came from.")
    var `import` = false

    @Option(help: ArgumentHelp("Also write the sender's signed audit checkpoint, verified, to this new file (for compliance's trusted checkpoints).",
                               valueName: "file"))
    var saveCheckpoint: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        // Opened and its size checked before the passphrase is asked for; read once, as it is decrypted.
        let input = try InputFile(path: file)
        try HandoverService.checkSize(of: input)
        if let saveCheckpoint { try NewFile.checkAbsent(saveCheckpoint, flag: "--save-checkpoint") }
        let opened = try vault.open(readOnly: !`import`)
        let handover = try opened.handovers.open(input, sender: opened.contacts.party(withFingerprint:))
        var imported: [String]?
        if `import` { imported = try opened.handovers.importRecords(handover) }
        if let saveCheckpoint {
            try PackageFile.create(at: URL(fileURLWithPath: saveCheckpoint), contents: handover.audit.signedCheckpoint)
        }
        if json {
            try JSONOutput.print(HandoverSummary(handover, imported: imported))
        } else {
            print(HandoverSummary(handover, imported: imported).text)
            if let saveCheckpoint {
                print("Saved the sender's signed checkpoint (\(handover.audit.checkpoint.size) entries) to \(saveCheckpoint); give it to compliance.")
            }
        }
    }
}

/// What `handover open` shows: who sent what, why, and what was withheld. Every text that
/// came in the handover is printed through `DisplayText.line`, so even a value that slipped
/// past the manifest's rules stays one inert line; the JSON keeps the values as they are.
struct HandoverSummary: Encodable {
    struct Record: Encodable {
        let id: String
        let kind: String
        let client: String
        let start: String
        let sections: [String]
        let withheld: [String]
        let importedAs: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, client, start, sections, withheld
            case importedAs = "imported-as"
        }
    }

    let handover: String
    let sender: String
    let senderFingerprint: String
    let created: String
    let purpose: String
    let recipients: [String]
    let previouslyImported: String?
    /// The sender's audit event for this handover and the checkpoint proving it.
    let auditEntry: Int
    let auditCheckpointSize: UInt64
    let records: [Record]

    enum CodingKeys: String, CodingKey {
        case handover, sender, created, purpose, recipients, records
        case senderFingerprint = "sender-fingerprint"
        case previouslyImported = "previously-imported"
        case auditEntry = "audit-entry"
        case auditCheckpointSize = "audit-checkpoint-size"
    }

    init(_ opened: OpenedHandover, imported: [String]?) {
        let manifest = opened.manifest
        handover = manifest.id
        sender = opened.sender.name
        senderFingerprint = opened.sender.card.fingerprint.description
        created = manifest.created
        purpose = manifest.reason.map { "\(manifest.purpose) (\($0))" } ?? manifest.purpose
        recipients = manifest.recipients.map(\.name)
        previouslyImported = opened.importedAt
        auditEntry = opened.audit.event.sequence
        auditCheckpointSize = opened.audit.checkpoint.size
        records = manifest.records.enumerated().map { index, record in
            Record(id: record.id, kind: record.kind, client: record.client, start: record.start,
                   sections: RecordKind(rawValue: record.kind)?.fields.map(\.key).filter { record.sections[$0] != nil } ?? [],
                   withheld: record.withheld, importedAs: imported?[index])
        }
    }

    var text: String {
        var lines = [
            "handover:  \(handover)",
            "from:      \(DisplayText.line(sender)) (\(senderFingerprint))  signature verified",
            "to:        \(recipients.map { DisplayText.line($0) }.joined(separator: ", "))",
            "created:   \(DisplayText.line(created))",
            "purpose:   \(DisplayText.line(purpose))",
            "audit:     entry \(auditEntry) of the sender's log, in their signed checkpoint of \(auditCheckpointSize) entries (verified)",
        ]
        if let previouslyImported { lines.append("imported:  already, on \(previouslyImported)") }
        lines.append("")
        for record in records {
            var line = "\(record.id)  \(record.start)  \(record.kind)  \(record.client)"
            if !record.withheld.isEmpty { line += "  withheld: \(record.withheld.joined(separator: ","))" }
            lines.append(DisplayText.line(line) + (record.importedAs.map { "  → \($0)" } ?? ""))
        }
        if records.first?.importedAs != nil {
            lines.append("")
            lines.append("Imported \(records.count) record(s).")
        } else if previouslyImported == nil {
            lines.append("")
            lines.append("Nothing was stored; add --import to store these records.")
        }
        return lines.joined(separator: "\n")
    }
}
