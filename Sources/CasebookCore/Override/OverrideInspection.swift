public import CasebookFormat

/// An override file as `override show` presents it: the request, and for each signature
/// who it claims to be by and whether it verifies with that person's key as this vault
/// knows it. An inspection decides nothing; `OverrideService.verified` does.
public struct OverrideInspection: Sendable {
    public struct Signer: Sendable {
        /// The fingerprint the signature's key name gives.
        public let fingerprint: IdentityFingerprint
        public let isThisVault: Bool
        /// The contact with that fingerprint, when there is one (never for this vault).
        public let contact: HandoverParty?
        /// The signature verifies with this vault's key or the contact's card.
        public let verified: Bool
    }

    public let request: OverrideRequest
    /// The requester's signature, then (in an approval) the approver's.
    public let signers: [Signer]
    /// SHA-256 (hex) of the file.
    public let digest: String
    public let expired: Bool

    public var isApproval: Bool { signers.count == 2 }

    /// Refuses a file whose signature by a key this vault knows (its own, or a contact's)
    /// does not verify: that file was altered, whatever `override show` printed of it. A
    /// signature by someone who is not a contact cannot be checked and is not refused here.
    public func requireKnownSignaturesVerify() throws(CasebookError) {
        guard let broken = signers.first(where: { !$0.verified && ($0.isThisVault || $0.contact != nil) }) else { return }
        let who = broken.isThisVault ? "you" : broken.contact.map { Vault.displayed($0.name) } ?? ""
        throw CasebookError(.integrity, "the override's signatures do not verify with the keys of \(who): it was altered, or was not signed by them",
                            hint: "do not use it; ask for a new copy")
    }
}
