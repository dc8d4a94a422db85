public import CasebookFormat

/// Choosing records to disclose by client (`handover seal --client`), and checking that a
/// document is the record a command said it would be (`note new --kind --client`).
extension HandoverService {
    /// The ids of the records `filter` selects for a disclosure. An empty selection is
    /// `.notFound`: sealing nothing is never what was meant.
    public func recordIDs(_ filter: RecordFilter) throws -> [String] {
        let ids = try listings(filter).map(\.recordID)
        guard !ids.isEmpty else {
            let client = filter.client?.rawValue ?? "any client"
            throw CasebookError(.notFound, "no records of \(client) match", remedy: .listRecords(client: client))
        }
        return ids
    }
}

extension RecordContent {
    /// Refuses (`.invalidInput`) a document whose kind or client is not the one the command
    /// named: a document pasted from another client's record must not be stored under it.
    public func checkAgrees(kind: RecordKind, client: ClientReference) throws(CasebookError) {
        guard header.kind == kind else {
            throw CasebookError(.invalidInput, "is \(kind.rawValue), but the document is a \(header.kind.rawValue) record; nothing was stored", argument: .kind)
        }
        guard header.client == client else {
            throw CasebookError(.invalidInput, "is \(client), but the document is about client \(header.client); nothing was stored", argument: .client)
        }
    }
}

extension RecordDocument {
    /// The blank document for `kind`, with the client reference filled in when given.
    public static func template(for kind: RecordKind, client: ClientReference?) -> String {
        let template = template(for: kind)
        guard let client else { return template }
        return template.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line == "client:" ? "client: \(client.rawValue)" : String(line)
        }.joined(separator: "\n")
    }
}
