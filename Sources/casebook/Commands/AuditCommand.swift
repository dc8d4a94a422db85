import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read this vault's audit log: what was written, sealed, received and exported, and when.",
        discussion: """
            Compliance: 'audit export' seals the whole log to a compliance contact; they check it with
            'audit verify --bundle FILE' and report on it with 'audit report' (docs/guide-compliance.md).
            """,
        subcommands: [AuditLog.self, AuditVerify.self, AuditCheckpoint.self, AuditExport.self, AuditReportCommand.self]
    )
}

struct AuditLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the audit events, oldest first (no note text is ever in them).",
        discussion: """
            Each event is checked as it is read: it must decrypt, match the leaf hash stored beside it, and
            carry its own position in the log. A log that fails any check is an integrity error (exit 6).
            """)

    @OptionGroup var vault: VaultOptions

    @Flag(help: "Print JSON: every field of every event.")
    var json = false

    func run() throws {
        let events = try vault.open(readOnly: true).audit.events()
        if json {
            try JSONOutput.print(events)
            return
        }
        for event in events {
            print(AuditLog.line(event))
        }
    }

    /// One line per event: sequence, time, action, and what it concerned. Events name
    /// contacts, purposes and reasons that came from cards and files, so the line is printed
    /// escaped (`DisplayText.line`).
    static func line(_ event: AuditEvent) -> String {
        var parts = [String(format: "%6d", event.sequence), event.time, event.action.rawValue]
        if let records = event.records {
            parts.append(records.count == 1 ? "record \(records[0])" : "\(records.count) records")
        } else if let count = event.count {
            parts.append(event.action.rawValue.hasPrefix("audit.") ? "\(count) events" : "\(count) records")
        }
        if let revision = event.revision { parts.append("revision \(revision)") }
        if let kinds = event.kinds, !kinds.isEmpty { parts.append(kinds.joined(separator: ",")) }
        if let client = event.client { parts.append("client \(client)") }
        if let contact = event.contact { parts.append("contact \(contact)") }
        if let recipients = event.recipients { parts.append("to \(recipients.joined(separator: ", "))") }
        if let sender = event.sender { parts.append("from \(sender)") }
        if let fields = event.fields { parts.append("fields \(fields.joined(separator: ","))") }
        if let purpose = event.purpose { parts.append("purpose \"\(purpose)\"") }
        if let withheld = event.withheld { parts.append("withheld \(withheld.joined(separator: ","))") }
        if let excluded = event.excluded { parts.append("records withheld \(excluded.joined(separator: ","))") }
        if let handover = event.handover { parts.append("handover \(handover)") }
        if let export = event.export { parts.append("export \(export)") }
        if let override = event.override { parts.append("override \(override)") }
        if let detail = event.shownDetail { parts.append(detail) }
        return DisplayText.line(parts.joined(separator: "  "))
    }
}

struct AuditCheckpoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print a signed checkpoint of the audit log (C2SP tlog-checkpoint as a signed note).",
        discussion: """
            Give checkpoints to your compliance officer from time to time: a later log that is smaller than,
            or inconsistent with, a checkpoint they keep shows that history was rewritten. --verifier-key
            prints the key they need to check the signature (a C2SP note verifier key).
            """)

    @OptionGroup var vault: VaultOptions

    @Flag(help: "Print the note verifier key for this vault's checkpoints instead.")
    var verifierKey = false

    func run() throws {
        let opened = try vault.open(readOnly: true)
        if verifierKey {
            print(opened.audit.verifierKey)
            return
        }
        print(try opened.audit.checkpoint().note.string, terminator: "")
    }
}
