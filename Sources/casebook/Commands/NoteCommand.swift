import CasebookFormat
public import ArgumentParser
import CasebookCore
import Foundation

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write, find, read and amend session records.",
        subcommands: [NoteTemplate.self, NoteNew.self, NoteList.self, NoteShow.self, NoteSearch.self,
                      NoteAmend.self, NoteHistory.self, NoteImport.self]
    )
}

extension RecordKind: ExpressibleByArgument {}

/// Filters shared by list and search.
struct RecordFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this client (pseudonymous reference, e.g. C-0042).", valueName: "ref"))
    var client: String?

    @Option(help: ArgumentHelp("Only this kind.", valueName: RecordKind.allCases.map(\.rawValue).joined(separator: "|")))
    var kind: RecordKind?

    @Option(help: ArgumentHelp("Sessions starting on or after this date (YYYY-MM-DD, local time) or time.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Sessions starting on or before this date (YYYY-MM-DD, inclusive) or before this time.", valueName: "date"))
    var until: String?

    func filter() throws -> RecordFilter {
        RecordFilter(client: try client.map { try ClientReference($0) },
                     kind: kind,
                     since: try since.map { try DateBound.parse($0, endOfDay: false, argument: .since) },
                     until: try until.map { try DateBound.parse($0, endOfDay: true, argument: .until) })
    }
}


struct NoteTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Print a blank record document to fill in.")

    @Option(help: ArgumentHelp("The record kind.", valueName: RecordKind.allCases.map(\.rawValue).joined(separator: "|")))
    var kind: RecordKind

    @Option(help: ArgumentHelp("Fill in the client reference.", valueName: "ref"))
    var client: String?

    func run() throws {
        print(RecordDocument.template(for: kind, client: try client.map { try ClientReference($0) }), terminator: "")
    }
}

struct NoteNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Write a new record.",
        discussion: """
            The document comes from --file (or - for standard input), from standard input when
            it is not a terminal, or else from $EDITOR on a private in-memory file. Its kind and
            client must agree with --kind and --client.
            """)

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("The record kind.", valueName: RecordKind.allCases.map(\.rawValue).joined(separator: "|")))
    var kind: RecordKind

    @Option(help: ArgumentHelp("The client's pseudonymous reference, e.g. C-0042.", valueName: "ref"))
    var client: String

    @Option(help: ArgumentHelp("Read the document from this file ('-' for standard input).", valueName: "file"))
    var file: String?

    @Flag(help: "Open $EDITOR even when standard input is not a terminal.")
    var edit = false

    @Flag(help: "Print the stored record as JSON.")
    var json = false

    func run() throws {
        let client = try ClientReference(client)
        let opened = try vault.open(readOnly: false)
        let content = try DocumentInput.read(file: file, edit: edit,
                                             editorInitial: { RecordDocument.template(for: kind, client: client) }) { text in
            let content = try NothingStored.parse(text)
            try content.checkAgrees(kind: kind, client: client)
            return content
        }
        let stored = try opened.records.create(content)
        if json {
            try JSONOutput.print(RecordJSONOutput(stored))
        } else {
            print("Stored \(kind.title) \(stored.recordID) for \(client) (revision 1).")
        }
    }
}

struct NoteList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List records (latest revisions).")

    @OptionGroup var vault: VaultOptions
    @OptionGroup var filters: RecordFilterOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let filter = try filters.filter()
        let opened = try vault.open(readOnly: true)
        if json {
            RecordTable.printJSON(try opened.records.list(filter))
        } else {
            RecordTable.print(try opened.records.listings(filter))
        }
    }
}

struct NoteSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Find records whose latest revision contains TEXT in any of the record's fields (case-insensitive).")

    @OptionGroup var vault: VaultOptions

    @Argument(help: "The text to look for.")
    var text: String

    @OptionGroup var filters: RecordFilterOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let filter = try filters.filter()
        let opened = try vault.open(readOnly: true)
        if json {
            RecordTable.printJSON(try opened.records.search(text, filter: filter))
        } else {
            RecordTable.print(try opened.records.searchListings(text, filter: filter))
        }
    }
}

struct NoteShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a record (latest revision unless --revision).")

    @OptionGroup var vault: VaultOptions

    @Argument(help: "The record id.")
    var id: String

    @Option(help: "Show this revision.")
    var revision: Int?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let opened = try vault.open(readOnly: true)
        let record = try opened.records.revision(id: id, revision: revision)
        if json {
            try JSONOutput.print(RecordJSONOutput(record))
            return
        }
        let meta = record.metadata
        var lines = ["Record \(record.recordID) · \(record.content.header.kind.title) · revision \(record.revision)",
                     "Recorded \(meta.recordedAt) by \(DisplayText.line(meta.author)) (\(meta.origin.rawValue))"]
        if let reason = meta.reason { lines.append("Reason for amendment: \(DisplayText.line(reason))") }
        if let provenance = meta.provenance {
            lines.append("Received from \(DisplayText.line(provenance.sender)) in handover \(provenance.handoverID) (their record \(provenance.source))")
            if !provenance.withheld.isEmpty {
                let titles = provenance.withheld.map { record.content.header.kind.field(forKey: $0)?.title ?? $0 }
                lines.append("Withheld by the sender: \(titles.joined(separator: ", "))")
            }
        }
        print(lines.joined(separator: "\n") + "\n")
        print(RecordDocument.render(record.content, includeEmptySections: false), terminator: "")
    }
}

struct NoteAmend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend", abstract: "Add a revision to a record; earlier revisions stay as they were.",
        discussion: "The new document comes from --file, standard input, or $EDITOR pre-filled with the latest revision.")

    @OptionGroup var vault: VaultOptions

    @Argument(help: "The record id.")
    var id: String

    @Option(help: ArgumentHelp("Read the amended document from this file ('-' for standard input).", valueName: "file"))
    var file: String?

    @Option(help: "Why the record is being amended (kept, encrypted, with the revision).")
    var reason: String

    @Flag(help: "Open $EDITOR (pre-filled with the latest revision) even when standard input is not a terminal.")
    var edit = false

    @Flag(help: "Print the new revision as JSON.")
    var json = false

    func run() throws {
        let opened = try vault.open(readOnly: false)
        let current = try opened.records.revision(id: id, revision: nil)
        let content = try DocumentInput.read(file: file, edit: edit, editorInitial: { RecordDocument.render(current.content) }) { text in
            let content = try NothingStored.parse(text)
            // Checked while the draft still exists, so an amendment the vault would refuse can be corrected.
            try opened.records.checkAmendment(of: current, to: content, reason: reason)
            return content
        }
        let stored = try opened.records.amend(id: current.recordID, content: content, reason: reason)
        if json {
            try JSONOutput.print(RecordJSONOutput(stored))
        } else {
            print("Amended \(stored.recordID): revision \(stored.revision).")
        }
    }
}

struct NoteHistory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List a record's revisions with author, time and reason.")

    @OptionGroup var vault: VaultOptions

    @Argument(help: "The record id.")
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let opened = try vault.open(readOnly: true)
        let revisions = try opened.records.history(id: id)
        if json {
            try JSONOutput.print(revisions.map(RevisionJSONOutput.init))
            return
        }
        print("REV  RECORDED              AUTHOR                ORIGIN    REASON")
        for revision in revisions {
            let meta = revision.metadata
            print(pad(String(revision.revision), 5) + pad(meta.recordedAt, 22) + pad(DisplayText.line(meta.author), 22) + pad(meta.origin.rawValue, 10)
                  + (meta.reason.map { DisplayText.line($0) } ?? "—"))
        }
    }
}

struct NoteImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import records from a JSON Lines file in one transaction.",
        discussion: "One record per line (docs/guide-practitioner.md shows the shape). One bad line rejects the whole file; nothing is stored.")

    @OptionGroup var vault: VaultOptions

    @Argument(help: "The .jsonl file.")
    var file: String

    func run() throws {
        let batch = try ImportBatch(InputFile(path: file))
        let opened = try vault.open(readOnly: false)
        let ids = try opened.records.import(batch, progress: ProgressLine.reporter("importing"))
        ProgressLine.finish()
        print("Imported \(ids.count) records.")
    }
}

func pad(_ text: String, _ width: Int) -> String {
    let count = text.utf8.count == text.unicodeScalars.count ? text.utf8.count : text.count
    return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
}

/// Parsing for commands that write: the error says that nothing was stored.
enum NothingStored {
    static func parse(_ text: String) throws -> RecordContent {
        do {
            return try RecordDocument.parse(text)
        } catch {
            throw CommandError(.invalidInput, "\(error.description); nothing was stored", hint: error.hint)
        }
    }
}
