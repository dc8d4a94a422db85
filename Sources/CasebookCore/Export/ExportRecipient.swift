public import CasebookFormat

/// Whom an export is for and how it is sealed: a contact (their card), any age X25519
/// recipient, or a passphrase (age scrypt). Organisation and role describe the recipient
/// to the consent evaluator (`org:NAME` and `role:ROLE` provisions); a contact's role is
/// its card's.
public struct ExportRecipient {
    public let description: ExportManifest.Recipient
    let disclosure: DisclosureRecipient
    /// What the package is sealed to; nil only for `--plaintext`.
    let sealer: (any AgeRecipient)?
    /// For the audit event and override checks: the card fingerprint, the age recipient,
    /// or `passphrase`.
    public let auditName: String
    /// What a lawful-basis override must name to cover this recipient (nil for a passphrase).
    let overrideTarget: OverrideRecipient?

    public static func contact(_ party: HandoverParty, organisation: String? = nil) throws(CasebookError) -> ExportRecipient {
        try checkTokens(organisation: organisation, role: nil)
        let sealer: AgeX25519Recipient
        do { sealer = try AgeX25519Recipient(encoded: party.card.ageRecipient) } catch {
            throw CasebookError(.invalidInput, "\(party.name)'s card has an unusable age recipient")
        }
        let fingerprint = party.card.fingerprint.description
        return ExportRecipient(
            description: .init(kind: "contact", name: party.name, fingerprint: fingerprint, age: nil,
                               organisation: organisation, role: party.card.role),
            disclosure: DisclosureRecipient(name: party.name, fingerprint: party.card.fingerprint, organisation: organisation,
                                            role: party.card.role),
            sealer: sealer, auditName: fingerprint, overrideTarget: .contact(party.card.fingerprint))
    }

    public static func age(_ encoded: String, organisation: String?, role: String?) throws(CasebookError) -> ExportRecipient {
        try checkTokens(organisation: organisation, role: role)
        let sealer: AgeX25519Recipient
        let target: OverrideRecipient
        do {
            sealer = try AgeX25519Recipient(encoded: encoded)
            target = try OverrideRecipient(ageRecipient: encoded)
        } catch {
            throw CasebookError(.invalidInput, "'\(Vault.displayed(String(encoded.prefix(80))))' is not an age X25519 recipient (age1…, lower case)",
                                remedy: .giveExportRecipient)
        }
        return ExportRecipient(
            description: .init(kind: "age", name: nil, fingerprint: nil, age: encoded, organisation: organisation, role: role),
            disclosure: DisclosureRecipient(name: String(encoded.prefix(16)) + "…", organisation: organisation, role: role),
            sealer: sealer, auditName: encoded, overrideTarget: target)
    }

    /// Sealed with age's scrypt recipient: whoever is told the passphrase can open it. Made
    /// only by `ExportService.recipient(passphrase:…)`, which checks the passphrase.
    static func passphrase(_ sealer: AgeScryptRecipient, organisation: String?, role: String?) throws(CasebookError) -> ExportRecipient {
        try checkTokens(organisation: organisation, role: role)
        return ExportRecipient(
            description: .init(kind: "passphrase", name: nil, fingerprint: nil, age: nil, organisation: organisation, role: role),
            disclosure: DisclosureRecipient(name: "the passphrase holder", organisation: organisation, role: role),
            sealer: sealer, auditName: "passphrase", overrideTarget: nil)
    }

    /// Organisation and role are matched against consent provisions and written into the
    /// signed export, so they follow the provisions' token rule (`probation-london`).
    private static func checkTokens(organisation: String?, role: String?) throws(CasebookError) {
        if let organisation, !ConsentProvision.isToken(organisation) {
            throw CasebookError(.invalidInput, "'\(Vault.displayed(String(organisation.prefix(70))))' is not a valid organisation",
                                hint: ConsentProvision.tokenHint("probation-london"), argument: .recipientOrganisation)
        }
        if let role, !ConsentProvision.isToken(role) {
            throw CasebookError(.invalidInput, "'\(Vault.displayed(String(role.prefix(70))))' is not a valid role",
                                hint: ConsentProvision.tokenHint("offender-manager"), argument: .recipientRole)
        }
    }

    /// The same recipient, for a plaintext export: described, checked and audited, not sealed to.
    public var forPlaintext: ExportRecipient {
        ExportRecipient(description: description, disclosure: disclosure, sealer: nil, auditName: auditName, overrideTarget: overrideTarget)
    }
}
