import CasebookCore

/// A library remedy in this interface's terms: the command to run, the option to add.
enum RemedyText {
    static let addCard = "get their card from them ('casebook whoami --card'), check the fingerprint with them, then 'casebook contacts add CARD'"
    static let template = "'casebook note template --kind K' shows a kind's sections; give their keys, such as focus,plan"

    static func hint(_ remedy: Remedy) -> String {
        switch remedy {
        case .listRecords(let client?): "'casebook note list --client \(client)' shows them"
        case .listRecords(nil): "'casebook note list' shows your records"
        case .listContacts: "'casebook contacts list' shows your contacts"
        case .listConsents: "'casebook consent list' shows the consents"
        case .showConsent(let id): "'casebook consent show \(id)' shows its latest version; try again"
        case .showContact(let name): "nothing was changed; 'casebook contacts show \"\(name)\"' shows it"
        case .showOverride: "'casebook override show FILE' shows who signed it"
        case .showTemplate: template
        case .recordIDForm: "record ids are 10 characters, as 'casebook note list' shows them"
        case .consentIDForm: "consent ids are 10 characters, as 'casebook consent list' shows them"
        case .giveReason(let example): "for example --reason \"\(example)\""
        case .giveRecipient: "add --to NAME"
        case .giveExportRecipient: "give a contact's name, an age1… recipient, or --passphrase"
        case .selectRecords: "name them with --note ID, or select with --client"
        case .nameOverrideFields: "name the sections it covers, e.g. --fields risk-new-information,risk-actions"
        case .giveExpiryWithin(let days): "give --expires a day or time in the next \(days) days"
        case .chooseAnotherContactName:
            "to keep both, add this card under another name with --name; if the person has new keys, remove the old contact first"
        case .checkPassphrase: "check CASEBOOK_PASSPHRASE or --passphrase-file; the vault was not changed"
        case .leaveOutTrustedFolder: "create it and put the checkpoints you hold in it, or leave out --trusted"
        case .chooseAnotherVaultFolder: "Casebook never overwrites a vault; choose another folder with --vault"
        case .createVault: "create one with 'casebook init', or point CASEBOOK_VAULT or --vault at an existing vault"
        case .addTheirCard: addCard
        case .addApproverCard: "if that is your supervisor, add their card after checking its fingerprint with them ('casebook contacts add CARD')"
        case .sealToYourCard: "ask the sender to seal it to the card 'casebook whoami --card' prints"
        case .exportAuditBundleToYou(let exporter?): "ask \(exporter) to export it to you: 'casebook audit export --to NAME'"
        case .exportAuditBundleToYou(nil): "ask the sender to export it to your card ('casebook audit export --to NAME')"
        case .askForAHandoverFile: "a handover is the .age file 'casebook handover seal' writes; ask the sender for a new copy"
        case .askForAnAuditBundleFile: "an audit bundle is the file 'casebook audit export' writes; ask the sender for a new copy"
        case .auditBundlesAreMadeByExport: "audit bundles are made with 'casebook audit export'"
        case .typeFingerprintAsShown: "type it as 'casebook whoami --card' shows it: 8 groups of 4 separated by '-'"
        case .ownKeysAreNotContacts: "add the cards of the colleagues you exchange with; 'casebook whoami' shows your own keys"
        case .acceptPartialOrGrantConsent:
            "add --accept-partial to send what consent covers (the rest is listed as withheld), or record the consent with 'casebook consent grant'"
        case .grantConsentForHandover(let purpose):
            "record the client's consent first: 'casebook consent grant --client REF --purpose \(purpose) --to NAME …'"
        case .grantConsentOrOverrideForExport(let client, let purpose):
            "record the client's consent ('casebook consent grant --client \(client) --purpose \(purpose) --actions export …'), or use an approved lawful-basis override (--override)"
        case .acceptPartialOrChooseOverrideFields:
            "add --accept-partial to send what they cover (the rest is listed as withheld), or choose --fields the override names"
        case .requestOverrideNamingSpecialCategories: "request an override that names the special categories needed (--special-categories)"
        case .exportToOverrideRecipient: "export to the recipient the override names (--to)"
        case .askSupervisorToApprove: "ask your supervisor to approve it: they run 'casebook override approve REQUEST -o APPROVAL'"
        case .useAnApproval: "ask a supervisor to approve it ('casebook override approve REQUEST -o APPROVAL') and use the approval file"
        case .supervisorMustApprove: "ask your supervisor to approve the request with 'casebook override approve'"
        case .requestOwnOverride: "request your own override with 'casebook override request'"
        case .requestNewOverride: "an override covers only what it names; request a new one ('casebook override request') for this disclosure"
        case .writeOwnNote: "write your own note about it with 'casebook note new'"
        case .alreadyImported: "its records are in your vault: 'casebook note list'"
        case .verifyLogAndRestore:
            "the vault database was altered outside Casebook; run 'casebook audit verify' and restore it from a backup"
        case .trustedFolderHoldsCheckpoints:
            "the trusted folder holds only checkpoints ('casebook audit checkpoint' output, or files saved by 'audit verify --save-checkpoint')"
        }
    }
}
