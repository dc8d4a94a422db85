public import Foundation

/// Where a consent stands at a moment, as listings show it. Withdrawal comes first: it is
/// final, whatever the validity window says.
public enum ConsentStatus: Equatable, Sendable, CustomStringConvertible {
    case withdrawn(at: Date)
    case notYetValid
    case expired
    case active

    /// `withdrawn 2026-03-01T10:00:00Z`, `not yet valid`, `expired` or `active`.
    public var description: String {
        switch self {
        case .withdrawn(let time): "withdrawn \(Timestamp.string(time))"
        case .notYetValid: "not yet valid"
        case .expired: "expired"
        case .active: "active"
        }
    }
}

extension Consent {
    /// This version's status at `time` (the validity window is half-open).
    public func status(at time: Date) -> ConsentStatus {
        if let withdrawal { return .withdrawn(at: withdrawal.time) }
        if time < validFrom { return .notYetValid }
        if time >= validUntil { return .expired }
        return .active
    }
}
