public import CasebookCrypto

/// Why a checkpoint was refused.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The signed note around it was refused or did not verify.
    case note(SignedNoteError)
    case missingFinalNewline
    /// Fewer than three lines (origin, size, root).
    case tooFewLines
    /// An origin that is empty or contains white space, `+` or a control character.
    case invalidOrigin(String)
    case originMismatch(expected: String, found: String)
    /// The size line is not a decimal without leading zeros that fits in 64 bits.
    case invalidTreeSize(String)
    /// The root line is not canonical base64 of 32 bytes.
    case invalidRootHash(String)
    /// An empty line where an extension line (or any line) is expected, 1-based.
    case emptyLine(line: Int)
    /// Text that a signed note could not carry (control characters, too long, not UTF-8).
    case invalidText(String)

    public var description: String {
        switch self {
        case let .note(error): "checkpoint note: \(error)"
        case .missingFinalNewline: "checkpoint text does not end with a newline"
        case .tooFewLines: "checkpoint has fewer than three lines"
        case let .invalidOrigin(origin): "invalid checkpoint origin \(String(reflecting: origin))"
        case let .originMismatch(expected, found): "checkpoint origin is \(String(reflecting: found)), expected \(String(reflecting: expected))"
        case let .invalidTreeSize(text): "invalid tree size \(String(reflecting: text))"
        case let .invalidRootHash(text): "invalid root hash \(String(reflecting: text))"
        case let .emptyLine(line): "checkpoint line \(line) is empty"
        case let .invalidText(why): "invalid checkpoint text: \(why)"
        }
    }
}

/// A C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text
///
///     <origin>\n<tree size, decimal>\n<base64 root hash>\n[<extension line>\n]*
///
/// signed as a C2SP signed note whose key name is the origin.
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let size: UInt64
    public let rootHash: MerkleHash
    public let extensionLines: [String]

    /// Validates: the origin is a valid note key name (non-empty, no white space, no `+`, no
    /// control character; Casebook requires what the spec only recommends, so that the origin
    /// can be the signing key's name), and every extension line is non-empty, without control
    /// characters and no longer than a note line may be.
    public init(origin: String, size: UInt64, rootHash: MerkleHash, extensionLines: [String] = []) throws(CheckpointError) {
        guard NoteVerifier.isValidKeyName(origin), origin.utf8.count <= SignedNote.maxLineBytes else {
            throw .invalidOrigin(origin)
        }
        for (offset, line) in extensionLines.enumerated() {
            guard !line.isEmpty else { throw .emptyLine(line: 4 + offset) }
            guard line.utf8.count <= SignedNote.maxLineBytes, !line.utf8.contains(where: { $0 < 0x20 }) else {
                throw .invalidText("extension line \(offset + 1) has a control character or is too long")
            }
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// Parses checkpoint text (a note's text, final newline included) strictly.
    public init(parsing text: String) throws(CheckpointError) {
        guard text.utf8.last == 0x0A else { throw .missingFinalNewline }
        let lines = text.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        for (offset, line) in lines.enumerated() where line.isEmpty { throw .emptyLine(line: offset + 1) }
        guard lines.count >= 3 else { throw .tooFewLines }
        guard let size = Self.parseTreeSize(lines[1]) else { throw .invalidTreeSize(lines[1]) }
        guard let root = MerkleHash(base64: lines[2]) else { throw .invalidRootHash(lines[2]) }
        try self.init(origin: lines[0], size: size, rootHash: root, extensionLines: Array(lines[3...]))
    }

    /// The note text.
    public var text: String {
        ([origin, String(size), rootHash.base64] + extensionLines).map { $0 + "\n" }.joined()
    }

    /// The checkpoint signed with an Ed25519 key whose key name is the origin.
    public func signed(privateKey: borrowing Ed25519.PrivateKey) throws(CheckpointError) -> SignedNote {
        do {
            return try SignedNote.sign(text: text, keyName: origin, privateKey: privateKey)
        } catch {
            throw .note(error)
        }
    }

    /// Opens a signed checkpoint: verifies the note against `verifiers` first (nothing in the
    /// text is looked at before), then parses the text and requires `origin`.
    public static func open(
        _ note: some ContiguousBytesView, origin: String, verifiers: [NoteVerifier]
    ) throws(CheckpointError) -> (checkpoint: Checkpoint, note: VerifiedNote) {
        let verified: VerifiedNote
        do {
            verified = try SignedNote(parsing: note).verify(verifiers)
        } catch {
            throw .note(error)
        }
        let checkpoint = try Checkpoint(parsing: verified.text)
        guard checkpoint.origin == origin else { throw .originMismatch(expected: origin, found: checkpoint.origin) }
        return (checkpoint, verified)
    }

    /// ASCII decimal, no sign, no leading zeros (except "0"), at most UInt64.max.
    static func parseTreeSize(_ text: String) -> UInt64? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        guard digits[0] != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
