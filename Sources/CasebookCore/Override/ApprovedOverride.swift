public import CasebookFormat

/// An override whose request this vault signed and a supervisor among its contacts
/// countersigned, unexpired when it was checked (`OverrideService.verified`). Export checks
/// every disclosure it would release under it with `check`.
public struct ApprovedOverride: Sendable {
    public let request: OverrideRequest
    /// The supervisor who countersigned, as a contact of this vault.
    public let approver: HandoverParty
    /// SHA-256 (hex) of the approval file: what the audit event records.
    public let digest: String
    /// For the audit event: `override <id> "<citation>" approved by <approver fingerprint>`.
    public let basis: String

    init(request: OverrideRequest, approver: HandoverParty, digest: String) {
        self.request = request
        self.approver = approver
        self.digest = digest
        self.basis = "override \(request.id) \"\(request.citation)\" approved by \(approver.card.fingerprint)"
    }

    public var id: String { request.id }

    /// Refuses (`.refused`) a disclosure the override does not cover: another client,
    /// recipient or purpose, a section it does not name, or a special category
    /// (`health`, `religious-belief`) of a released record that it does not name.
    /// `fields` are the sections to be released under it; `specialCategories` the labels of
    /// the records they belong to (labels that are not special categories are ignored).
    public func check(client: ClientReference, recipient: OverrideRecipient, purpose: ConsentPurpose,
                      fields: Set<String> = [], specialCategories: Set<String> = []) throws(CasebookError) {
        let label = "override \(request.id)"
        guard client == request.client else {
            throw CasebookError(.refused, "\(label) is for client \(request.client), not \(client)", remedy: .requestNewOverride)
        }
        guard recipient == request.recipient.target else {
            throw CasebookError(.refused, "\(label) is for \(Self.shown(request.recipient)), not \(Self.shown(recipient))", remedy: .requestNewOverride)
        }
        guard purpose == request.purpose else {
            throw CasebookError(.refused, "\(label) is for the purpose \(request.purpose.rawValue), not \(purpose.rawValue)", remedy: .requestNewOverride)
        }
        let missing = fields.subtracting(request.fields).sorted()
        guard missing.isEmpty else {
            let listed = missing.prefix(5).map { "'\(Vault.displayed(String($0.prefix(40))))'" }.joined(separator: ", ")
                + (missing.count > 5 ? ", …" : "")
            throw CasebookError(.refused, "\(label) does not cover the section\(missing.count == 1 ? "" : "s") \(listed)", remedy: .requestNewOverride)
        }
        let unnamed = unnamedSpecialCategories(specialCategories)
        guard unnamed.isEmpty else {
            throw CasebookError(.refused, "\(label) does not name the special categor\(unnamed.count == 1 ? "y" : "ies") \(unnamed.joined(separator: ", "))",
                                remedy: .requestNewOverride)
        }
    }

    /// What it releases, for ``ConsentEvaluator/combine(_:records:override:)``.
    public var coverage: OverrideCoverage {
        OverrideCoverage(fields: Set(request.fields), specialCategories: Set(request.specialCategories))
    }

    /// The special categories among `labels` that this override does not name.
    func unnamedSpecialCategories(_ labels: some Sequence<String>) -> [String] {
        coverage.unnamedSpecialCategories(labels)
    }

    private static func shown(_ recipient: OverrideRequest.Recipient) -> String {
        recipient.name.map { "\(Vault.displayed($0)) (\(recipient.target))" } ?? recipient.target.description
    }

    private static func shown(_ recipient: OverrideRecipient) -> String { recipient.description }
}
