public import CasebookCrypto

/// Which documents a package carries and what it is called in messages: a handover holds
/// `handover.json`; an export `export.json` and, optionally, `export.md` (docs/formats.md §3, §7).
public struct PackageLayout: Equatable, Sendable {
    /// `handover` or `export`, as messages name the package.
    public let noun: String
    public let manifestName: String
    /// The readable copy a package may carry after the manifest.
    public let markdownName: String?

    public static let handover = PackageLayout(noun: "handover", manifestName: "handover.json", markdownName: nil)
    public static let export = PackageLayout(noun: "export", manifestName: "export.json", markdownName: "export.md")

    /// The archive's member names, in order.
    public func entryNames(markdown: Bool) -> [String] {
        var names = [manifestName, manifestName + SignedDocument.signatureSuffix]
        if markdown, let markdownName { names += [markdownName, markdownName + SignedDocument.signatureSuffix] }
        return names + PackageAuditProof.fileNames
    }
}

/// A document and its minisign signature (the `.minisig` member beside it), both as bytes.
public struct SignedDocument: Equatable, Sendable {
    public static let signatureSuffix = ".minisig"
    public let contents: [UInt8]
    public let signature: [UInt8]

    public init(contents: [UInt8], signature: [UInt8]) {
        self.contents = contents
        self.signature = signature
    }
}

/// A handover or export package: the ustar archive sealed inside the age file. One type for
/// the writer and the reader, so both agree on member names and order; the reader checks
/// them strictly and hands out members by role, never by position.
public struct SignedPackage: Equatable, Sendable {
    public let layout: PackageLayout
    public let manifest: SignedDocument
    public let markdown: SignedDocument?
    /// The audit members as sent: the event, `audit-proof.json` and the signed checkpoint.
    /// Kept as bytes; `verifyAudit` parses and checks them.
    public let auditEvent: [UInt8]
    public let auditProof: [UInt8]
    public let auditCheckpoint: [UInt8]

    public init(layout: PackageLayout, manifest: SignedDocument, markdown: SignedDocument? = nil, audit: PackageAuditProof) {
        self.init(layout: layout, manifest: manifest, markdown: markdown,
                  auditEvent: audit.event, auditProof: audit.proof.encoded(), auditCheckpoint: audit.checkpoint)
    }

    private init(layout: PackageLayout, manifest: SignedDocument, markdown: SignedDocument?,
                 auditEvent: [UInt8], auditProof: [UInt8], auditCheckpoint: [UInt8]) {
        precondition(markdown == nil || layout.markdownName != nil, "this layout has no readable copy")
        self.layout = layout
        self.manifest = manifest
        self.markdown = markdown
        self.auditEvent = auditEvent
        self.auditProof = auditProof
        self.auditCheckpoint = auditCheckpoint
    }

    /// The members in archive order, each stamped with `modificationTime`.
    public func entries(modificationTime: UInt64) -> [UstarArchive.Entry] {
        var contents = [manifest.contents, manifest.signature]
        if let markdown { contents += [markdown.contents, markdown.signature] }
        contents += [auditEvent, auditProof, auditCheckpoint]
        return zip(layout.entryNames(markdown: markdown != nil), contents).map {
            UstarArchive.Entry(name: $0, contents: $1, modificationTime: modificationTime)
        }
    }

    /// The ustar archive.
    public func archive(modificationTime: UInt64) throws(UstarError) -> [UInt8] {
        try UstarArchive.write(entries(modificationTime: modificationTime))
    }

    /// Reads an archive strictly: a well-formed ustar archive of at most `maximumBytes` whose
    /// members are exactly the layout's, in order.
    public static func read(_ archive: [UInt8], layout: PackageLayout, maximumBytes: Int) throws(WireFormatError) -> SignedPackage {
        let withMarkdown = layout.entryNames(markdown: true)
        let entries: [UstarArchive.Entry]
        do {
            entries = try UstarArchive.read(archive, limits: .init(maximumEntryCount: withMarkdown.count, maximumTotalByteCount: maximumBytes))
        } catch {
            throw WireFormatError(.invalid, "the \(layout.noun)'s archive is malformed: \(error)")
        }
        let names = entries.map(\.name)
        let markdown = layout.markdownName != nil && names == withMarkdown
        guard markdown || names == layout.entryNames(markdown: false) else {
            throw WireFormatError(.invalid, "the \(layout.noun)'s archive must hold \(layout.described), in that order",
                                  hint: "it was made by another program or another version of Casebook")
        }
        let contents = entries.map(\.contents)
        let audit = contents.suffix(PackageAuditProof.fileNames.count).map { $0 }
        return SignedPackage(layout: layout, manifest: SignedDocument(contents: contents[0], signature: contents[1]),
                             markdown: markdown ? SignedDocument(contents: contents[2], signature: contents[3]) : nil,
                             auditEvent: audit[0], auditProof: audit[1], auditCheckpoint: audit[2])
    }

    /// Checks the audit members against this package's manifest (see `PackageAuditProof.verify`).
    public func verifyAudit(signer: Ed25519.PublicKey, action: AuditAction, packageID: String) throws(WireFormatError) -> PackageAuditProof.Verified {
        try PackageAuditProof.verify(event: auditEvent, proof: auditProof, checkpoint: auditCheckpoint, signer: signer,
                                     action: action, packageID: packageID, manifest: manifest.contents)
    }
}

extension PackageLayout {
    /// The member list as messages give it.
    var described: String {
        guard let markdownName else { return entryNames(markdown: false).joined(separator: ", ") }
        let signature = SignedDocument.signatureSuffix
        return "\(manifestName), \(manifestName)\(signature), optionally \(markdownName) and \(markdownName)\(signature), then "
            + PackageAuditProof.fileNames.joined(separator: ", ")
    }
}
