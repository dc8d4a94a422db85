import Foundation
import CasebookCrypto
import CasebookFormat

/// What a disclosure carries once the consent gate (or an override) and minimisation are
/// done: the records as they will leave, and the summary its audit event records.
struct MinimisedDisclosure {
    var records: [HandoverManifest.Record] = []
    /// Record ids asked for that were withheld whole, sorted.
    var excluded: [String] = []
    /// Record kinds, client references, and section keys sent and withheld, each sorted.
    var kinds: [String] = []
    var clients: [String] = []
    var sent: [String] = []
    var withheld: [String] = []
}

/// The steps handovers and exports share (BRIEF: select → evaluate → minimise → package →
/// sign → seal → audit with a fresh checkpoint and inclusion proof in the package), on
/// every service that discloses.
extension VaultService {
    /// `--fields` checked: every key a section of some record kind. Nil means all sections.
    static func wantedSections(_ fields: [String]?) throws(CasebookError) -> Set<String>? {
        guard let fields else { return nil }
        let known = Set(RecordKind.allCases.flatMap { $0.fields.map(\.key) })
        for field in fields where !known.contains(field) {
            throw CasebookError(.invalidInput, "'\(Vault.displayed(field))' is not a section of any record kind",
                                remedy: .showTemplate)
        }
        guard !fields.isEmpty else { throw CasebookError(.invalidInput, "names no section", argument: .fields) }
        return Set(fields)
    }

    /// A disclosure's free-text reason, or nil: the one-line rule (`TextRule.lineProblem`) with
    /// the manifests' limit, so what the recipient's Casebook will accept is all that is sent.
    static func validatedReason(_ raw: String?, what: String) throws(CasebookError) -> String? {
        guard let raw else { return nil }
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = HandoverManifest.maximumReasonLength
        if let problem = TextRule.lineProblem(reason, limit: limit) {
            throw CasebookError(.invalidInput, "\(what)'s reason \(problem); it is one line of at most \(limit) characters",
                                remedy: .giveReason(example: "MAPPA level 2 meeting, 3 December"))
        }
        return reason
    }

    /// The latest revisions of `ids`, all of them this vault's own records (received
    /// records go back through their sender, never onwards from here).
    func disclosableRevisions(_ ids: [String]) throws -> [RecordRevision] {
        guard !ids.isEmpty else {
            throw CasebookError(.invalidInput, "no records were selected", remedy: .selectRecords)
        }
        guard Set(ids).count == ids.count else { throw CasebookError(.invalidInput, "a record was named twice") }
        let revisions = try latestRecords(ids: ids)
        try checkRecords(revisions, against: ledger(records: true))
        for revision in revisions where revision.metadata.origin == .received {
            throw CasebookError(.invalidInput, "record \(revision.recordID) was received from \(revision.metadata.provenance?.sender ?? "someone else"); only your own records can be disclosed",
                                hint: "the sender can hand it over again if that is needed")
        }
        return revisions
    }

    /// Keeps, of each record, the sections that are both wanted and `allowed` (a record
    /// `allowed` returns nil for is withheld whole), and lists the rest as withheld.
    static func minimise(_ revisions: [RecordRevision], wanted: Set<String>?,
                         allowed: (RecordRevision) -> Set<String>?) -> MinimisedDisclosure {
        var result = MinimisedDisclosure()
        var kinds = Set<String>(), sent = Set<String>(), withheld = Set<String>()
        result.clients = Set(revisions.map(\.content.header.client.rawValue)).sorted()
        for revision in revisions {
            guard let allowed = allowed(revision) else {
                result.excluded.append(revision.recordID)
                continue
            }
            let content = revision.content
            let header = content.header
            let order = header.kind.fields.map(\.key).filter { content.sections[$0] != nil }
            let kept = order.filter { (wanted?.contains($0) ?? true) && allowed.contains($0) }
            let left = order.filter { !kept.contains($0) }
            kinds.insert(header.kind.rawValue)
            sent.formUnion(kept)
            withheld.formUnion(left)
            result.records.append(HandoverManifest.Record(
                id: revision.recordID, revision: revision.revision, author: revision.metadata.author,
                recordedAt: revision.metadata.recordedAt, kind: header.kind.rawValue, client: header.client.rawValue,
                start: header.start.canonical, duration: header.durationMinutes, modality: header.modality.rawValue,
                attendance: header.attendance.rawValue, labels: header.labels, sharingSummary: header.sharingSummary,
                sections: Dictionary(uniqueKeysWithValues: kept.map { ($0, content.sections[$0]!) }), withheld: left))
        }
        result.excluded.sort()
        result.kinds = kinds.sorted()
        result.sent = sent.sorted()
        result.withheld = withheld.sorted()
        return result
    }

    /// This vault's identity card as sent in a package (name, role, keys).
    func senderCard(created: String) throws -> IdentityCard {
        do {
            return try IdentityCard.make(name: profile.name, role: profile.role.rawValue, created: created, identity: identity)
        } catch {
            throw CasebookError(.internalError, "cannot make this vault's identity card: \(error)")
        }
    }

    /// Signs a package document (`name` is for the error) with the vault's minisign key.
    /// `comment` is the trusted comment.
    func signedDocument(_ contents: [UInt8], name: String, comment: String) throws -> SignedDocument {
        let signature: String
        do {
            signature = try MinisignSignature.sign(message: contents, key: identity.signing, keyID: identity.signingKeyID,
                                                   trustedComment: comment, untrustedComment: "signature from casebook secret key")
        } catch {
            throw CasebookError(.internalError, "cannot sign \(name): \(error)")
        }
        return SignedDocument(contents: contents, signature: Array(signature.utf8))
    }

    /// In one transaction: appends the package's audit event (`audit` gets the writer),
    /// proves it into a freshly signed checkpoint, packs the signed documents and that proof
    /// into a ustar archive, seals it with age to `recipients` and creates `url` (never
    /// overwriting, `0600`). If any step fails, neither the event nor the file remains.
    func writePackage(
        _ layout: PackageLayout, manifest: SignedDocument, markdown: SignedDocument? = nil, to recipients: [any AgeRecipient],
        armor: Bool, at url: URL, audit: (any VaultStoreWriter) throws -> AuditEvent
    ) throws {
        try writeAuditedFile(at: url) { writer in
            let event = try audit(writer)
            let proof = try packageAuditProof(for: event, writer: writer)
            let mtime = UInt64(max(0, clock.now().timeIntervalSince1970))
            do {
                let archive = try SignedPackage(layout: layout, manifest: manifest, markdown: markdown, audit: proof)
                    .archive(modificationTime: mtime)
                return try Age.encrypt(archive, to: recipients, armor: armor)
            } catch {
                throw CasebookError(.internalError, "cannot build the package: \(error)")
            }
        }
    }

    /// Inside one transaction, runs `contents` (which appends the audit event and returns
    /// the file's bytes) and creates `url` with them (never overwriting, `0600`): the file
    /// exists exactly when its event does.
    func writeAuditedFile(at url: URL, contents: (any VaultStoreWriter) throws -> [UInt8]) throws {
        var created = false
        do {
            try store.write { writer in
                let file = try contents(writer)
                try PackageFile.create(at: url, contents: file)
                created = true
            }
        } catch {
            if created { unlink(url.path) }
            throw error
        }
    }
}
