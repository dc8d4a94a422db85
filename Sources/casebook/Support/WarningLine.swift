import CasebookFormat
import Foundation

/// One `casebook: warning: …` line on standard error: something the person should know,
/// after which the command goes on. Escaped like an error line (`DisplayText.line`).
enum WarningLine {
    static func print(_ message: String) {
        FileHandle.standardError.write(Data("casebook: warning: \(DisplayText.line(message))\n".utf8))
    }
}
