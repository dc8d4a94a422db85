import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

/// Parses, runs, and turns every failure into one `casebook: error: …` line (plus
/// `hint: …`) and a documented exit status. No stack traces, no secrets.
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
            report(CasebookError(.usage, message.prefix(1).lowercased() + message.dropFirst(), hint: "see 'casebook help' or 'casebook <command> --help'"))
        }
        do {
            try command.run()
            Timing.report()
            exit(0)
        } catch let error as CasebookError {
            report(error)
        } catch let error as WireFormatError {
            report(CasebookError(error))
        } catch let error as RecordInputError {
            report(CasebookError(.invalidInput, error.description, hint: error.hint))
        } catch {
            // `casebook help …` runs ArgumentParser's help command, which throws its output.
            if Casebook.exitCode(for: error) == .success { Casebook.exit(withError: error) }
            report(CasebookError(.internalError, "unexpected failure: \(type(of: error))"))
        }
    }

    static func report(_ error: CasebookError) -> Never {
        var text = "casebook: error: \(error.message)\n"
        if let hint = error.hint { text += "hint: \(hint)\n" }
        FileHandle.standardError.write(Data(text.utf8))
        exit(error.code.rawValue)
    }
}
