public import CasebookFormat
import Foundation

extension ClientReference {
    /// The prompt that asks a person to confirm erasing this client.
    public var erasurePrompt: String { "This destroys every record of \(self) for good. Type \(self) to confirm: " }

    /// Refuses (`.refused`) unless `typed` is this reference (surrounding spaces ignored):
    /// crypto-shredding cannot be undone, so a person must type what they are erasing.
    public func checkErasureConfirmation(_ typed: String?) throws(CasebookError) {
        guard let typed, typed.trimmingCharacters(in: .whitespaces) == rawValue else {
            throw CasebookError(.refused, "the reference was not confirmed; nothing was erased")
        }
    }
}
