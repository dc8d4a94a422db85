/// Why a C2SP signed note, a verifier key or a key name was refused. `line` is 1-based over the
/// whole note. A signature by a key the caller does not know is never reported as a bad
/// signature: it is ignored, and only when no known key signed is the note refused
/// (`noKnownSignature`, listing the unknown signers).
public enum SignedNoteError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(byteCount: Int, limit: Int)
    case notUTF8
    /// An ASCII control character other than newline (U+000A), at this byte offset.
    case controlCharacter(offset: Int)
    case lineTooLong(line: Int, limit: Int)
    case missingFinalNewline
    /// No blank line separates the text from the signatures.
    case missingBlankLine
    /// The note ends at the blank line: there is no signature line.
    case noSignatures
    case tooManySignatures(limit: Int)
    /// A signature line that is not `— <name> <base64>`.
    case malformedSignatureLine(line: Int)
    case invalidKeyName(String)
    /// The signature is not canonical base64, or decodes to fewer than 5 bytes.
    case badBase64(line: Int)
    /// Text to sign that is empty, does not end in a newline, or contains control characters.
    case invalidText(String)
    /// Two signatures by the same known key (same name and key ID), or signing twice with one key.
    case duplicateSignature(name: String, keyID: UInt32)
    /// A signature by a known key (name and key ID match) that does not verify.
    case badSignature(name: String, keyID: UInt32)
    /// No signature is by a known key: `unknown` lists the signers as `name+keyid` (hex).
    case noKnownSignature(unknown: [String])
    /// Two verifiers with the same name and key ID but different public keys.
    case ambiguousVerifiers(name: String, keyID: UInt32)
    /// A verifier key string that is not `<name>+<8 hex>+<base64(0x01 ‖ 32-byte key)>`.
    case invalidVerifierKey(String)
    /// A verifier key whose key ID is not the one its name and public key determine.
    case verifierKeyIDMismatch(declared: UInt32, computed: UInt32)

    public var description: String {
        switch self {
        case let .tooLarge(count, limit): "note is \(count) bytes, more than \(limit)"
        case .notUTF8: "note is not valid UTF-8"
        case let .controlCharacter(offset): "control character at byte \(offset)"
        case let .lineTooLong(line, limit): "line \(line) is longer than \(limit) bytes"
        case .missingFinalNewline: "note does not end with a newline"
        case .missingBlankLine: "no blank line separates the text from the signatures"
        case .noSignatures: "note has no signature lines"
        case let .tooManySignatures(limit): "note has more than \(limit) signatures"
        case let .malformedSignatureLine(line): "line \(line) is not a signature line (— <name> <base64>)"
        case let .invalidKeyName(name): "invalid key name \(String(reflecting: name))"
        case let .badBase64(line): "line \(line): signature is not canonical base64 of at least 5 bytes"
        case let .invalidText(why): "text cannot be signed: \(why)"
        case let .duplicateSignature(name, keyID): "two signatures by \(name)+\(NoteVerifier.hex(keyID))"
        case let .badSignature(name, keyID): "signature by \(name)+\(NoteVerifier.hex(keyID)) does not verify"
        case let .noKnownSignature(unknown):
            unknown.isEmpty ? "no signature by a known key" : "no signature by a known key (unknown signers: \(unknown.joined(separator: ", ")))"
        case let .ambiguousVerifiers(name, keyID): "two different verifier keys named \(name)+\(NoteVerifier.hex(keyID))"
        case let .invalidVerifierKey(why): "invalid verifier key: \(why)"
        case let .verifierKeyIDMismatch(declared, computed):
            "verifier key declares key ID \(NoteVerifier.hex(declared)) but its name and key give \(NoteVerifier.hex(computed))"
        }
    }
}
