public import CasebookFormat
public import Foundation

/// Why something was withheld.
public enum WithholdingReason: Hashable, Sendable {
    /// No active provision matched for this purpose, recipient and action (default deny).
    case noProvision
    /// The most specific matching provision (or one of the equally specific ones) denies.
    case deniedBy(ProvisionReference)
    /// Permits matched but none names these special-category labels of the record (sorted).
    case specialCategoryNotNamed(labels: [String], permits: [ProvisionReference])
    /// The section was not considered because the record itself is withheld.
    case recordWithheld
}

/// One withheld thing (the whole record, or one section) and why.
public struct Withholding: Hashable, Sendable, CustomStringConvertible {
    public enum Subject: Hashable, Sendable {
        /// The record as a whole (its header, and so every section).
        case record(RecordKind)
        /// One section, by key.
        case section(String)
    }

    public var subject: Subject
    public var reason: WithholdingReason
    /// The purpose asked for (used in messages).
    public var purpose: ConsentPurpose

    public init(subject: Subject, reason: WithholdingReason, purpose: ConsentPurpose) {
        self.subject = subject
        self.reason = reason
        self.purpose = purpose
    }

    /// E.g. `no provision permits section 'focus' for supervision`,
    /// `section 'plan' denied by consent 7KQ2M9XD4A v2 provision 3`,
    /// `special category religious-belief not named by consent 7KQ2M9XD4A v1 provision 1`.
    public var description: String {
        let what: String
        switch subject {
        case .record(let kind): what = "the \(kind.rawValue) record"
        case .section(let key): what = "section '\(key)'"
        }
        switch reason {
        case .noProvision:
            return "no provision permits \(what) for \(purpose.rawValue)"
        case .deniedBy(let reference):
            return "\(what) denied by \(reference)"
        case .specialCategoryNotNamed(let labels, let permits):
            let noun = labels.count == 1 ? "special category" : "special categories"
            return "\(what): \(noun) \(labels.joined(separator: ", ")) not named by "
                + permits.map(\.description).joined(separator: ", ")
        case .recordWithheld:
            return "\(what) not sent: the record is withheld"
        }
    }
}

/// The decision for one record of the request.
public struct RecordDecision: Equatable, Sendable {
    public var recordID: String
    /// Whether the record (its header and the sections in ``allowedFields``) may leave.
    public var disclosed: Bool
    /// Section keys that may leave, in the kind's field order; empty when not disclosed.
    public var allowedFields: [String]
    /// Why the whole record is withheld, when it is.
    public var recordWithheld: Withholding?
    /// Every section the record has that may not leave, in the kind's field order, each with
    /// its reason (``WithholdingReason/recordWithheld`` when the whole record is withheld).
    public var withheldFields: [Withholding]
    /// The provisions that decided this record (header and sections), sorted.
    public var basis: [ProvisionReference]

    public init(recordID: String, disclosed: Bool, allowedFields: [String], recordWithheld: Withholding?,
                withheldFields: [Withholding], basis: [ProvisionReference]) {
        self.recordID = recordID
        self.disclosed = disclosed
        self.allowedFields = allowedFields
        self.recordWithheld = recordWithheld
        self.withheldFields = withheldFields
        self.basis = basis
    }

    /// The withheld section keys, in the kind's field order.
    public var withheldKeys: [String] {
        withheldFields.compactMap { if case .section(let key) = $0.subject { key } else { nil } }
    }
}

/// A consent version a decision relied on, as the audit log records it.
public struct ConsentReliance: Hashable, Sendable, Comparable {
    public var consentID: String
    public var version: Int
    /// SHA-256 (hex) of the version's canonical encoding (``Consent/canonicalHash``).
    public var hash: String

    public init(consentID: String, version: Int, hash: String) {
        self.consentID = consentID
        self.version = version
        self.hash = hash
    }

    public static func < (lhs: ConsentReliance, rhs: ConsentReliance) -> Bool {
        (lhs.consentID, lhs.version) < (rhs.consentID, rhs.version)
    }
}

/// Why a consent of the client did not count at the time of the request.
public struct InactiveConsent: Equatable, Sendable, CustomStringConvertible {
    public enum Status: Equatable, Sendable {
        case notYetValid(from: Date)
        case expired(at: Date)
        case withdrawn(at: Date)
    }

    public var consentID: String
    public var version: Int
    public var status: Status

    public init(consentID: String, version: Int, status: Status) {
        self.consentID = consentID
        self.version = version
        self.status = status
    }

    public var description: String {
        let name = "consent \(consentID) v\(version)"
        switch status {
        case .notYetValid(let from): return "\(name) is not valid yet (valid from \(Timestamp.string(from)))"
        case .expired(let until): return "\(name) expired at \(Timestamp.string(until))"
        case .withdrawn(let time): return "\(name) was withdrawn at \(Timestamp.string(time))"
        }
    }
}

/// The outcome of ``ConsentEvaluator/evaluate(_:consents:)``.
public struct DisclosureDecision: Equatable, Sendable {
    public enum Outcome: String, Sendable {
        /// Every record may leave with every section it has.
        case permit
        /// At least one record may leave, but something (a record or a section) is withheld.
        case partial
        /// Nothing may leave.
        case deny
    }

    public var outcome: Outcome
    /// One per requested record, in request order.
    public var records: [RecordDecision]
    /// The consent versions whose provisions decided anything (permit or deny), sorted; empty
    /// when the decision is a plain default deny.
    public var reliedOn: [ConsentReliance]
    /// The client's consents that did not count at the request time, and why.
    public var inactive: [InactiveConsent]

    public init(outcome: Outcome, records: [RecordDecision], reliedOn: [ConsentReliance], inactive: [InactiveConsent]) {
        self.outcome = outcome
        self.records = records
        self.reliedOn = reliedOn
        self.inactive = inactive
    }

    /// Everything withheld, one line each (`record ID: reason`), then the inactive consents.
    /// Empty for a permit.
    public var reasons: [String] {
        var lines: [String] = []
        for record in records {
            if let whole = record.recordWithheld {
                lines.append("record \(record.recordID): \(whole)")
            }
            for withholding in record.withheldFields where withholding.reason != .recordWithheld {
                lines.append("record \(record.recordID): \(withholding)")
            }
        }
        if outcome != .permit {
            lines += inactive.map(\.description)
        }
        return lines
    }
}
