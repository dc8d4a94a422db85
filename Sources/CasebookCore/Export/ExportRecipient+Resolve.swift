public import CasebookCrypto
public import CasebookFormat

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

extension ExportService {
    /// An export sealed to `secret` (age scrypt, work factor 2^`logN`): whoever is told it can
    /// open the export. It must meet the rules of a new vault passphrase, and must not be this
    /// vault's own (compared in constant time with the one that unlocked it), which would hand
    /// the key to every record to whoever receives the export, such as a client.
    public func recipient(passphrase secret: consuming SecureBytes, organisation: String?, role: String?,
                          logN: Int = AgeScryptRecipient.defaultLogN) throws(CasebookError) -> ExportRecipient {
        try Vault.checkNewPassphrase(secret)
        guard !context.unlockPassphrase.matches(secret) else {
            throw CasebookError(.invalidInput, "the export passphrase is this vault's passphrase: whoever opens the export would learn it",
                                hint: "choose another passphrase for the export, and give it to the recipient by another channel")
        }
        return try .passphrase(AgeScryptRecipient(passphrase: secret, logN: logN), organisation: organisation, role: role)
    }
}
