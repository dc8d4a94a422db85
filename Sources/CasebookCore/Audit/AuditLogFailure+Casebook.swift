public import CasebookFormat

extension AuditLogFailure {
    /// The error shown to the user: always altered or damaged evidence (exit status 6).
    public var casebookError: CasebookError { CasebookError(wireFormatError) }
}

extension CasebookError {
    /// A refusal from Format's audit-bundle reader in the domain's terms, with the advice
    /// Format may not give (bundles come from an export command the interface names).
    static func auditBundle(_ wire: WireFormatError) -> CasebookError {
        guard wire == AuditBundleHeader.notABundle else { return CasebookError(wire) }
        return CasebookError(.invalidInput, wire.message, remedy: .auditBundlesAreMadeByExport)
    }
}
