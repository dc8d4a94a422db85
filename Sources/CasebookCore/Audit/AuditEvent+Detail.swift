public import CasebookFormat

extension AuditEvent {
    /// The event's detail as people read it. Version-1 events carry it as written; version 2
    /// keeps its parts in fields of their own (docs/formats.md §9.2), shown here in the
    /// version-1 wording, so a log and a report read the same across versions.
    public var shownDetail: String? {
        var parts: [String] = []
        if let role { parts.append("role=\(role)") }
        if let consent { parts.append(consent) }
        if let citation { parts.append(citation) }
        if let reason { parts.append("reason: \(reason)") }
        if let origin, let root, let result {
            let outcome = result == "failed" ? "failed at \(failedAt.map(String.init) ?? "-")" : result
            parts.append("origin=\(origin); root=\(root); result=\(outcome); for=\(self.for ?? "-")")
        }
        if let detail { parts.append(detail + (approval.map { "; override approval sha256:\($0)" } ?? "")) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
