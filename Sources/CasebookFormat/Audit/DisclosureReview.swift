/// Reads a log's disclosures against the consents the same log recorded before them, and
/// flags any whose basis was withdrawn, expired, not yet valid, never recorded or altered —
/// and (for version-2 events, which list every consent the gate `considered`) any that left
/// out a consent in force for its clients, such as a denial deleted from the vault's tables.
/// Used by `audit verify`, `audit verify --bundle` and `audit report` (formats §9.5).
public struct DisclosureReview: Sendable {
    /// A disclosure the log's own consent history does not support.
    public struct Flag: Equatable, Sendable, CustomStringConvertible {
        /// Position of the disclosure event.
        public let sequence: Int
        public let action: AuditAction
        /// Why, one line: `relied on consent … which was withdrawn at event 12`.
        public let reason: String
        public var description: String { "event \(sequence) (\(action.rawValue)) \(reason)" }
    }

    public private(set) var state = AuditLogState()
    public private(set) var flags: [Flag] = []

    public init() {}

    /// The actions the review needs: the consents' and erasures' events and the disclosures.
    /// A reader may skip decoding the others (a bundle of a million record writes is then read
    /// as fast as before); events of other actions it does decode may be applied too.
    public static let actions: Set<AuditAction> = [
        .consentGranted, .consentWithdrawn, .clientErased, .handoverSealed, .exportSealed, .exportPlaintext,
    ]

    /// Folds one event in, in log order.
    public mutating func apply(_ event: AuditEvent) {
        if [.handoverSealed, .exportSealed, .exportPlaintext].contains(event.action) {
            for reason in review(event) { flags.append(Flag(sequence: event.sequence, action: event.action, reason: reason)) }
        }
        state.apply(event)
    }

    /// What is wrong with one disclosure's basis, given the consents recorded before it.
    func review(_ event: AuditEvent) -> [String] {
        var reasons: [String] = []
        // An override basis (`override ID "citation" approved by …`) is checked by its own proof.
        for reliance in event.basis ?? [] where !reliance.hasPrefix("override ") {
            if let problem = problem(with: reliance, at: event.time, reliedOn: true) { reasons.append("relied on consent \(problem)") }
        }
        guard let considered = event.considered else { return reasons }
        for reliance in considered where !(event.basis ?? []).contains(reliance) {
            if let problem = problem(with: reliance, at: event.time, reliedOn: false) { reasons.append("considered consent \(problem)") }
        }
        let clients = Set(event.clients ?? [])
        let named = Set(considered.compactMap { $0.split(separator: " ").first.map(String.init) })
        for (id, consent) in state.consents.sorted(by: { $0.key < $1.key })
        where clients.contains(consent.client) && !named.contains(id) && state.erasedClients[consent.client] == nil
            && !consent.withdrawn && Self.isValid(consent, at: event.time) {
            let what = consent.effect.map { $0.contains("deny") ? "a denial" : "a consent" } ?? "a consent"
            reasons.append("left out consent \(consent.reliance(id: id)) (\(what) for \(consent.client), recorded at event \(consent.sequence)), which was in force")
        }
        return reasons
    }

    /// Why `reliance` (`ID vN sha256:HASH`) could not be relied on at `time` (or, when only
    /// considered, was not the version the log held then), if it could not.
    private func problem(with reliance: String, at time: String, reliedOn: Bool) -> String? {
        let parts = reliance.split(separator: " ")
        guard parts.count == 3, parts[1].hasPrefix("v"), let version = Int(parts[1].dropFirst()), parts[2].hasPrefix("sha256:") else {
            return "'\(DisplayText.escaped(reliance, limit: 100))', which is not of the form ID vN sha256:HASH"
        }
        let id = String(parts[0])
        let digest = parts[2].dropFirst("sha256:".count)
        guard let consent = state.consents[id] else { return "\(id) v\(version), which the log never recorded" }
        if consent.version > version {
            return consent.withdrawn
                ? "\(id) v\(version), which was withdrawn at event \(consent.sequence) (\(consent.withdrawnAt ?? ""))"
                : "\(id) v\(version), which version \(consent.version) replaced at event \(consent.sequence)"
        }
        if consent.version < version { return "\(id) v\(version), of which the log holds only up to version \(consent.version)" }
        if consent.digest != digest { return "\(id) v\(version), whose hash is not the one the log recorded" }
        guard reliedOn else { return nil }
        if consent.withdrawn { return "\(id) v\(version), which records its withdrawal (event \(consent.sequence))" }
        if let until = consent.validUntil, until <= time { return "\(id) v\(version), which expired at \(until)" }
        if let from = consent.validFrom, time < from { return "\(id) v\(version), which was not valid until \(from)" }
        return nil
    }

    /// In its validity window at `time` (RFC 3339 UTC strings of one form compare as times);
    /// a version-1 event, which does not say, counts as valid.
    static func isValid(_ consent: AuditLogState.ConsentEntry, at time: String) -> Bool {
        (consent.validFrom.map { $0 <= time } ?? true) && (consent.validUntil.map { time < $0 } ?? true)
    }
}
