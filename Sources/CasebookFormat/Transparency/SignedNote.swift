public import CasebookCrypto

/// One signature line of a signed note: `— <name> <base64(key ID ‖ signature)>`.
public struct NoteSignature: Sendable, Hashable {
    public let name: String
    public let keyID: UInt32
    /// The signature bytes after the 4-byte key ID (64 bytes for Ed25519; other types differ).
    public let signature: [UInt8]

    /// The line without its newline.
    public var line: String {
        let id = (0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * $0)) }
        return "\u{2014} " + name + " " + Base64.encode(id + signature)
    }
}

/// A C2SP signed note (https://c2sp.org/signed-note): a text ending in a newline, a blank line,
/// and one or more signature lines. Parsing is strict and checks only the format; `verify`
/// checks signatures against known keys. The text MUST NOT be trusted before `verify` succeeds.
public struct SignedNote: Sendable, Hashable {
    /// Casebook's limits (the spec asks verifiers to bound notes and to accept at least 16
    /// signatures): a whole note, one line, and the number of signature lines.
    public static let maxNoteBytes = 65_536
    public static let maxLineBytes = 8_192
    public static let maxSignatures = 64

    /// The signed text, including its final newline (not the blank line).
    public let text: String
    public let signatures: [NoteSignature]

    /// The note as bytes: text, blank line, signature lines.
    public var bytes: [UInt8] { Array(string.utf8) }

    public var string: String {
        text + "\n" + signatures.map { $0.line + "\n" }.joined()
    }

    /// Parses a note, refusing: more than `maxNoteBytes`, invalid UTF-8, control characters
    /// other than newline, a line longer than `maxLineBytes`, a missing final newline, no blank
    /// line, no signature, more than `maxSignatures`, a line after the blank line that is not
    /// `— <valid key name> <canonical base64 of ≥ 5 bytes>`.
    public init(parsing input: some ContiguousBytesView) throws(SignedNoteError) {
        let bytes = input.withBytes { Array($0) }
        guard bytes.count <= Self.maxNoteBytes else { throw .tooLarge(byteCount: bytes.count, limit: Self.maxNoteBytes) }
        try Self.checkCharacters(bytes)
        guard bytes.last == 0x0A else { throw .missingFinalNewline }
        // The text is separated from the signatures by the last empty line.
        var separator: Int? = nil
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { separator = index; break }
            index -= 1
        }
        guard let separator else { throw .missingBlankLine }
        let textEnd = separator + 1  // the text keeps its final newline
        let signatureStart = separator + 2
        guard signatureStart < bytes.count else { throw .noSignatures }
        var line = 1 + bytes[..<signatureStart].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        var signatures: [NoteSignature] = []
        var start = signatureStart
        while start < bytes.count {
            guard signatures.count < Self.maxSignatures else { throw .tooManySignatures(limit: Self.maxSignatures) }
            var end = start
            while bytes[end] != 0x0A { end += 1 }  // found: the note ends with a newline
            signatures.append(try Self.parseSignatureLine(bytes[start..<end], line: line))
            start = end + 1
            line += 1
        }
        self.text = String(decoding: bytes[..<textEnd], as: UTF8.self)
        self.signatures = signatures
    }

    public init(parsing text: String) throws(SignedNoteError) {
        try self.init(parsing: Array(text.utf8))
    }

    private init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// Signs `text` (non-empty, ending in a newline, no control characters but newline, no
    /// line over `maxLineBytes`) with an Ed25519 key under `keyName`.
    public static func sign(text: String, keyName: String, privateKey: borrowing Ed25519.PrivateKey) throws(SignedNoteError) -> SignedNote {
        try checkText(text)
        return try SignedNote(text: text, signatures: []).addingSignature(keyName: keyName, privateKey: privateKey)
    }

    /// This note with one more Ed25519 signature (a cosignature); refuses a key that already signed.
    public func addingSignature(keyName: String, privateKey: borrowing Ed25519.PrivateKey) throws(SignedNoteError) -> SignedNote {
        let verifier = try NoteVerifier(name: keyName, publicKey: privateKey.publicKey)
        guard !signatures.contains(where: { $0.name == verifier.name && $0.keyID == verifier.keyID }) else {
            throw .duplicateSignature(name: verifier.name, keyID: verifier.keyID)
        }
        let signature = NoteSignature(name: keyName, keyID: verifier.keyID, signature: privateKey.signature(for: Array(text.utf8)))
        let note = SignedNote(text: text, signatures: signatures + [signature])
        // What we write must be what we read.
        let reparsed = try SignedNote(parsing: note.bytes)
        precondition(reparsed == note, "signed note does not round-trip")
        return note
    }

    /// Verifies the note against `verifiers`. Signatures whose (name, key ID) matches no
    /// verifier are ignored (reported in `unknownSignatures`); every signature by a known key
    /// must verify; a known key may sign only once; at least one known key must have signed.
    public func verify(_ verifiers: [NoteVerifier]) throws(SignedNoteError) -> VerifiedNote {
        var known: [String: NoteVerifier] = [:]
        for verifier in verifiers {
            let key = verifier.name + "+" + NoteVerifier.hex(verifier.keyID)
            if let existing = known[key], existing != verifier {
                throw .ambiguousVerifiers(name: verifier.name, keyID: verifier.keyID)
            }
            known[key] = verifier
        }
        let message = Array(text.utf8)
        var verifiedBy: [NoteVerifier] = []
        var unknown: [NoteSignature] = []
        for signature in signatures {
            guard let verifier = known[signature.name + "+" + NoteVerifier.hex(signature.keyID)] else {
                unknown.append(signature)
                continue
            }
            guard !verifiedBy.contains(verifier) else {
                throw .duplicateSignature(name: signature.name, keyID: signature.keyID)
            }
            guard signature.signature.count == Ed25519.signatureByteCount,
                  verifier.publicKey.isValidSignature(signature.signature, for: message)
            else { throw .badSignature(name: signature.name, keyID: signature.keyID) }
            verifiedBy.append(verifier)
        }
        guard !verifiedBy.isEmpty else {
            throw .noKnownSignature(unknown: unknown.map { $0.name + "+" + NoteVerifier.hex($0.keyID) })
        }
        return VerifiedNote(text: text, verifiedBy: verifiedBy, unknownSignatures: unknown)
    }

    // MARK: Internals

    static func checkText(_ text: String) throws(SignedNoteError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidText("empty") }
        guard bytes.last == 0x0A else { throw .invalidText("does not end with a newline") }
        guard bytes.count + 1 <= maxNoteBytes else { throw .tooLarge(byteCount: bytes.count, limit: maxNoteBytes) }
        do {
            try checkCharacters(bytes)
        } catch {
            throw .invalidText(error.description)
        }
    }

    /// UTF-8, no control character but newline, no line over the limit.
    private static func checkCharacters(_ bytes: [UInt8]) throws(SignedNoteError) {
        let valid = bytes.withUnsafeBytes { StrictUTF8.isValid($0, 0..<$0.count) }
        guard valid else { throw .notUTF8 }
        var line = 1
        var lineStart = 0
        for (offset, byte) in bytes.enumerated() {
            if byte == 0x0A {
                guard offset - lineStart <= maxLineBytes else { throw .lineTooLong(line: line, limit: maxLineBytes) }
                line += 1
                lineStart = offset + 1
            } else if byte < 0x20 {
                throw .controlCharacter(offset: offset)
            }
        }
        guard bytes.count - lineStart <= maxLineBytes else { throw .lineTooLong(line: line, limit: maxLineBytes) }
    }

    private static let prefix: [UInt8] = Array("\u{2014} ".utf8)

    private static func parseSignatureLine(_ bytes: ArraySlice<UInt8>, line: Int) throws(SignedNoteError) -> NoteSignature {
        guard bytes.starts(with: prefix) else { throw .malformedSignatureLine(line: line) }
        let rest = bytes.dropFirst(prefix.count)
        guard let space = rest.firstIndex(of: 0x20) else { throw .malformedSignatureLine(line: line) }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard NoteVerifier.isValidKeyName(name) else { throw .invalidKeyName(name) }
        let encoded = rest[(space + 1)...]
        guard let raw = Base64.decode(String(decoding: encoded, as: UTF8.self)), raw.count >= 5 else {
            throw .badBase64(line: line)
        }
        let keyID = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
        return NoteSignature(name: name, keyID: keyID, signature: Array(raw[4...]))
    }
}

/// A note whose signatures by known keys all verified (at least one).
public struct VerifiedNote: Sendable, Hashable {
    /// The signed text, now trustworthy.
    public let text: String
    public let verifiedBy: [NoteVerifier]
    /// Signatures by keys the caller did not list: ignored, as the spec requires.
    public let unknownSignatures: [NoteSignature]
}
