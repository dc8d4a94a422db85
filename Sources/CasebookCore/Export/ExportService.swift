public import Foundation
import CasebookCrypto
public import CasebookFormat

/// One export to evaluate and carry out (see ``ExportService/export(_:armor:writingTo:)``).
public struct ExportRequest {
    public var client: ClientReference
    /// Only these kinds (all when empty).
    public var kinds: [RecordKind]
    /// Only sessions that started on or after this time.
    public var since: Date?
    public var recipient: ExportRecipient
    public var purpose: ConsentPurpose
    public var reason: String?
    /// Only these sections (`--fields`); all when nil.
    public var fields: [String]?
    /// Also write the readable `export.md` (`--format markdown`).
    public var markdown: Bool
    public var acceptPartial: Bool
    /// An approved lawful-basis override (the approval file's bytes, docs/formats.md §8): the
    /// basis instead of consent. It is checked inside the export, so a refusal is audited.
    public var overrideApproval: [UInt8]?

    public init(client: ClientReference, kinds: [RecordKind] = [], since: Date? = nil, recipient: ExportRecipient,
                purpose: ConsentPurpose, reason: String? = nil, fields: [String]? = nil, markdown: Bool = false,
                acceptPartial: Bool = false, overrideApproval: [UInt8]? = nil) {
        self.overrideApproval = overrideApproval
        self.client = client
        self.kinds = kinds
        self.since = since
        self.recipient = recipient
        self.purpose = purpose
        self.reason = reason
        self.fields = fields
        self.markdown = markdown
        self.acceptPartial = acceptPartial
    }
}

/// What an export sent, and what it left out and why (for the sender's eyes only: the
/// package lists withheld sections, not the reasons, see docs/consent.md §7).
public struct ExportOutcome: Sendable {
    public let manifest: ExportManifest
    public let withheldReasons: [String]
    /// Records of the client received from someone else, never exported from here.
    public let receivedLeftOut: Int
}

/// Exports (docs/formats.md §7), reached as `vault.exports`: the disclosure pipeline for
/// people outside Casebook.
public struct ExportService: VaultService {
    let context: VaultContext

    /// Evaluates, minimises, packages (`export.json`, optionally `export.md`, each signed,
    /// plus the audit proof), seals to the recipient and writes `url` (never overwriting),
    /// audited as `export.sealed`. A refusal writes nothing and is audited as `export.refused`;
    /// so is a failure to write after the decision (an aborted export).
    @discardableResult
    public func export(_ request: ExportRequest, armor: Bool, writingTo url: URL) throws -> ExportOutcome {
        guard let sealer = request.recipient.sealer else {
            throw CasebookError(.invalidArgument, "a plaintext export goes to standard output; use exportPlaintext")
        }
        try ExclusiveFile.checkAbsent(url.path)
        let plan = try exportPlan(request, delivery: "sealed")
        let json = plan.manifest.encoded()
        let comment = "casebook export \(plan.manifest.id) from \(plan.manifest.sender.fingerprint) created \(plan.manifest.created)"
        let layout = PackageLayout.export
        let signed = try signedDocument(json, name: layout.manifestName, comment: comment)
        let markdown = try request.markdown ? signedDocument(Array(ExportDocument.markdown(plan.manifest).utf8),
                                                             name: layout.markdownName ?? "", comment: comment) : nil
        do {
            try writePackage(layout, manifest: signed, markdown: markdown, to: [sealer], armor: armor, at: url) { writer in
                try append(.exportSealed(plan.disclosure(digest: Hex.encode(SHA256.hash(json))),
                                         plan.mention(request.markdown ? "sealed, json and markdown" : "sealed, json")), in: writer)
            }
        } catch {
            let why = (error as? CasebookError)?.message ?? "\(error)"
            try? store.write { writer in
                try auditRefusal(writer, request, plan.manifest.basis, considered: plan.considered, clients: plan.minimised.clients,
                                 detail: "aborted: " + String(why.prefix(200)))
            }
            throw error
        }
        return ExportOutcome(manifest: plan.manifest, withheldReasons: plan.withheldReasons, receivedLeftOut: plan.receivedLeftOut)
    }

    /// The same decision, but the document (`export.json`, or `export.md` when `markdown`) is
    /// returned for printing instead of sealed: audited as `export.plaintext` with the digest
    /// of exactly the bytes returned, before they are returned.
    public func exportPlaintext(_ request: ExportRequest) throws -> (outcome: ExportOutcome, document: [UInt8]) {
        let plan = try exportPlan(request, delivery: "plaintext")
        let document = request.markdown ? Array(ExportDocument.markdown(plan.manifest).utf8) : plan.manifest.encoded() + [10]
        _ = try store.write { writer in
            try append(.exportPlaintext(plan.disclosure(digest: Hex.encode(SHA256.hash(document))),
                                        plan.mention(request.markdown ? "plaintext to standard output, markdown" : "plaintext to standard output, json")),
                       in: writer)
        }
        return (ExportOutcome(manifest: plan.manifest, withheldReasons: plan.withheldReasons, receivedLeftOut: plan.receivedLeftOut), document)
    }

    // MARK: The shared decision

    private struct ExportPlan {
        var request: ExportRequest
        var manifest: ExportManifest
        var minimised: MinimisedDisclosure
        var override: ApprovedOverride?
        var withheldReasons: [String]
        var receivedLeftOut: Int
        var considered: [String]

        /// The audit event's account of what left.
        func disclosure(digest: String) -> AuditEntry.Disclosure {
            .init(minimised, digest: digest, recipients: [request.recipient.auditName], purpose: request.purpose, basis: manifest.basis,
                  considered: considered)
        }

        /// The audit event's export part: `delivery` in a few words, and the override relied on.
        func mention(_ delivery: String) -> AuditEntry.ExportMention {
            .init(id: manifest.id, contact: request.recipient.description.name, delivery: delivery, override: override?.id,
                  approval: override?.digest)
        }
    }

    /// Selects the client's records, runs the consent gate (auditing a refusal), minimises,
    /// and builds the manifest.
    private func exportPlan(_ request: ExportRequest, delivery: String) throws -> ExportPlan {
        let reason = try Self.validatedReason(request.reason, what: "an export")
        let wanted = try Self.wantedSections(request.fields)
        let listed = try listings(RecordFilter(client: request.client, since: request.since))
            .filter { request.kinds.isEmpty || request.kinds.contains($0.kind) }
            .sorted { ($0.start.date, $0.recordID) < ($1.start.date, $1.recordID) }
        guard !listed.isEmpty else {
            throw CasebookError(.notFound, "no records of \(request.client) match",
                                remedy: .listRecords(client: request.client.rawValue))
        }
        // Read once: received records are left out here (they go back through their sender),
        // so what remains is exactly what disclosableRevisions would return.
        let all = try latestRecords(ids: listed.map(\.recordID))
        try checkRecords(all, against: ledger(records: true))
        let revisions = all.filter { $0.metadata.origin != .received }
        guard !revisions.isEmpty else {
            throw CasebookError(.invalidInput, "every matching record of \(request.client) was received from someone else; only your own records can be exported",
                                hint: "the sender can disclose them")
        }
        let decision = request.overrideApproval == nil
            ? try consentDecision(request, revisions, wanted: wanted)
            : try overrideDecision(request, revisions, wanted: wanted)
        let minimised = Self.minimise(revisions, wanted: wanted) { revision in
            decision.excluded[revision.recordID] == nil ? (decision.allowed[revision.recordID] ?? []) : nil
        }
        let created = Timestamp.string(clock.now())
        let card = try senderCard(created: created)
        let manifest = ExportManifest(
            format: ExportManifest.formatName, id: Hex.encode(SecureRandom.bytes(16)), created: created,
            sender: .init(card: card.rendered(), fingerprint: card.fingerprint.description),
            recipient: request.recipient.description, delivery: delivery, purpose: request.purpose.rawValue, reason: reason,
            client: request.client.rawValue, basis: decision.basis, fields: request.fields, records: minimised.records)
        return ExportPlan(request: request, manifest: manifest, minimised: minimised, override: decision.override,
                          withheldReasons: decision.withheldReasons, receivedLeftOut: all.count - revisions.count,
                          considered: decision.considered)
    }

    /// What an export may carry, decided by consent or by an override.
    private struct ExportDecision {
        var allowed: [String: Set<String>]
        var excluded: [String: String]
        var withheldReasons: [String]
        var basis: [String]
        var considered: [String]
        var override: ApprovedOverride?
    }

    /// The consent gate; a deny, or a partial result not accepted, is audited and refused.
    private func consentDecision(_ request: ExportRequest, _ revisions: [RecordRevision], wanted: Set<String>?) throws -> ExportDecision {
        let gate = try consentGate(revisions, wanted: wanted, recipients: [request.recipient.disclosure], purpose: request.purpose,
                                   action: .export)
        try gate.enforce(on: revisions, acceptPartial: request.acceptPartial, what: "this export", consent: "the client's consent",
                         denyRemedy: .grantConsentOrOverrideForExport(client: request.client.rawValue, purpose: request.purpose.rawValue)) { detail in
            _ = try store.write { writer in
                try auditRefusal(writer, request, gate.basis, considered: gate.considered, clients: [request.client.rawValue], detail: detail,
                                 records: revisions.map(\.recordID))
            }
        }
        return ExportDecision(allowed: gate.allowed, excluded: gate.excluded, withheldReasons: gate.withheldLines,
                              basis: gate.basis, considered: gate.considered, override: nil)
    }

    /// Consent first, then a lawful-basis override for what consent withholds (docs/consent.md
    /// §4.3). The override must be this vault's own request, countersigned by a supervisor
    /// contact, unexpired, and name this client, recipient and purpose; it releases the
    /// sections it names of records whose special categories it names. What neither basis
    /// covers is withheld, which needs --accept-partial. Every policy refusal is audited.
    private func overrideDecision(_ request: ExportRequest, _ revisions: [RecordRevision], wanted: Set<String>?) throws -> ExportDecision {
        func refuse(_ error: CasebookError, override: String?, basis: [String], considered: [String] = []) throws -> Never {
            _ = try store.write { writer in
                try auditRefusal(writer, request, basis, considered: considered, clients: [request.client.rawValue],
                                 detail: "override refused: " + String(error.message.prefix(200)),
                                 records: revisions.map(\.recordID), override: override)
            }
            throw error
        }
        let approved: ApprovedOverride
        do {
            approved = try OverrideService(context: context).verified(request.overrideApproval ?? [], approver: contacts.party(withFingerprint:))
            guard let target = request.recipient.overrideTarget else {
                throw CasebookError(.refused, "an override names a contact or an age1… recipient; it cannot cover an export sealed to a passphrase",
                                    remedy: .exportToOverrideRecipient)
            }
            // Client, recipient and purpose must be the override's; sections and special
            // categories are matched record by record below.
            try approved.check(client: request.client, recipient: target, purpose: request.purpose)
        } catch let error as CasebookError where error.code == .refused {
            // A policy refusal is audited; a file that is not an approval, or one that was
            // altered, is bad input and leaves the vault exactly as it was.
            try refuse(error, override: nil, basis: [])
        }
        let gate = try consentGate(revisions, wanted: wanted, recipients: [request.recipient.disclosure], purpose: request.purpose,
                                   action: .export)
        // One client, one recipient: one consent decision, combined with the override by the
        // pure evaluator.
        guard gate.evaluations.count == 1, let evaluation = gate.evaluations.first else {
            throw CasebookError(.internalError, "an export evaluated \(gate.evaluations.count) consent decisions instead of one")
        }
        let combined = ConsentEvaluator.combine(evaluation.decision, records: evaluation.request.records, override: approved.coverage)
        let basis = gate.basis + (combined.usedOverride ? [approved.basis] : [])
        if let refusal = combined.refusal(acceptPartial: request.acceptPartial) {
            let listed = ConsentGateResult.summary(refusal.lines)
            try refuse(CasebookError(.refused, "consent and override \(approved.id) cover this export \(refusal.none ? "for none of the records" : "only in part"): \(listed)",
                                     remedy: refusal.none ? .requestOverrideNamingSpecialCategories : .acceptPartialOrChooseOverrideFields),
                       override: approved.id, basis: basis, considered: gate.considered)
        }
        return ExportDecision(allowed: combined.allowed, excluded: combined.excluded, withheldReasons: combined.withheldLines,
                              basis: basis, considered: gate.considered, override: combined.usedOverride ? approved : nil)
    }

    private func auditRefusal(_ writer: any VaultStoreWriter, _ request: ExportRequest, _ basis: [String], considered: [String] = [],
                              clients: [String], detail: String, records: [String]? = nil, override: String? = nil) throws {
        try append(.exportRefused(.init(records: records, recipients: [request.recipient.auditName], purpose: request.purpose,
                                        fields: request.fields, basis: basis, considered: considered, clients: clients, detail: detail,
                                        contact: request.recipient.description.name, override: override)), in: writer)
    }
}
