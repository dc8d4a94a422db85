public import CasebookFormat

/// The override formats (Format's `OverrideRequest` and `OverrideNote`) checked against the
/// domain — the record kinds' sections and the special-category labels — and refused as
/// `CasebookError`, with the remedies an interface spells out.
extension OverrideRequest {
    /// Every section key of every record kind.
    static let sectionKeys = Set(RecordKind.allCases.flatMap { $0.fields.map(\.key) })

    /// Throws unless every field meets its rule; returns the request unchanged.
    public func validated() throws(CasebookError) -> OverrideRequest {
        do {
            return try validated(sectionKeys: Self.sectionKeys, specialCategoryLabels: RecordHeader.specialCategoryLabels)
        } catch {
            throw CasebookError(override: error)
        }
    }
}

extension OverrideNote {
    /// Reads an override file strictly (see Format's `init(parsing:sectionKeys:specialCategoryLabels:)`).
    public init(parsing bytes: [UInt8]) throws(CasebookError) {
        do {
            self = try OverrideNote(parsing: bytes, sectionKeys: OverrideRequest.sectionKeys,
                                    specialCategoryLabels: RecordHeader.specialCategoryLabels)
        } catch {
            throw CasebookError(override: error)
        }
    }

    /// The note verifier for a card: its fingerprint's key name and its Ed25519 key.
    static func verifier(for card: IdentityCard) throws(CasebookError) -> NoteVerifier {
        do {
            return try NoteVerifier(name: keyName(for: card.fingerprint), publicKey: card.minisignKey.key)
        } catch {
            throw CasebookError(.internalError, "cannot make a note verifier for a card: \(error)")
        }
    }
}

extension OverrideRecipient {
    /// An `age1…` recipient checked as Format's `init(ageRecipient:)` does, refused as `CasebookError`.
    static func age(checking text: String) throws(CasebookError) -> OverrideRecipient {
        do {
            return try OverrideRecipient(ageRecipient: text)
        } catch {
            throw CasebookError(error)
        }
    }
}

extension CasebookError {
    /// An override format's refusal, with the remedy for the two rules whose advice names
    /// something to run (how to name sections, where they are listed).
    init(override wire: WireFormatError) {
        switch wire.subject {
        case .noSections?: self.init(.invalidInput, wire.message, remedy: .nameOverrideFields)
        case .unknownSection?: self.init(.invalidInput, wire.message, remedy: .showTemplate)
        case nil: self.init(wire)
        }
    }
}
