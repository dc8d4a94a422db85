/// Why data is disclosed. A closed list, so that a consent and a request always use the
/// same words; adding a purpose is a code change (old consents keep their meaning). A wire
/// token of consents and override requests, so it lives with their formats.
public enum ConsentPurpose: String, CaseIterable, Sendable, Codable, Comparable {
    case supervision
    case riskManagement = "risk-management"
    case court
    case subjectAccess = "subject-access"
    case research

    public static func < (lhs: ConsentPurpose, rhs: ConsentPurpose) -> Bool { lhs.rawValue < rhs.rawValue }
}
