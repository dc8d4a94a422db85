import Foundation

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

    /// A display name: 1–100 characters, no control characters, trimmed.
    public static func validatedName(_ raw: String) throws(CasebookError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw CasebookError(.invalidInput, "the name must be 1 to 100 characters")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CasebookError(.invalidInput, "the name must not contain control characters")
        }
        return name
    }
}
