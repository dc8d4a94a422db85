public import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

extension OverrideRequest.ConsentSought: ExpressibleByArgument {}
extension OverrideRequest.ClientInformed: ExpressibleByArgument {}

struct OverrideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Lawful-basis overrides: request one, approve one (supervisors), show one.",
        discussion: """
            An override lets an export release sections the client's consent does not cover, on a
            recorded legal basis (docs/consent.md §4). It is never a consent. You sign a request;
            a supervisor countersigns it from their own vault; the approval file is then what
            'export --override FILE' uses, only for the client, recipient, purpose, sections and
            special categories it names, and only until it expires (at most 30 days).
            """,
        subcommands: [OverrideRequestCommand.self, OverrideApprove.self, OverrideShow.self]
    )
}

struct OverrideRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Write a signed override request for your supervisor to approve.",
        discussion: """
            Example: casebook override request --client C-0042 --to "Probation Example" --purpose risk-management
              --fields risk-new-information,risk-actions --citation "Crime and Disorder Act 1998 s.115"
              --justification "…" --consent-sought unsafe --reason "…" --client-informed deferred
              --expires 2026-12-03 -o c0042-override.txt

            --to names a contact (by its name in this vault) or an age1… recipient. --expires is a
            date (the override lasts to the end of that day, UTC) or a time YYYY-MM-DDTHH:MM:SSZ, in
            the next 30 days. The request is audited (override.requested) and written to -o, never
            overwriting a file.

            Exit statuses: 2 a missing option, a bad --expires, purpose, --consent-sought or
            --client-informed value; 3 an invalid client reference, section, special category,
            age recipient or text, or an expiry in the past or more than 30 days ahead; 4 an
            unknown contact; 7 the output file exists.
            """)

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("The client reference.", valueName: "ref"))
    var client: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The recipient: a contact's name or an age1… recipient.", valueName: "recipient"))
    var recipient: String

    @Option(help: ArgumentHelp("The purpose of the disclosure.", valueName: ConsentPurpose.allCases.map(\.rawValue).joined(separator: "|")))
    var purpose: ConsentPurpose

    @Option(help: ArgumentHelp("The sections it covers, comma-separated (keys as in 'note template').", valueName: "key,key…"))
    var fields: String

    @Option(help: ArgumentHelp("Special categories it covers, comma-separated: health, religious-belief.", valueName: "label,…"))
    var specialCategories: String?

    @Option(help: ArgumentHelp("The legal provision relied on (one line, at most 200 characters).", valueName: "text"))
    var citation: String

    @Option(help: ArgumentHelp("Why the disclosure is necessary and proportionate (one line, at most 2000 characters).", valueName: "text"))
    var justification: String

    @Option(help: ArgumentHelp("Whether the client's consent was sought: yes, no, or unsafe (asking would put someone at risk).",
                               valueName: "yes|no|unsafe"))
    var consentSought: OverrideRequest.ConsentSought

    @Option(help: ArgumentHelp("Why consent was not sought, or why it is overridden (one line, at most 500 characters).", valueName: "text"))
    var reason: String

    @Option(help: ArgumentHelp("Whether the client has been told: yes, deferred (once it is safe) or no.", valueName: "yes|deferred|no"))
    var clientInformed: OverrideRequest.ClientInformed

    @Option(help: ArgumentHelp("When it stops counting: YYYY-MM-DD (end of that day, UTC) or YYYY-MM-DDTHH:MM:SSZ; at most 30 days ahead.",
                               valueName: "date"))
    var expires: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The request file to write (never overwritten).", valueName: "file"))
    var output: String

    func run() throws {
        // Check the command line before asking for the passphrase.
        let client = try ClientReference(client)
        let fieldList = try CommaList.parse(fields, flag: "--fields")
        let categories = try specialCategories.map { try CommaList.parse($0, flag: "--special-categories") } ?? []
        let expiry = try OverrideExpiry.parse(expires)
        let opened = try vault.open(readOnly: false)
        let target = try opened.overrides.recipient(recipient)
        let (request, _) = try PendingFile.whileCreating(output) {
            try opened.overrides.request(
                client: client, to: target.target, purpose: purpose, fields: fieldList, specialCategories: categories,
                citation: citation, justification: justification, consentSought: consentSought, reason: reason,
                clientInformed: clientInformed, expires: expiry, writingTo: URL(fileURLWithPath: output))
        }
        print("Wrote override request \(request.id) to \(output).")
        print(OverrideOutput.summary(request, requester: nil).joined(separator: "\n"))
        print("It counts only once a supervisor approves it: they run 'casebook override approve \(output) -o APPROVAL'.")
    }
}

struct OverrideApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Countersign a colleague's override request (supervisors only).",
        discussion: """
            Read it first with 'casebook override show REQUEST'. The requester must be one of your
            contacts, the request must verify with their key and must not have expired; you cannot
            approve your own. The approval (the request with your signature added) is written to
            -o, never overwriting a file, and audited (override.approved).

            Exit statuses: 3 not a valid override request (or already approved); 4 the requester is
            not a contact, or the file cannot be read; 6 the signature does not verify; 7 the
            output file exists; 8 your own request, your role is not supervisor, or it expired.
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The request file.", valueName: "request"))
    var request: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The approval file to write (never overwritten).", valueName: "file"))
    var output: String

    func run() throws {
        let bytes = try OverrideFile.read(request)
        let opened = try vault.open(readOnly: false)
        let (approved, requester, _) = try PendingFile.whileCreating(output) {
            try opened.overrides.approve(bytes, requester: opened.contacts.party(withFingerprint:), writingTo: URL(fileURLWithPath: output))
        }
        print("Approved override \(approved.id); the approval is in \(output).")
        print(OverrideOutput.summary(approved, requester: requester).joined(separator: "\n"))
        print("Send \(output) back to \(DisplayText.line(requester.name)); only they can use it, until it expires.")
    }
}

struct OverrideShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an override request or approval, and which of its signatures verify.",
        discussion: """
            Signatures are checked against your own key and your contacts' cards. Showing changes
            nothing and decides nothing: 'override approve' and 'export --override' do their own checks.

            Exit statuses: 3 not a valid override file; 4 the file cannot be read; 6 a signature by
            you or a contact does not verify (the file was altered; it is shown all the same).
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The override file.", valueName: "file"))
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let bytes = try OverrideFile.read(file)
        let opened = try vault.open(readOnly: true)
        let inspection = try opened.overrides.inspect(bytes, contacts: opened.contacts.party(withFingerprint:))
        if json {
            try JSONOutput.print(OverrideShowJSON(inspection))
            try inspection.requireKnownSignaturesVerify()
            return
        }
        let request = inspection.request
        var lines = [
            "override:       \(request.id) (\(inspection.isApproval ? "approval" : "request, not yet approved"))",
            "requested:      \(Timestamp.string(request.created)) by \(DisplayText.line(request.requester.name)) (\(DisplayText.line(request.requester.role)), \(request.requester.fingerprint))",
        ]
        lines += OverrideOutput.summary(request, requester: nil)
        lines.append("justification:  \(DisplayText.line(request.justification))")
        lines.append("consent sought: \(request.consentSought.rawValue)")
        lines.append("reason:         \(DisplayText.line(request.reason))")
        lines.append("client told:    \(request.clientInformed.rawValue)")
        lines.append("status:         \(inspection.expired ? "expired" : "not expired")")
        lines.append("sha256:         \(inspection.digest)")
        for (index, signer) in inspection.signers.enumerated() {
            let role = index == 0 ? "requester" : "approver"
            let who = signer.isThisVault ? "you" : signer.contact.map { "\(DisplayText.line($0.name)) (\($0.card.role))" } ?? "not a contact"
            lines.append("signature \(index + 1):    \(role) \(signer.fingerprint), \(who): \(signer.verified ? "verified" : "NOT verified")")
        }
        print(lines.joined(separator: "\n"))
        try inspection.requireKnownSignaturesVerify()
    }
}

/// `override show --json`.
struct OverrideShowJSON: Encodable {
    struct Signature: Encodable {
        let fingerprint: String
        let signer: String?
        let thisVault: Bool
        let verified: Bool

        enum CodingKeys: String, CodingKey {
            case fingerprint, signer, verified
            case thisVault = "this-vault"
        }
    }

    let kind: String
    let request: OverrideRequest
    let signatures: [Signature]
    let expired: Bool
    let sha256: String

    init(_ inspection: OverrideInspection) {
        kind = inspection.isApproval ? "approval" : "request"
        request = inspection.request
        signatures = inspection.signers.map {
            Signature(fingerprint: $0.fingerprint.description, signer: $0.contact?.name, thisVault: $0.isThisVault, verified: $0.verified)
        }
        expired = inspection.expired
        sha256 = inspection.digest
    }
}

/// Shared by the override commands.
enum OverrideOutput {
    /// The lines both `request` and `approve` print about what the override covers; its
    /// texts came from a file, so they are printed escaped.
    static func summary(_ request: OverrideRequest, requester: HandoverParty?) -> [String] {
        var lines: [String] = []
        if let requester { lines.append("requester:      \(DisplayText.line(requester.name)) (\(requester.card.fingerprint))") }
        let recipient: String
        switch request.recipient.target {
        case .contact(let fingerprint): recipient = "\(request.recipient.name.map { DisplayText.line($0) } ?? "a contact") (\(fingerprint))"
        case .age(let text): recipient = text
        }
        lines += [
            "client:         \(request.client)",
            "recipient:      \(recipient)",
            "purpose:        \(request.purpose.rawValue)",
            "fields:         \(request.fields.joined(separator: ", "))",
            "special:        \(request.specialCategories.isEmpty ? "none" : request.specialCategories.joined(separator: ", "))",
            "citation:       \(DisplayText.line(request.citation))",
            "expires:        \(Timestamp.string(request.expires))",
        ]
        return lines
    }
}
