import Foundation

/// The rules an override request must meet, whether it is being made or was read from a
/// file (docs/formats.md §8.2). Every error is `.invalid` and names the field, never
/// echoing more of the value than a short, escaped excerpt.
extension OverrideRequest {
    /// Throws unless every field meets its rule; returns the request unchanged. The section
    /// keys of every record kind and the special-category labels are the domain's.
    public func validated(sectionKeys: Set<String>, specialCategoryLabels: Set<String>) throws(WireFormatError) -> OverrideRequest {
        func bad(_ message: String, hint: String? = nil, subject: WireFormatError.Subject? = nil) -> WireFormatError {
            WireFormatError(.invalid, "the override request's \(message)", hint: hint, subject: subject)
        }
        guard Hex.isLowercase(id, count: 32) else {
            throw bad("id is not 32 lower-case hex digits")
        }
        for (name, time) in [("created", created), ("expires", expires)] where time.timeIntervalSince1970.rounded(.down) != time.timeIntervalSince1970 {
            throw bad("\(name) time is not a whole second")
        }
        guard expires > created else { throw bad("expiry (\(UTCTimestamp.string(expires))) is not after its creation (\(UTCTimestamp.string(created)))") }
        guard expires.timeIntervalSince(created) <= Self.maximumValidity else {
            throw bad("expiry (\(UTCTimestamp.string(expires))) is more than 30 days after its creation (\(UTCTimestamp.string(created)))",
                      hint: "an override is short-lived: request a new one when it expires")
        }
        if let problem = TextRule.nameProblem(requester.name) { throw bad("requester name \(problem)") }
        guard IdentityCard.roles.contains(where: { $0.utf8.elementsEqual(requester.role.utf8) }) else {
            throw bad("requester role '\(DisplayText.escaped(String(requester.role.prefix(40)), limit: 100))' is not a known role")
        }
        switch recipient.target {
        case .contact:
            if let name = recipient.name, let problem = TextRule.nameProblem(name) { throw bad("recipient name \(problem)") }
        case .age(let text):
            do {
                _ = try OverrideRecipient(ageRecipient: text)
            } catch {
                throw bad("recipient: \(error.message)")
            }
            guard recipient.name == nil else { throw bad("age recipient has a name; only a contact has one") }
        }
        guard !fields.isEmpty else { throw bad("fields name no section", subject: .noSections) }
        guard fields == Array(Set(fields)).sorted() else { throw bad("fields are not sorted and unique") }
        for field in fields where !sectionKeys.contains(field) {
            throw bad("field '\(DisplayText.escaped(String(field.prefix(40)), limit: 100))' is not a section of any record kind",
                      subject: .unknownSection)
        }
        guard specialCategories == Array(Set(specialCategories)).sorted() else { throw bad("special categories are not sorted and unique") }
        for label in specialCategories where !specialCategoryLabels.contains(label) {
            throw bad("special category '\(DisplayText.escaped(String(label.prefix(40)), limit: 100))' is not one",
                      hint: "the special categories are: " + specialCategoryLabels.sorted().joined(separator: ", "))
        }
        for (name, text, limit) in [("citation", citation, Self.maximumCitationLength),
                                    ("justification", justification, Self.maximumJustificationLength),
                                    ("reason", reason, Self.maximumReasonLength)] {
            if let problem = TextRule.lineProblem(text, limit: limit) {
                throw bad("\(name) \(problem)", hint: "one line of 1 to \(limit) characters")
            }
        }
        return self
    }

}
