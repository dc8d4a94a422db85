/// What a person can do about a failure, said in the library's terms; each interface spells
/// it out in its own (the command line names the command or option). Keeping commands out of
/// the library lets a second interface — a team server, a graphical client — give its own.
public enum Remedy: Equatable, Sendable {
    // Looking things up.
    case listRecords(client: String?)
    case listContacts
    case listConsents
    case showConsent(id: String)
    case showContact(name: String)
    case showOverride
    case showTemplate
    /// Record ids and consent ids are 10 characters, as the listings show them.
    case recordIDForm
    case consentIDForm

    // Giving what was missing.
    case giveReason(example: String)
    case giveRecipient
    case giveExportRecipient
    case selectRecords
    case nameOverrideFields
    case giveExpiryWithin(days: Int)
    case chooseAnotherContactName
    case checkPassphrase
    case leaveOutTrustedFolder
    case chooseAnotherVaultFolder
    case createVault

    // Other people, and their keys.
    case addTheirCard
    case addApproverCard
    case sealToYourCard
    case exportAuditBundleToYou(exporter: String?)
    case askForAHandoverFile
    case askForAnAuditBundleFile
    case auditBundlesAreMadeByExport
    case ownKeysAreNotContacts
    /// A fingerprint is typed as its owner's card shows it.
    case typeFingerprintAsShown

    // Consent and overrides.
    case acceptPartialOrGrantConsent
    case grantConsentForHandover(purpose: String)
    case grantConsentOrOverrideForExport(client: String, purpose: String)
    case acceptPartialOrChooseOverrideFields
    case requestOverrideNamingSpecialCategories
    case exportToOverrideRecipient
    case askSupervisorToApprove
    case useAnApproval
    case supervisorMustApprove
    case requestOwnOverride
    /// An override covers only what it names.
    case requestNewOverride

    // Records.
    case writeOwnNote
    case alreadyImported
    case trustedFolderHoldsCheckpoints
    /// A table disagrees with the audit log: verify the log and restore a backup.
    case verifyLogAndRestore
}

/// The call argument a message is about; the command line shows it as its option's name.
public enum CallArgument: Equatable, Sendable {
    case fields
    case fingerprint
    case kind
    case client
    case expires
    case from
    case until
    case since
    case dataFrom
    case dataUntil
    case validFrom
    case validUntil
    case recipientOrganisation
    case recipientRole
}
