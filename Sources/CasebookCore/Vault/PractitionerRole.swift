import Foundation
import CasebookFormat

/// What the vault's owner does; shown on their identity and in audit reports.
public enum PractitionerRole: String, CaseIterable, Sendable, Codable {
    case psychologist
    case mentor
    case theologicalAdviser = "theological-adviser"
    case supervisor
    case compliance
}

/// The owner's public description, kept encrypted in the vault.
public struct PractitionerProfile: Equatable, Sendable {
    public let name: String
    public let role: PractitionerRole
    public let createdAt: String

    public init(name: String, role: PractitionerRole, createdAt: String) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }

    /// A display name, trimmed of surrounding spaces: the name rule of identity cards
    /// (`TextRule.nameProblem`), since it becomes the card's name and every record's author.
    public static func validatedName(_ raw: String) throws(CasebookError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        if let problem = TextRule.nameProblem(name) {
            throw CasebookError(.invalidInput, "the name \(problem)", hint: "a name follows the rules of identity-card names (docs/formats.md §2.1)")
        }
        return name
    }
}
