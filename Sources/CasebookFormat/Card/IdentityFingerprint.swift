import CasebookCrypto

/// What people compare out of band to trust a colleague's card: derived from the
/// card's two public keys only, so a re-issued card (new date, new name spelling)
/// keeps its fingerprint while any change of key changes it.
///
///     SHA-256("casebook-card-fingerprint-v1\n" ‖ age recipient ‖ "\n" ‖ minisign key line ‖ "\n")
///
/// The first 20 bytes (160 bits) are shown as 32 Crockford base32 symbols in
/// groups of 4: `7KQ2-M9XD-…` (8 groups, 39 characters).
public struct IdentityFingerprint: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 20
    static let domain = "casebook-card-fingerprint-v1\n"

    /// The 20 fingerprint bytes.
    public let bytes: [UInt8]

    /// The fingerprint of a pair of keys. `ageRecipient` is the canonical lower-case `age1…` string.
    public init(ageRecipient: String, minisignKey: MinisignPublicKey) {
        let input = Self.domain + ageRecipient + "\n" + minisignKey.encoded + "\n"
        bytes = Array(SHA256.hash(Array(input.utf8))[0..<Self.byteCount])
    }

    /// Upper case, grouped by 4 with '-'.
    public var description: String {
        let symbols = CrockfordBase32.encode(bytes)
        var output: [UInt8] = []
        for (index, symbol) in symbols.enumerated() {
            if index > 0 && index % 4 == 0 { output.append(UInt8(ascii: "-")) }
            output.append(symbol)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Parses the displayed form, in upper or lower case (for `--fingerprint`).
    /// Hyphens must separate the 8 groups of 4 exactly as displayed. The letters
    /// I, L, O and U are not in the alphabet and are refused with a hint rather than
    /// guessed at, so a mistyped fingerprint never silently matches.
    public init(parsing text: String) throws(IdentityCardError) {
        func fail(_ message: String) -> IdentityCardError { IdentityCardError(.malformedFingerprint, message) }
        let characters = Array(text.utf8)
        let expected = "8 groups of 4 characters separated by '-' (like 7KQ2-M9XD-…)"
        guard characters.count == 39 else { throw fail("a fingerprint has \(expected); this one has \(characters.count) characters") }
        var values: [UInt8] = []
        values.reserveCapacity(32)
        for (index, character) in characters.enumerated() {
            if index % 5 == 4 {
                guard character == UInt8(ascii: "-") else { throw fail("a fingerprint has \(expected); expected '-' at position \(index + 1)") }
                continue
            }
            guard let value = CrockfordBase32.value(of: character) else {
                let shown = character >= 0x20 && character < 0x7F ? "'\(Character(Unicode.Scalar(character)))'"
                    : character < 0x80 ? "the control character U+\(TextLines.hex4(UInt32(character)))" : "a non-ASCII character"
                var message = "the fingerprint has \(shown) at position \(index + 1), which is not a fingerprint character"
                switch character | 0x20 {
                case UInt8(ascii: "o"): message += "; did you mean the digit 0?"
                case UInt8(ascii: "i"), UInt8(ascii: "l"): message += "; did you mean the digit 1?"
                case UInt8(ascii: "u"): message += "; did you mean V?"
                default: break
                }
                throw fail(message)
            }
            values.append(value)
        }
        bytes = CrockfordBase32.decode(values: values)
    }

    /// Parses a fingerprint as a file carries it: exactly its displayed form (upper case,
    /// grouped by 4), so that in a signed file one fingerprint has one spelling.
    public init(displayed text: String) throws(IdentityCardError) {
        try self.init(parsing: text)
        guard description.utf8.elementsEqual(text.utf8) else {
            throw IdentityCardError(.malformedFingerprint, "the fingerprint is not written as displayed (upper case)")
        }
    }
}
