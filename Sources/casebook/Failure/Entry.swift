import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

/// Parses, runs, and turns every failure into one `casebook: error: …` line (plus
/// `hint: …`) and a documented exit status, through `ErrorClassifier`. No stack traces,
/// no secrets.
enum Entry {
    static func run() -> Never {
        var command: any ParsableCommand
        do {
            command = try Casebook.parseAsRoot()
        } catch {
            let exitCode = Casebook.exitCode(for: error)
            if exitCode == .success { Casebook.exit(withError: error) }  // --help, --version
            let full = Casebook.message(for: error)
            let first = full.split(separator: "\n").first.map(String.init) ?? "invalid command line"
            let message = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
            report(ErrorClassifier.Failure(status: .usage, message: message.prefix(1).lowercased() + message.dropFirst(),
                                           hint: "see 'casebook help' or 'casebook <command> --help'"))
        }
        do {
            try command.run()
            Timing.report()
            exit(0)
        } catch {
            // `casebook help …` runs ArgumentParser's help command, which throws its output.
            if !(error is CasebookError || error is CommandError), Casebook.exitCode(for: error) == .success {
                Casebook.exit(withError: error)
            }
            report(ErrorClassifier.classify(error))
        }
    }

    /// Messages quote names, file contents and paths from outside, so each line is escaped
    /// here, at the edge (`DisplayText.line`): an error cannot print a second line or drive
    /// the terminal, whatever it quotes.
    static func report(_ failure: ErrorClassifier.Failure) -> Never {
        var text = "casebook: error: \(DisplayText.line(failure.message))\n"
        if let hint = failure.hint { text += "hint: \(DisplayText.line(hint))\n" }
        FileHandle.standardError.write(Data(text.utf8))
        Timing.report()
        exit(failure.status.rawValue)
    }
}
