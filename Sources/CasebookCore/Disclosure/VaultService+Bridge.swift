import CasebookFormat

/// A bridge while records, consents, erasure and identity are still `Vault` extensions
/// (branch `svc-records` moves them into `extension VaultService` under these same names):
/// lets the disclosure and audit services call them as `self.x` already. Delete this file
/// when that branch is merged.
extension VaultService {
    private var vault: Vault { Vault(context: context) }

    var profile: PractitionerProfile { context.profile }
    var contacts: ContactService { ContactService(context: context) }
    var ownFingerprint: IdentityFingerprint { vault.ownFingerprint }
    func ageIdentity() -> AgeX25519Identity { vault.ageIdentity() }
    func listings(_ filter: RecordFilter = RecordFilter()) throws -> [RecordListing] { try vault.listings(filter) }
    func latestRecords(ids: [String]) throws -> [RecordRevision] { try vault.latestRecords(ids: ids) }
    func consents(client: ClientReference? = nil) throws -> [Consent] { try vault.consents(client: client) }
    func erasedClientIDs() throws -> Set<[UInt8]> { try vault.erasedClientIDs() }

    func insertNewRecord(
        _ content: RecordContent, metadata: RevisionMetadata, writer: any VaultStoreWriter, pending: inout [[UInt8]: ClientKey]
    ) throws -> RecordRevision {
        try vault.insertNewRecord(content, metadata: metadata, writer: writer, pending: &pending)
    }
}
