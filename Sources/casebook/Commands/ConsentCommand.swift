import ArgumentParser
import CasebookCore
import CasebookFormat
import Foundation

struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Record, list, show and withdraw clients' consent to disclosure.",
        discussion: """
            A consent says what of a client's records may (grant) or may not (deny) leave the
            vault, to whom, for which purposes, and when (docs/consent.md). Consents are
            append-only: a withdrawal is recorded as a new version, and is final. Consents
            are stored encrypted under the client's data key: erasing the client erases them.
            """,
        subcommands: [ConsentGrant.self, ConsentDeny.self, ConsentList.self, ConsentShow.self, ConsentWithdraw.self]
    )
}

/// The options of `consent grant` and `consent deny`: one provision, its validity and evidence.
struct ConsentProvisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The client reference.", valueName: "ref"))
    var client: String

    @Option(name: .customLong("purpose"),
            help: ArgumentHelp("A purpose (repeatable): " + ConsentPurpose.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                               valueName: "purpose"))
    var purposes: [String] = []

    @Option(name: .customLong("to"),
            help: ArgumentHelp("A recipient (repeatable): a contact's name, org:NAME or role:ROLE.", valueName: "recipient"))
    var recipients: [String] = []

    @Option(help: ArgumentHelp("Only these record kinds (comma-separated).", valueName: "kinds"))
    var kinds: String?

    @Option(help: ArgumentHelp("Only these sections (comma-separated section keys).", valueName: "fields"))
    var fields: String?

    @Option(help: ArgumentHelp("Only records carrying one of these labels (comma-separated).", valueName: "labels"))
    var labels: String?

    @Option(help: ArgumentHelp("Only these actions (comma-separated): handover, export.", valueName: "actions"))
    var actions: String?

    @Option(help: ArgumentHelp("Only sessions from the start of this day.", valueName: "YYYY-MM-DD"))
    var dataFrom: String?

    @Option(help: ArgumentHelp("Only sessions up to the end of this day.", valueName: "YYYY-MM-DD"))
    var dataUntil: String?

    @Option(help: ArgumentHelp("The consent is valid from the start of this day.", valueName: "YYYY-MM-DD"))
    var validFrom: String

    @Option(help: ArgumentHelp("The consent is valid up to the end of this day.", valueName: "YYYY-MM-DD"))
    var validUntil: String

    @Option(help: ArgumentHelp("How consent was obtained: written, verbal or electronic.", valueName: "method"))
    var method: String

    @Option(help: ArgumentHelp("The signed form or other evidence: its SHA-256 is recorded, the file is never stored.",
                               valueName: "file"))
    var evidence: String?

    /// Everything that can be checked before the vault is opened; the `--to` values that
    /// name contacts are resolved by the vault when it records the consent.
    func draft(effect: ConsentEffect, evidenceSHA256: String?) throws -> ConsentDraft {
        let client = try ClientReference(client)
        guard !purposes.isEmpty else {
            throw CommandError(.usage, "give at least one --purpose",
                                hint: "the purposes are: " + ConsentPurpose.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let purposes = Set(try purposes.map(ConsentPurpose.parse))
        let kinds = Set(try Self.list(self.kinds, "--kinds").map(RecordKind.parse))
        let fields = Set(try Self.list(self.fields, "--fields"))
        let labels = Set(try Self.list(self.labels, "--labels"))
        let actions = Set(try Self.list(self.actions, "--actions").map(DisclosureAction.parse))
        let dataFrom = try dataFrom.map { try DateBound.parse($0, endOfDay: false, argument: .dataFrom) }
        let dataUntil = try dataUntil.map { try DateBound.parse($0, endOfDay: true, argument: .dataUntil) }
        let validFrom = try DateBound.parse(validFrom, endOfDay: false, argument: .validFrom)
        let validUntil = try DateBound.parse(validUntil, endOfDay: true, argument: .validUntil)
        let method = try ConsentMethod.parse(method)
        return ConsentDraft(effect: effect, client: client, purposes: purposes, recipients: recipients.map(ConsentRecipientName.init),
                            kinds: kinds, fields: fields, labels: labels, actions: actions, dataFrom: dataFrom, dataUntil: dataUntil,
                            validFrom: validFrom, validUntil: validUntil, method: method, evidenceSHA256: evidenceSHA256)
    }

    /// A comma-separated list, or none.
    private static func list(_ text: String?, _ flag: String) throws -> [String] {
        try text.map { try CommaList.parse($0, flag: flag) } ?? []
    }

    /// SHA-256 of the evidence file, read in 64 KiB pieces (a scanned form can be large).
    private static func evidenceHash(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandError(.notFound, "cannot read the evidence file \(path)", hint: "check the path; the file is hashed, never stored")
        }
        defer { try? handle.close() }
        var evidence = ConsentEvidence()
        do {
            while let piece = try handle.read(upToCount: 65_536), !piece.isEmpty {
                evidence.update([UInt8](piece))
            }
        } catch {
            throw CommandError(.notFound, "cannot read the evidence file \(path)", hint: "check the path; the file is hashed, never stored")
        }
        return try evidence.finalize(source: path)
    }

    func record(effect: ConsentEffect, vault options: VaultOptions) throws {
        // Check the command line before asking for the passphrase.
        let evidenceSHA256 = try evidence.map(Self.evidenceHash)
        let draft = try draft(effect: effect, evidenceSHA256: evidenceSHA256)
        let recorded = try options.open(readOnly: false).consents.record(draft)
        print("Recorded consent \(recorded.id) (version 1) for client \(recorded.client): \(effect == .permit ? "grant" : "deny").")
        print("canonical hash: \(recorded.canonicalHash)")
    }
}

struct ConsentGrant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Record a client's consent: one permit provision.",
        discussion: """
            Example: casebook consent grant --client C-0042 --purpose supervision --to "Dr Sam Example"
              --valid-from 2026-01-01 --valid-until 2026-12-31 --method written --evidence form.pdf
            --to NAME names a contact (by its name in this vault; it is recorded by its card
            fingerprint). --valid-until and --data-until include the day given.

            Exit statuses: 2 a missing option or a bad date; 3 an unknown purpose, method,
            kind, action or section, an invalid org:/role: token or an invalid consent; 4 an
            unknown contact or an unreadable evidence file; 3 the client reference was erased.
            """)

    @OptionGroup var vault: VaultOptions
    @OptionGroup var consent: ConsentProvisionOptions

    func run() throws {
        try consent.record(effect: .permit, vault: vault)
    }
}

struct ConsentDeny: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Record a client's refusal: one deny provision.",
        discussion: """
            The same options as 'consent grant'; without --to the refusal covers every recipient.

            Exit statuses: as for 'consent grant'.
            """)

    @OptionGroup var vault: VaultOptions
    @OptionGroup var consent: ConsentProvisionOptions

    func run() throws {
        try consent.record(effect: .deny, vault: vault)
    }
}

struct ConsentList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List consents (the latest version of each), by client.",
        discussion: "Exit statuses: 3 an invalid --client reference.")

    @OptionGroup var vault: VaultOptions

    @Option(help: ArgumentHelp("Only this client's consents.", valueName: "ref"))
    var client: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let client = try client.map { try ClientReference($0) }
        let consents = try vault.open(readOnly: true).consents.list(client: client)
        let now = Date()
        if json {
            try ConsentOutput.printJSON(consents.map { ConsentOutput.object($0, now: now) })
            return
        }
        guard !consents.isEmpty else {
            print("No consents\(client.map { " for client \($0)" } ?? ""). Record one with 'casebook consent grant'.")
            return
        }
        for consent in consents {
            let effects = consent.provisions.map(\.effect.rawValue).joined(separator: ",")
            print("\(consent.id)  v\(consent.version)  \(consent.client)  \(effects)  \(consent.method.rawValue)  "
                  + "valid \(Timestamp.string(consent.validFrom)) to \(Timestamp.string(consent.validUntil))  \(ConsentOutput.status(consent, now: now))")
        }
    }
}

struct ConsentShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the latest version of a consent.",
        discussion: "Exit statuses: 3 not a consent id; 4 no such consent (or its client was erased).")

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The consent id.", valueName: "id"))
    var id: String

    @Flag(help: "Print JSON (the canonical form, with its hash and status).")
    var json = false

    func run() throws {
        let consent = try vault.open(readOnly: true).consents.consent(id: id)
        let now = Date()
        if json {
            try ConsentOutput.printJSON(ConsentOutput.object(consent, now: now))
            return
        }
        var lines = [
            "consent:     \(consent.id) (version \(consent.version))",
            "client:      \(consent.client)",
            "status:      \(ConsentOutput.status(consent, now: now))",
            "recorded:    \(Timestamp.string(consent.recordedAt)) by \(consent.recordedBy)",
            "method:      \(consent.method.rawValue)",
        ]
        if let evidence = consent.evidenceSHA256 { lines.append("evidence:    sha256 \(evidence)") }
        lines.append("valid:       from \(Timestamp.string(consent.validFrom)) until \(Timestamp.string(consent.validUntil)) (exclusive)")
        if let withdrawal = consent.withdrawal {
            lines.append("withdrawn:   \(Timestamp.string(withdrawal.time)): \(withdrawal.reason)")
        }
        lines.append("hash:        \(consent.canonicalHash)")
        for (offset, provision) in consent.provisions.enumerated() {
            lines.append("provision \(offset + 1): \(provision.effect.rawValue)")
            func add(_ name: String, _ values: [String]) {
                lines.append("  \(name) \(values.isEmpty ? "(any)" : values.joined(separator: ", "))")
            }
            add("purposes:  ", provision.purposes.sorted().map(\.rawValue))
            add("recipients:", provision.recipients.map(\.description).sorted())
            add("actions:   ", provision.actions.sorted().map(\.rawValue))
            add("kinds:     ", provision.kinds.map(\.rawValue).sorted())
            add("fields:    ", provision.fields.sorted())
            add("labels:    ", provision.labels.sorted())
            if provision.dataFrom != nil || provision.dataUntil != nil {
                lines.append("  sessions:   from \(provision.dataFrom.map(Timestamp.string) ?? "any time") until \(provision.dataUntil.map(Timestamp.string) ?? "any time")")
            }
        }
        // Recipients are contacts, named as their cards named them: each line printed escaped.
        print(lines.map { DisplayText.line($0) }.joined(separator: "\n"))
    }
}

struct ConsentWithdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Withdraw a consent (a new, final version; audited).",
        discussion: """
            Not retroactive: what was disclosed before stays disclosed, nothing new leaves
            under this consent from now on.

            Exit statuses: 3 not a consent id or an invalid reason; 4 no such consent;
            8 already withdrawn.
            """)

    @OptionGroup var vault: VaultOptions

    @Argument(help: ArgumentHelp("The consent id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("Why (one line, at most 500 characters).", valueName: "text"))
    var reason: String

    func run() throws {
        let withdrawn = try vault.open(readOnly: false).consents.withdraw(id: id, reason: reason)
        print("Withdrew consent \(withdrawn.id): version \(withdrawn.version) records the withdrawal at \(Timestamp.string(withdrawn.withdrawal!.time)).")
        print("What was disclosed before stays disclosed; nothing new leaves under this consent.")
    }
}

/// Shared output of `consent list` and `consent show`.
enum ConsentOutput {
    static func status(_ consent: Consent, now: Date) -> String {
        consent.status(at: now).description
    }

    /// The canonical form as a JSON object, with `canonical-hash` and `status` added.
    static func object(_ consent: Consent, now: Date) -> [String: Any] {
        var object = (try? JSONSerialization.jsonObject(with: Data(consent.canonicalBytes()))) as? [String: Any] ?? [:]
        object["canonical-hash"] = consent.canonicalHash
        object["status"] = status(consent, now: now)
        return object
    }

    static func printJSON(_ value: Any) throws {
        var data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(10)
        FileHandle.standardOutput.write(data)
    }
}
