import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation

/// The report formats.
enum AuditReportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json, html
}

struct AuditReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report of every disclosure and refusal in an audit log, with its verification result.",
        discussion: """
            One row per handover or export sealed, refused, or written in plaintext: time, actor,
            recipients, client references, kinds and sections (withheld ones too), purpose, basis,
            outcome and package hash. The log is verified first, as 'audit verify' does (--bundle,
            --trusted); the result heads the report. If verification fails the report is still
            written, marked FAILED, and the command exits with status 6.

            --from and --until choose UTC days (inclusive). csv is RFC 4180 (formula-like cells
            defused), json is stable with sorted keys, html is one self-contained file with a chart
            (no scripts, nothing fetched). The file is created 0600 and never overwritten: it names
            client pseudonyms.
            """)

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("A contact's audit bundle (instead of this vault's own log).", valueName: "file"))
    var bundle: String?

    @Option(help: ArgumentHelp("A folder of trusted checkpoints of this log.", valueName: "dir"))
    var trusted: String?

    @Option(help: ArgumentHelp("Only events on or after this UTC day.", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Only events on or before this UTC day.", valueName: "YYYY-MM-DD"))
    var until: String?

    @Option(help: ArgumentHelp("The report's format.", valueName: AuditReportFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var format: AuditReportFormat

    @Option(name: .shortAndLong, help: ArgumentHelp("The report file to write (never overwritten).", valueName: "file"))
    var output: String

    func run() throws {
        try NewFile.checkAbsent(output)
        try AuditReport.checkPeriod(from: from, until: until)
        let directory = trusted.map { URL(fileURLWithPath: $0) }
        let verification: AuditVerification
        let opened: Vault
        if let bundle {
            let input = try AgeInput(path: bundle)
            defer { input.close() }
            opened = try vault.open(readOnly: false)
            verification = try opened.audit.verifyBundle(from: FileDescriptorSource(fileDescriptor: input.fileDescriptor),
                                                        trustedDirectory: directory, collectingReport: true, purpose: "report")
        } else {
            opened = try vault.open(readOnly: true)
            verification = try opened.audit.verify(trustedDirectory: directory, collectingReport: true)
        }
        let report = try AuditReport(verification, from: from, until: until)
        let bytes: [UInt8]
        switch format {
        case .csv: bytes = Array(report.csv().utf8)
        case .json: bytes = report.json()
        case .html:
            let names = Dictionary(try opened.contacts.list().map { ($0.fingerprint.description, $0.name) }) { first, _ in first }
            bytes = Array(report.html(names: names).utf8)
        }
        try bytes.withUnsafeBytes { try ExclusiveFile.write($0, to: URL(fileURLWithPath: output)) }  // 0600: it names clients
        if let failure = verification.failure {
            throw CommandError(.integrity, failure.message,
                                hint: "the \(format.rawValue) report in \(output) is marked FAILED; \(failure.casebookError.hint ?? "")")
        }
        if let disagreement = verification.disagreement {
            throw CommandError(.integrity, disagreement, hint: "the \(format.rawValue) report in \(output) is marked FAILED; the vault database was altered outside Casebook")
        }
        if let first = verification.flags.first {
            throw CommandError(.integrity, "\(verification.flags.count) disclosure(s) in this log went against the consent history recorded before them; the first: \(DisplayText.escaped(first.description, limit: 300))",
                               hint: "the \(format.rawValue) report in \(output) is marked FLAGGED and names them in its 'flagged' column")
        }
        print("Wrote the \(format.rawValue) report of \(DisplayText.line(verification.ownerName))'s audit log to \(output): \(report.rows.count) row(s); log verified (\(verification.eventCount) events).")
    }
}
