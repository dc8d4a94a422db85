import CasebookCore
import Foundation

/// A flag's comma-separated list (`--fields focus,plan`): entries trimmed, none empty, so a
/// stray comma is a usage error rather than a silently empty value.
enum CommaList {
    static func parse(_ text: String, flag: String) throws -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.contains(where: \.isEmpty) else {
            throw CommandError(.usage, "\(flag) '\(text.prefix(40))' has an empty entry", hint: "separate values with single commas, e.g. \(flag) a,b")
        }
        return items
    }
}
