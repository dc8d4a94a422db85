public import CasebookCrypto
import CasebookFormat

/// What a person typed to name a recipient (`export --to`, `override request --to`): an
/// `age1…` recipient as itself, anything else the name of a contact. One rule for both, so
/// an export's recipient compares equal to the override's.
enum TypedRecipient: Equatable {
    case age(String)
    case contactName(String)

    init(_ text: String) {
        self = text.utf8.starts(with: "age1".utf8) ? .age(text) : .contactName(text)
    }
}

extension ExportService {
    /// The recipient of an export named by `text` (a contact's name or an `age1…`
    /// recipient), described to the consent check by `organisation` and `role`. A contact's
    /// role is its card's, so `role` with a contact is a usage error.
    public func recipient(to text: String, organisation: String?, role: String?) throws -> ExportRecipient {
        switch TypedRecipient(text) {
        case .age(let encoded):
            return try .age(encoded, organisation: organisation, role: role)
        case .contactName(let name):
            if role != nil {
                throw CasebookError(.invalidArgument, "is for age1… and passphrase recipients; a contact's role is on its card", argument: .recipientRole)
            }
            return try .contact(contacts.contact(named: name).party, organisation: organisation)
        }
    }
}

extension ExportRecipient {
    /// Sealed to `secret` (age scrypt), which must meet the rules of a new vault passphrase:
    /// whoever is told it can open the export.
    public static func passphrase(_ secret: consuming SecureBytes, organisation: String?, role: String?) throws(CasebookError) -> ExportRecipient {
        try Vault.checkNewPassphrase(secret)
        return try .passphrase(AgeScryptRecipient(passphrase: secret), organisation: organisation, role: role)
    }
}
