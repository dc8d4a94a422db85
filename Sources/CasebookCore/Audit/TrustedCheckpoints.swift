public import Foundation
public import CasebookCrypto
public import CasebookFormat

/// The checkpoints of one log found in a trusted folder, and the files there that belong
/// to other people's logs (ignored, but reported).
public struct TrustedCheckpointSet: Equatable, Sendable {
    public let checkpoints: [TrustedCheckpoint]
    public let ignored: [String]

    public init(checkpoints: [TrustedCheckpoint], ignored: [String]) {
        self.checkpoints = checkpoints
        self.ignored = ignored
    }

    public static let empty = TrustedCheckpointSet(checkpoints: [], ignored: [])
}

/// The trusted folder (docs/formats.md §9.4): checkpoints compliance already holds — from
/// earlier bundles (`audit verify --save-checkpoint`), from `casebook audit checkpoint`, from
/// packages. Only these can expose a log its owner rewrote and re-signed as a whole.
///
/// Every regular file whose name does not start with `.` must be a signed checkpoint (a C2SP
/// signed note of at most 64 KiB); sub-folders and hidden files are skipped. A checkpoint
/// for the log being verified must be signed by its owner's key; one for another origin is
/// ignored — unless the same key signed it, which means the owner keeps a second log.
public enum TrustedCheckpoints {
    /// More files than this in one folder are refused (they are all read for every verification).
    public static let maximumFileCount = 100_000

    /// Reads `directory` and sorts its checkpoints into this log's (`origin`, signed with
    /// `signer`) and other people's. Throws `CasebookError` for a folder or file that cannot
    /// be read or is not a checkpoint, `AuditLogFailure` for a checkpoint of this log the
    /// owner did not sign or one the owner signed for another log.
    public static func load(directory: URL, origin: String, signer: Ed25519.PublicKey) throws -> TrustedCheckpointSet {
        let path = directory.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CasebookError(.notFound, "the trusted folder \(path) does not exist or is not a folder",
                                remedy: .leaveOutTrustedFolder)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw CasebookError(.environment, "cannot read the trusted folder \(path)")
        }
        guard names.count <= maximumFileCount else {
            throw CasebookError(.invalidInput, "the trusted folder \(path) holds more than \(maximumFileCount) files")
        }
        var trusted: [TrustedCheckpoint] = []
        var ignored: [String] = []
        for name in names {
            let file = directory.appendingPathComponent(name)
            var info = stat()
            guard stat(file.path, &info) == 0 else { throw CasebookError(.environment, "cannot read \(file.path)") }
            if info.st_mode & S_IFMT == S_IFDIR { continue }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw CasebookError(.invalidInput, "\(file.path) in the trusted folder is not a regular file",
                                    hint: "the trusted folder holds only checkpoint files")
            }
            let bytes = try InputFile(path: file.path).readAll(atMost: SignedNote.maxNoteBytes, else: CasebookError(
                .invalidInput, "\(file.path) is not a signed checkpoint: it is larger than \(SignedNote.maxNoteBytes) bytes",
                hint: "the trusted folder holds only checkpoint files; move other files elsewhere"))
            switch try classify(name: name, bytes: bytes, origin: origin, signer: signer) {
            case .thisLog(let checkpoint): trusted.append(checkpoint)
            case .otherLog: ignored.append(name)
            }
        }
        return TrustedCheckpointSet(checkpoints: trusted, ignored: ignored)
    }

    /// Where a checkpoint file belongs.
    public enum Classification: Equatable, Sendable {
        /// A checkpoint of the log being verified, signed by its owner.
        case thisLog(TrustedCheckpoint)
        /// A checkpoint of someone else's log.
        case otherLog(origin: String)
    }

    /// Classifies one checkpoint file's bytes (see `load`).
    public static func classify(name: String, bytes: [UInt8], origin: String, signer: Ed25519.PublicKey) throws -> Classification {
        let claimed: String
        do {
            // Parsed before verification only to learn whose log it claims to be.
            claimed = try Checkpoint(parsing: SignedNote(parsing: bytes).text).origin
        } catch {
            throw CasebookError(.invalidInput, "\(name) in the trusted folder is not a signed checkpoint: \(error)",
                                remedy: .trustedFolderHoldsCheckpoints)
        }
        if claimed == origin {
            do {
                let verifier = try NoteVerifier(name: origin, publicKey: signer)
                let opened = try Checkpoint.open(bytes, origin: origin, verifiers: [verifier])
                return .thisLog(TrustedCheckpoint(name: name, checkpoint: opened.checkpoint, note: bytes))
            } catch {
                throw AuditLogFailure.trustedNotSigned(trusted: name, reason: "\(error)")
            }
        }
        if let verifier = try? NoteVerifier(name: claimed, publicKey: signer),
           (try? Checkpoint.open(bytes, origin: claimed, verifiers: [verifier])) != nil {
            throw AuditLogFailure.otherLogOfSigner(trusted: name, origin: claimed)
        }
        return .otherLog(origin: claimed)
    }

    /// The file name a saved checkpoint gets: `<vault id>-<signer>-<size>.checkpoint` for a
    /// Casebook vault's origin (the origin's other characters replaced by `_` otherwise), where
    /// `<signer>` is the first eight characters of the signer's card fingerprint: checkpoints
    /// are kept by origin and signer, so one signed by someone else under the same origin never
    /// takes a genuine one's name.
    public static func fileName(for checkpoint: Checkpoint, signer: IdentityFingerprint) -> String {
        let prefix = AuditOrigin.prefix
        let stem = checkpoint.origin.hasPrefix(prefix) ? String(checkpoint.origin.dropFirst(prefix.count)) : checkpoint.origin
        let safe = String(stem.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == ".")
                ? Character(scalar) : "_"
        })
        let key = signer.description.replacingOccurrences(of: "-", with: "").prefix(8)
        return "\(safe)-\(key)-\(checkpoint.size).checkpoint"
    }

    /// Stores `trusted`, signed by `signer`, in `directory` under `fileName(for:signer:)`, never overwriting: returns the
    /// file and whether it was created (false: the same checkpoint was already there). A
    /// different file under that name is refused (`.alreadyExists`).
    @discardableResult
    public static func save(_ trusted: TrustedCheckpoint, signer: IdentityFingerprint, in directory: URL) throws -> (url: URL, created: Bool) {
        let url = directory.appendingPathComponent(fileName(for: trusted.checkpoint, signer: signer))
        do {
            try ExclusiveFile.writePublic(trusted.note, to: url)
        } catch let error as CasebookError where error.code == .alreadyExists {
            if let existing = FileManager.default.contents(atPath: url.path), [UInt8](existing) == trusted.note {
                return (url, false)
            }
            throw CasebookError(.alreadyExists, "\(url.path) already exists with other contents",
                                hint: "look at that file: the trusted folder should hold only checkpoints")
        }
        return (url, true)
    }
}
