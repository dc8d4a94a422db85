import CasebookCore

/// The command-line option for each library argument a message can be about.
enum OptionName {
    static func of(_ argument: CallArgument) -> String {
        switch argument {
        case .fields: "--fields"
        case .fingerprint: "--fingerprint"
        case .kind: "--kind"
        case .client: "--client"
        case .expires: "--expires"
        case .from: "--from"
        case .until: "--until"
        case .since: "--since"
        case .dataFrom: "--data-from"
        case .dataUntil: "--data-until"
        case .validFrom: "--valid-from"
        case .validUntil: "--valid-until"
        case .recipientOrganisation: "--recipient-org"
        case .recipientRole: "--recipient-role"
        }
    }
}
