/// Whom an override lets records go to. Export resolves its `--to` into this same value
/// (a contact → its card fingerprint; an `age1…` recipient → that string) and the override
/// covers the export only when the two are equal: names are local to a vault, so a contact
/// is matched by fingerprint only.
public enum OverrideRecipient: Hashable, Sendable, CustomStringConvertible {
    /// A contact of the requester's vault, by its card fingerprint.
    case contact(IdentityFingerprint)
    /// An age X25519 recipient outside Casebook, in its canonical lower-case `age1…` form.
    case age(String)

    /// Parses an `age1…` recipient strictly (lower-case Bech32, 32 bytes, canonical), so
    /// that two spellings of one key cannot both appear.
    public init(ageRecipient text: String) throws(WireFormatError) {
        let parsed: AgeX25519Recipient
        do {
            parsed = try AgeX25519Recipient(encoded: text)
        } catch .unsupportedRecipientType(let type) {
            throw WireFormatError(.invalid, "the recipient type '\(DisplayText.escaped(String(type.prefix(40)), limit: 100))' is not supported here",
                                hint: "an override names a contact or an age X25519 recipient (age1…, lower case)")
        } catch {
            throw WireFormatError(.invalid, "'\(DisplayText.escaped(String(text.prefix(70)), limit: 100))' is not a valid age X25519 recipient",
                                hint: "an age recipient looks like age1… (lower case, 62 characters)")
        }
        guard parsed.encoded.utf8.elementsEqual(text.utf8) else {
            throw WireFormatError(.invalid, "the age recipient is not in canonical form", hint: "give it as age writes it: age1…, lower case")
        }
        self = .age(text)
    }

    /// `contact FINGERPRINT` or `age age1…`.
    public var description: String {
        switch self {
        case .contact(let fingerprint): "contact \(fingerprint)"
        case .age(let recipient): "age recipient \(recipient)"
        }
    }
}
