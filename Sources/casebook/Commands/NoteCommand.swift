import ArgumentParser

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write, find, read and amend session records.",
        subcommands: []
    )
}
