public import CasebookFormat

/// How a session took place.
public enum Modality: String, CaseIterable, Sendable, Codable {
    case inPerson = "in-person"
    case video
    case phone

    /// Parses a modality, ignoring case; the error lists the modalities.
    public static func parse(_ text: String) throws(RecordInputError) -> Modality {
        if let value = Modality(rawValue: text.lowercased()) { return value }
        throw RecordInputError(
            message: "unknown modality '\(text)'",
            hint: "modality is one of: " + allCases.map(\.rawValue).joined(separator: ", ")
        )
    }
}

/// Whether the client came.
public enum Attendance: String, CaseIterable, Sendable, Codable {
    case attended
    case didNotAttend = "did-not-attend"
    case cancelled

    /// Parses an attendance value, ignoring case; the error lists the values.
    public static func parse(_ text: String) throws(RecordInputError) -> Attendance {
        if let value = Attendance(rawValue: text.lowercased()) { return value }
        throw RecordInputError(
            message: "unknown attendance '\(text)'",
            hint: "attendance is one of: " + allCases.map(\.rawValue).joined(separator: ", ")
        )
    }
}

/// The common header of every record.
///
/// ``init(kind:client:start:durationMinutes:modality:attendance:labels:sharingSummary:)`` stores
/// `labels` sorted, de-duplicated and with the kind's ``RecordKind/defaultLabels`` added; the
/// label syntax, the duration range and the summary text are checked by
/// ``RecordContent/validated()``.
public struct RecordHeader: Equatable, Sendable {
    public var kind: RecordKind
    public var client: ClientReference
    public var start: SessionStart
    /// Minutes, 0 to 1440, when known.
    public var durationMinutes: Int?
    public var modality: Modality
    public var attendance: Attendance
    /// Sorted, unique labels matching `[a-z0-9]+(-[a-z0-9]+)*`, each at most 32 characters.
    public var labels: [String]
    /// A short account written for disclosure; may be empty.
    public var sharingSummary: String

    /// Labels that mark special-category data (UK GDPR Article 9): such data leaves the vault
    /// only under a consent provision that names the label.
    public static let specialCategoryLabels: Set<String> = ["religious-belief", "health"]

    /// Longest allowed label.
    public static let maximumLabelLength = 32

    /// Longest allowed duration, in minutes.
    public static let maximumDurationMinutes = 1440

    public init(
        kind: RecordKind,
        client: ClientReference,
        start: SessionStart,
        durationMinutes: Int? = nil,
        modality: Modality,
        attendance: Attendance,
        labels: [String] = [],
        sharingSummary: String = ""
    ) {
        self.kind = kind
        self.client = client
        self.start = start
        self.durationMinutes = durationMinutes
        self.modality = modality
        self.attendance = attendance
        self.labels = Self.normalizedLabels(labels, for: kind)
        self.sharingSummary = sharingSummary
    }

    /// The special-category labels this record carries.
    public var specialCategories: [String] {
        labels.filter { Self.specialCategoryLabels.contains($0) }
    }

    /// `labels` plus the kind's default labels, sorted and de-duplicated.
    public static func normalizedLabels(_ labels: [String], for kind: RecordKind) -> [String] {
        Array(Set(labels + kind.defaultLabels)).sorted()
    }

    /// Checks one label against `[a-z0-9]+(-[a-z0-9]+)*` and the length limit.
    public static func validateLabel(_ label: String) throws(RecordInputError) {
        let bytes = Array(label.utf8)
        var valid = !bytes.isEmpty && bytes.count <= maximumLabelLength
        var previousWasDash = true
        for byte in bytes where valid {
            if byte == UInt8(ascii: "-") {
                valid = !previousWasDash
                previousWasDash = true
            } else {
                valid = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                previousWasDash = false
            }
        }
        if valid && previousWasDash { valid = false }
        guard valid else {
            throw RecordInputError(
                message: "invalid label '\(label)'",
                hint: "labels are lowercase letters and digits, words joined by single '-', "
                    + "at most \(maximumLabelLength) characters (e.g. family, religious-belief)"
            )
        }
    }

    /// Parses a duration in minutes: decimal digits only, 0 to 1440.
    static func parseDuration(_ text: String) throws(RecordInputError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 9,
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let minutes = Int(text)
        else {
            throw RecordInputError(
                message: "duration '\(text)' is not a whole number of minutes",
                hint: "write the duration in minutes, e.g. 50"
            )
        }
        try checkDuration(minutes)
        return minutes
    }

    static func checkDuration(_ minutes: Int) throws(RecordInputError) {
        guard (0...maximumDurationMinutes).contains(minutes) else {
            throw RecordInputError(
                message: "duration \(minutes) is out of range (0 to \(maximumDurationMinutes) minutes)")
        }
    }
}
